"""`crosstrain activities`: list stored activities, correct them, and re-apply the category settings."""

from __future__ import annotations

import json
from datetime import datetime

import click

from crosstrain.cli_athletes import existing_db
from crosstrain.env import Env
from ingest.admin.recategorise import recategorise
from ingest.categories import CATEGORIES
from ingest.database.corrections import label_same_name, set_activities
from ingest.database.db import connect
from ingest.errors import CrosstrainError
from queries.activities import activities as list_activities

DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.group("activities")
def activities_group() -> None:
    """List stored activities, correct them, and re-apply the category settings."""


def _num(value: float | None, spec: str) -> str:
    return "" if value is None else format(value, spec)


@activities_group.command("list")
@click.option("--athlete", required=True, help="Athlete name, as `crosstrain athletes` lists it.")
@click.option("--from", "start", type=DAY, help="first local day (YYYY-MM-DD)")
@click.option("--to", "end", type=DAY, help="last local day (YYYY-MM-DD)")
@click.option("--category", type=click.Choice(CATEGORIES), help="only this category")
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of a table")
@click.pass_obj
def list_command(
    env: Env, athlete: str, start: datetime | None, end: datetime | None, category: str | None, as_json: bool
) -> None:
    """One row per stored activity, with the load the report counts; double recordings and excluded
    activities are shown too, marked (they count in no metric)."""
    with connect(env.db, read_only=True) as con:
        rows = list_activities(
            con,
            athlete,
            start=start.date() if start else None,
            end=end.date() if end else None,
            category=category,
            settings=env.settings(),
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2, allow_nan=False))
        return
    if not rows:
        click.echo(f"no activities of '{athlete}' in that range")
        return
    from rich.console import Console  # the table only: --json doesn't load rich
    from rich.table import Table

    table = Table()
    for column in (
        "id",
        "start",
        "type",
        "category",
        "name",
        "min",
        "km",
        "RPE",
        "HR",
        "load",
        "source",
        "counts",
    ):
        table.add_column(
            column,
            no_wrap=column != "counts",  # an exclusion's reason wraps
            max_width={"name": 24, "counts": 40}.get(column),
            overflow="ellipsis",
        )
    for r in rows:
        counts = (
            f"no: twin of {r['twin_of']}"
            if r["twin_of"] is not None
            else f"no: excluded{': ' + r['excluded_reason'] if r['excluded_reason'] else ''}"
            if r["excluded"]
            else ""
        )
        table.add_row(
            str(r["id"]),
            r["start_local"].replace("T", " ")[:16],
            r["type"],
            r["category"],
            r["name"] or "",
            _num(r["minutes"], ".0f"),
            _num(r["distance_km"], ".1f"),
            _num(r["rpe"], "g"),
            _num(r["avg_hr"], ".0f"),
            _num(r["load"], ".0f"),
            r["source"],
            counts,
        )
    Console(width=max(140, Console().width)).print(table)


@activities_group.command("set")
@click.argument("ids", nargs=-1, required=True, type=int)
@click.option("--category", type=click.Choice(CATEGORIES), help="the category these activities belong to")
@click.option(
    "--same-name",
    is_flag=True,
    help="give --category to every session of the same name and type, now and in later imports and syncs",
)
@click.option("--rpe", type=float, help="session RPE on the CR-10 scale (0-10)")
@click.option(
    "--exclude/--include",
    "excluded",
    default=None,
    help="count these activities in no metric / count them again",
)
@click.pass_obj
def set_command(
    env: Env,
    ids: tuple[int, ...],
    category: str | None,
    same_name: bool,
    rpe: float | None,
    excluded: bool | None,
) -> None:
    """Correct activities by id (as `activities list` shows them); corrections are kept when the same
    activities are imported or synced again. With --same-name, the category labels every session
    sharing a name and type with these, and every such session imported or synced later."""
    if same_name and (category is None or rpe is not None or excluded is not None):
        raise CrosstrainError("--same-name goes with --category only (an RPE or exclusion is per session)")
    with existing_db(env) as con:
        if same_name:
            changed, names = label_same_name(con, list(ids), category)
            click.echo(
                f"{changed} activities changed; {names} name{'s' if names != 1 else ''} labelled "
                f"{category}, now and in later imports and syncs"
            )
            return
        changed = set_activities(con, list(ids), category=category, rpe=rpe, excluded=excluded)
    click.echo(f"{changed} of {len(set(ids))} activities changed; the correction is kept across re-imports")


@activities_group.command("recategorise")
@click.option("--athlete", help="only this athlete's activities [default: every athlete's]")
@click.pass_obj
def recategorise_command(env: Env, athlete: str | None) -> None:
    """Apply the current category settings (types, [category_keywords]) to stored activities; your
    corrections from `activities set` still win. Prints what changed per category."""
    with existing_db(env) as con:
        changes = recategorise(con, env.settings(), athlete)
    if not changes:
        click.echo("no category changed")
        return
    total = sum(n for _, _, n in changes)
    click.echo(f"{total} activities changed category:")
    for old, new, n in changes:
        click.echo(f"  {old} -> {new}: {n}")


COMMANDS: list[click.Command] = [activities_group]
