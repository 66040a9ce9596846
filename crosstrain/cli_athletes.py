"""`crosstrain athletes`: list athletes, and rename, merge, delete them or change their settings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import duckdb

from crosstrain.env import Env
from ingest.admin import athletes as athletes_admin
from ingest.database.db import connect
from ingest.errors import CrosstrainError
from queries.athletes import athletes as list_athletes


@contextmanager
def existing_db(env: Env) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection to a database that exists (a change to nothing is an error, not a new file)."""
    if not Path(env.db).exists():
        raise CrosstrainError(
            f"{env.db}: no database yet; import some activities first (crosstrain import --help)"
        )
    with connect(env.db) as con:
        yield con


def _hr(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@click.group("athletes", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of a table")
@click.pass_context
def athletes_group(ctx: click.Context, as_json: bool) -> None:
    """List athletes (their sources, activities, time zone and HR settings), or manage one.

    Without a subcommand: the list. Each change below is one transaction.
    """
    if ctx.invoked_subcommand is not None:
        return
    env: Env = ctx.obj
    if not Path(env.db).exists():
        rows = []
    else:
        with connect(env.db, read_only=True) as con:
            rows = list_athletes(con)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no athletes yet: import some activities (crosstrain import --help)")
        return
    from rich.console import Console  # the table only: --json doesn't load rich
    from rich.table import Table

    table = Table("athlete", "sources", "activities", "first", "last")
    table.add_column("time zone (from)", no_wrap=True)
    for column in ("HRmax", "HRrest", "sex"):
        table.add_column(column)
    for r in rows:
        counted = f"{r['activities']}" + (
            f" ({r['double_recordings']} double)" if r["double_recordings"] else ""
        )
        zone = f"{r['timezone']} ({r['timezone_source']})" if r["timezone_source"] else r["timezone"] or ""
        table.add_row(
            r["name"],
            ", ".join(r["sources"]),
            counted,
            r["first_activity"] or "",
            r["last_activity"] or "",
            zone,
            _hr(r["hr_max"]),
            _hr(r["hr_rest"]),
            r["sex"] or "",
        )
    Console(width=max(130, Console().width)).print(table)


@athletes_group.command("rename")
@click.argument("old")
@click.argument("new")
@click.pass_obj
def rename(env: Env, old: str, new: str) -> None:
    """Rename athlete OLD to NEW (refused when NEW is taken: merge them instead)."""
    with existing_db(env) as con:
        athletes_admin.rename(con, old, new)
    click.echo(f"renamed '{old}' to '{new}'")


@athletes_group.command("merge")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="INTO")
@click.pass_obj
def merge(env: Env, source: str, target: str) -> None:
    """Move every activity of athlete FROM to INTO and delete FROM (e.g. a misspelt --athlete).

    An activity both hold keeps INTO's copy; double recordings are counted once; INTO keeps its Strava
    link, else takes FROM's.
    """
    with existing_db(env) as con:
        result = athletes_admin.merge(con, source, target)
    parts = [f"merged '{source}' into '{target}': {result.moved} activities moved"]
    if result.dropped:
        parts.append(f"{result.dropped} already held by '{target}'")
    if result.twins:
        parts.append(f"{result.twins} double recording{'s' if result.twins != 1 else ''}, counted once")
    if result.strava:
        parts.append(result.strava)
    click.echo("; ".join(parts))


@athletes_group.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="confirm: the athlete's activities, imports and Strava tokens go")
@click.pass_obj
def delete(env: Env, name: str, yes: bool) -> None:
    """Delete athlete NAME with their activities, imports and Strava tokens (needs --yes)."""
    with existing_db(env) as con:
        if not yes:
            athlete = athletes_admin.find(con, name)
            count = con.execute(
                "select count(*) from activities where athlete_id = ?", [athlete.athlete_id]
            ).fetchone()[0]
            raise CrosstrainError(
                f"deleting '{name}' removes {count} activities for good; add --yes to confirm"
            )
        result = athletes_admin.delete(con, name)
    tokens = "; Strava tokens removed" if result.strava_tokens else ""
    click.echo(f"deleted '{name}': {result.activities} activities, {result.imports} imports{tokens}")


@athletes_group.command("set")
@click.argument("name")
@click.option("--timezone", help="IANA zone of the athlete's local days, e.g. Europe/Berlin")
@click.option("--hr-max", type=float, help="maximal heart rate, bpm (100-240)")
@click.option("--hr-rest", type=float, help="resting heart rate, bpm (25-120, below HRmax)")
@click.option("--sex", type=click.Choice(athletes_admin.SEXES), help="for Banister's TRIMP constants")
@click.pass_obj
def set_command(
    env: Env, name: str, timezone: str | None, hr_max: float | None, hr_rest: float | None, sex: str | None
) -> None:
    """Store an athlete's time zone, heart-rate settings and sex (unset ones stay as they are)."""
    with existing_db(env) as con:
        now = athletes_admin.set_settings(
            con, name, timezone=timezone, hr_max=hr_max, hr_rest=hr_rest, sex=sex
        )
    shown = ", ".join(
        f"{key} {'-' if now[key] is None else _hr(now[key]) if key.startswith('hr') else now[key]}"
        for key in ("timezone", "hr_max", "hr_rest", "sex")
    )
    click.echo(f"{name}: {shown}")


COMMANDS: list[click.Command] = [athletes_group]
