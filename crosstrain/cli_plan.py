"""`crosstrain plan import|check|suggest`: a coach's planned weeks, checked before they happen."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import click
from rich.console import Console

from crosstrain.cli_report import DISCLAIMER, SEVERITY_STYLE, as_of_day, json_option
from crosstrain.echo import echo_results
from crosstrain.env import Env
from ingest.database.db import connect
from ingest.plans.ics import suggestions_ics
from ingest.plans.importer import apply_changes, checking, import_plans, parse_pace, store_check
from queries import engine
from queries import plan as plans
from queries.plan_suggest import suggest
from queries.warning_registry import title

SHOWN_SESSIONS = 6  # planned sessions listed under a finding in the text output (the JSON has all)

athlete_option = click.option(
    "--athlete", required=True, help="Athlete name, as `crosstrain athletes` lists it."
)
as_of_option = click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Last day of done history; the plan is projected from the day after (YYYY-MM-DD) [default: today]",
)


@click.group("plan")
def plan() -> None:
    """Planned sessions: import a plan, check it against the thresholds, suggest changes."""


def store_checks(env: Env, names: list[str], as_of: date) -> None:
    """Check each athlete's plan from `as_of` and keep the findings for the coach overview."""
    settings = env.settings()
    with connect(env.db) as con:
        for name in names:
            [athlete_id] = engine.athlete_ids(con, [name])
            store_check(con, athlete_id, as_of, plans.check_or_none(con, name, as_of, settings))


@plan.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--athlete", help="whose plan this is (a plan CSV may carry an athlete column instead)")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="The plan's first day: days before it are not read (YYYY-MM-DD) [default: today]",
)
@click.option(
    "--pace",
    "paces",
    multiple=True,
    metavar="MIN_PER_KM",
    help="Pace for sessions that give a distance and no duration: 5:30 or 5.5 min/km for runs, "
    "ride=2:24 for another kind (run, ride, swim, walk, hike, row, ski) [default: the athlete's "
    "median of the last 90 days, else 6:00/km for runs]",
)
@click.pass_obj
def import_command(
    env: Env, paths: tuple[Path, ...], athlete: str | None, as_of: str | None, paces: tuple[str, ...]
) -> None:
    """Import planned sessions from a plan CSV or an iCalendar (.ics) file.

    A CSV has the generic header date,type,duration[,distance_km,rpe,name,athlete,...] (duration may be
    empty where distance_km is given). A calendar's events (recurrences and exceptions included, up to
    the plan horizon) are read from their summary and description: kind, duration, distance and
    intensity ("Easy run 45 min", "LR 16 mi", "Tempo 5 x 1 km", "Bike 60min"); rest days, reminders,
    phase blocks and meetings are skipped, one line each. Importing a plan again replaces the
    athlete's planned sessions from its first to its last day. Rows that can't be read are reported
    and skipped; exits 1 then.
    """
    first = as_of_day(as_of)
    pace = parse_pace(paces)
    settings = env.settings()
    then = checking(plans.check_or_none, settings, first)
    results = import_plans(env.db, list(paths), athlete, settings, first, pace, then)
    for result in results:
        for line in result.skipped:
            click.echo(line)
    ok = echo_results(results)
    if not ok:
        raise SystemExit(1)


def _print_check(out: dict, console: Console) -> None:
    console.print(
        f"[bold]{out['athlete']}[/bold]: plan {out['from']} to {out['to']} ({len(out['days'])} days)"
    )
    if not out["findings"]:
        console.print("No warnings: the plan stays within the thresholds.")
    for f in out["findings"]:
        style = SEVERITY_STYLE[f["severity"]]
        console.print(
            f"\n{f['date']} [{style}]{f['severity'].upper()} {title(f['code'])}[/{style}]: {f['message']}"
        )
        shown = f["sessions"][-SHOWN_SESSIONS:]
        if len(f["sessions"]) > len(shown):
            console.print(f"  [dim]... {len(f['sessions']) - len(shown)} earlier planned sessions[/dim]")
        for s in shown:
            km = f", {s['distance_km']:.1f} km" if s["distance_km"] else ""
            what = f"{s['name'] or s['type']} ({s['category']}, {s['duration_min']:.0f} min{km})"
            console.print(f"  [dim]{s['date']}[/dim] {what}")
    last = out["days"][-1]
    acwr = "-" if last["acwr"] is None else format(last["acwr"], ".2f")
    console.print(
        f"\nOn {out['to']}: support share {100 * last['support_share']:.0f}%, "
        f"run {last['run_km']:.1f} km in 28 days, monotony {last['monotony']:.2f}, ACWR {acwr}, "
        f"risk {last['risk']}"
    )
    console.print(f"[dim]{DISCLAIMER}[/dim]")


@plan.command("check")
@athlete_option
@as_of_option
@json_option
@click.pass_obj
def check_command(env: Env, athlete: str, as_of: str | None, as_json: bool) -> None:
    """The report's metrics and warnings projected day by day over the planned days.

    Runs the report's own SQL over the done history plus the planned sessions; lists each warning the
    plan would trigger (with its date and the planned sessions behind it) and back-to-back hard days.
    """
    with connect(env.db, read_only=True) as con:
        out = plans.check(con, athlete, as_of_day(as_of), env.settings())
    if as_json:
        click.echo(json.dumps(out, indent=2, allow_nan=False))
    else:
        _print_check(out, Console(soft_wrap=False))


def _print_suggest(out: dict, remaining: list[dict], console: Console) -> None:
    console.print(f"[bold]{out['athlete']}[/bold], week of {out['week']}:")
    if not out["suggestions"]:
        console.print("No changes needed: the week stays within the thresholds.")
    for s in out["suggestions"]:
        day = date.fromisoformat(s["date"]).strftime("%a %d %b")
        console.print(
            f"\n[bold]{day}: {s['action']}[/bold] {s['name']} ({s['category']}, {s['duration_min']:.0f} min)"
        )
        console.print(f"  [dim]why:[/dim] {s['why']}")
    b, a = out["before"], out["after"]
    acwr = "-" if a["acwr"] is None else f"{a['acwr']:.2f}"
    console.print(
        f"\nEnd of the week: risk {b['risk']} -> {a['risk']}, "
        f"support share {100 * b['support_share']:.0f}% -> "
        f"{100 * a['support_share']:.0f}%, monotony {b['monotony']:.2f} -> {a['monotony']:.2f}, ACWR {acwr}"
    )
    for f in remaining:
        console.print(
            f"[yellow]Not fixable within this week:[/yellow] {title(f['code'])} ({f['severity']}) "
            f"on {f['date']}: the days it looks back on are mostly outside it."
        )
    console.print(f"[dim]{DISCLAIMER}[/dim]")


@plan.command("suggest")
@athlete_option
@click.option(
    "--week",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="A day of the week to fix (YYYY-MM-DD) [default: the first planned week]",
)
@as_of_option
@json_option
@click.option("--apply", "apply_", is_flag=True, help="Write the suggestions into the plan.")
@click.option(
    "--ics",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the suggestions as calendar events to this .ics file.",
)
@click.pass_obj
def suggest_command(
    env: Env,
    athlete: str,
    week: datetime | None,
    as_of: str | None,
    as_json: bool,
    apply_: bool,
    ics: Path | None,
) -> None:
    """Changes (add, swap, shorten) that bring a planned week back within the thresholds.

    Each comes with its reason and its effect on the numbers. Without a plan for the week, suggests what
    to add to the athlete's usual week. --apply writes them into the plan; --ics writes them as events.
    """
    with connect(env.db, read_only=not apply_) as con:
        found = suggest(con, athlete, week.date() if week else None, as_of_day(as_of), env.settings())
        if apply_ and found.changes:
            apply_changes(con, found.athlete_id, [c.stored() for c in found.changes])
    if apply_ and found.changes:
        store_checks(env, [found.athlete], as_of_day(as_of))
    out = found.json()
    if ics:
        ics.write_bytes(suggestions_ics(out["athlete"], out["suggestions"]))
    if as_json:
        click.echo(json.dumps(out, indent=2, allow_nan=False))
    else:
        _print_suggest(out, found.remaining, Console(soft_wrap=False))
        if apply_:
            click.echo(f"{len(found.changes)} changes written into the plan.")
        if ics:
            click.echo(f"{ics}: {len(found.changes)} calendar events.")


COMMANDS: list[click.Command] = [plan]
