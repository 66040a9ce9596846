"""`crosstrain import`: a thin wrapper over ingest/."""

from __future__ import annotations

from pathlib import Path

import click

from crosstrain.cli_files import import_files, working
from crosstrain.echo import echo_results
from ingest.exports.options import ImportOptions


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
    help="IANA zone the athlete lives in, e.g. Europe/Berlin (stored on the athlete; re-importing with "
    "another zone updates the rows) [default: the athlete's stored zone, else this machine's]",
)
@click.option(
    "--units",
    type=click.Choice(["metric", "imperial"]),
    help="km/metres or miles/feet for Garmin and Strava exports [default: told from the file's rows]",
)
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy"]),
    help="day/month order of dates like 5/1/24 (exports re-saved by Excel) [default: told from the column]",
)
@click.pass_obj
def import_command(
    env,
    paths: tuple[Path, ...],
    athlete: str | None,
    fmt: str,
    timezone: str | None,
    units: str | None,
    date_order: str | None,
) -> None:
    """Import CSV files, activity files, folders, a Strava export or a Garmin Connect data export (.zip).

    Reads Strava's activities.csv (or the whole export .zip with its activity files), Garmin Connect's
    Activities.csv (in any of the languages Garmin Connect exports), generic CSVs with columns
    date,type,duration[,distance_km,rpe,name,athlete,avg_hr,max_hr], and .fit, .gpx, .tcx files (also
    .gz) alone or in folders. Units and date orders are told
    from the file's own rows and stated under each file's summary line, with how to override them.
    Rows that can't be read are reported with their line and skipped; each file is imported
    completely or not at all; importing the same data again adds nothing. Exits 1 when a file or
    a row was rejected.
    """
    options = ImportOptions(athlete, fmt, timezone, units=units, date_order=date_order)
    failed, csv_paths, file_results = import_files(env.db, list(paths), options, env.settings(), env)
    results = []
    if csv_paths:
        from ingest.exports.importer import import_paths  # DuckDB: after the activity files' workers start

        with working(f"importing {len(csv_paths)} CSV file{'s' if len(csv_paths) != 1 else ''}"):
            results = import_paths(env.db, csv_paths, options, env.settings())
    ok = echo_results(results)
    parts = [*file_results, *(r.csv for r in file_results if r.csv is not None), *results]
    if len(parts) > 1:  # a folder opened up, or several paths: one line for the whole import
        click.echo(_total(parts))
    if not ok or failed:
        raise SystemExit(1)


def _total(parts: list) -> str:
    """`in all: ...` over the summaries of every file, folder and export of one import."""
    from ingest.database.store import WriteCounts

    counts = WriteCounts()
    rejected = errors = 0
    for p in parts:
        counts.add(p.counts)
        rejected += len(p.rejects)
        errors += bool(p.error)
    failed = f", {errors} not imported" if errors else ""
    return (
        f"in all: {len(parts)} parts{failed}: {counts.new} imported, {counts.updated} updated, "
        f"{counts.duplicate} duplicates, {rejected} rejected{counts.twins_note()}"
    )


COMMANDS: list[click.Command] = [import_command]
