"""`crosstrain plan import|check|suggest`: a coach's planned weeks, checked before they happen."""

from __future__ import annotations

from pathlib import Path

import click

from crosstrain.env import Env
from ingest.plans import import_plans


@click.group("plan")
def plan() -> None:
    """Planned sessions: import a plan, check it against the thresholds, suggest changes."""


@plan.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--athlete", help="whose plan this is (a plan CSV may carry an athlete column instead)")
@click.pass_obj
def import_command(env: Env, paths: tuple[Path, ...], athlete: str | None) -> None:
    """Import planned sessions from a plan CSV or an iCalendar (.ics) file.

    A CSV has the generic header date,type,duration[,distance_km,rpe,name,athlete,...]; a calendar's
    events (recurrences and exceptions included) are typed from their summary, with the duration from
    the text ("45 min") or the event. Importing a plan again replaces the athlete's planned sessions
    from its first to its last day. Rows that can't be read are reported and skipped; exits 1 then.
    """
    failed = False
    for result in import_plans(env.db, list(paths), athlete, env.settings()):
        if result.error:
            click.echo(f"error: {result.error}", err=True)
            failed = True
            continue
        for reject in result.rejects:
            click.echo(f"error: {reject}", err=True)
        failed = failed or bool(result.rejects)
        click.echo(result.summary())
    if failed:
        raise SystemExit(1)


COMMANDS: list[click.Command] = [plan]
