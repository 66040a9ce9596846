"""`crosstrain import`: a thin wrapper over ingest/."""

from __future__ import annotations

from pathlib import Path

import click

from ingest.csv_import import ImportOptions, import_paths


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--athlete", help="whose activities these are (a generic CSV may carry an athlete column)")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "strava", "garmin", "generic"]),
    default="auto",
    show_default=True,
    help="the CSV format; auto tells it from the header",
)
@click.option(
    "--timezone",
    help="IANA zone of the athlete's wall-clock times, e.g. Europe/Berlin (stored on the athlete) "
    "[default: the athlete's stored zone, else this machine's]",
)
@click.pass_obj
def import_command(env, paths: tuple[Path, ...], athlete: str | None, fmt: str, timezone: str | None) -> None:
    """Import CSV files or a Strava export archive (.zip).

    Reads Strava's activities.csv (or the whole export .zip), Garmin Connect's Activities.csv, and
    generic CSVs with columns date,type,duration[,distance_km,rpe,name,athlete,avg_hr,max_hr].
    Rows that can't be read are reported with their line and skipped; each file is imported
    completely or not at all; importing the same data again adds nothing. Exits 1 when a file or
    a row was rejected.
    """
    results = import_paths(env.db, list(paths), ImportOptions(athlete, fmt, timezone), env.settings())
    failed = False
    for result in results:
        if result.error:
            click.echo(f"error: {result.error}", err=True)
            failed = True
            continue
        for reject in result.rejects:
            click.echo(f"error: {reject}", err=True)
        failed = failed or bool(result.rejects)
        click.echo(result.summary() + result.counts.twins_note())
    if failed:
        raise SystemExit(1)


COMMANDS: list[click.Command] = [import_command]
