"""`crosstrain report` and `crosstrain compare`: the balance report and the coach's comparison."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

import queries
from crosstrain.env import Env
from ingest.categories import CATEGORIES
from ingest.database.db import connect
from ingest.errors import CrosstrainError
from queries.engine import check_days
from queries.warning_registry import title

if TYPE_CHECKING:  # rich draws the tables; --json (scripts) doesn't load it (~20 ms of start-up)
    from rich.console import Console

SEVERITY_STYLE = {"high": "bold red", "warn": "yellow", "info": "cyan"}
RISK_STYLE = {"red": "bold red", "amber": "yellow", "green": "green", "inactive": "dim"}
SHORT = {"run": "run", "strength": "str", "pilates": "pil", "mobility": "mob", "cross": "crs", "other": "oth"}
DISCLAIMER = "Training guidance, not a diagnosis: when it hurts, see a physical therapist."

as_of_option = click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Day every window ends on (YYYY-MM-DD) [default: today]",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print the SPEC's JSON instead of tables.")


def engine_options(command: Callable) -> Callable:
    """--engine, --source, --master: the same SQL on Apache Spark over a Parquet export (README)."""
    for option in reversed(
        (
            click.option(
                "--engine",
                type=click.Choice(["duckdb", "spark"]),
                default="duckdb",
                show_default=True,
                help="Run the analytics on DuckDB (the database) or on Apache Spark (a Parquet export).",
            ),
            click.option(
                "--source",
                metavar="DIR|URL",
                default=None,
                help="Export folder the spark engine reads (crosstrain export --parquet), or its URL "
                "on the cluster's storage (hdfs://..., s3a://...).",
            ),
            click.option(
                "--master",
                default="local[*]",
                show_default=True,
                envvar="SPARK_MASTER",
                show_envvar=True,
                help="Spark master: local[N], spark://host:port, yarn, k8s://...",
            ),
        )
    ):
        command = option(command)
    return command


@contextmanager
def _analytics(env: Env, engine: str, source: str | None, master: str) -> Iterator[Any]:
    """What queries.report/compare run on: the DuckDB database, or Spark over an export folder."""
    if engine == "duckdb":
        if source is not None:
            raise click.UsageError("--source is for --engine spark")
        with connect(env.db, read_only=True) as con:
            yield con
        return
    if source is None:
        raise click.UsageError("--engine spark needs --source DIR (crosstrain export --parquet writes one)")
    from queries.spark import open_source  # pyspark only when asked for

    with open_source(source, master) as backend:
        yield backend


def as_of_day(value: str | None) -> date:
    """The --as-of day, checked before the database is opened (queries.engine.check_days: 1970 to a
    year ahead); today without it. Parsed here so that a year such as 10000 is one line too."""
    if value is None:
        return date.today()
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise CrosstrainError(f"--as-of '{value[:40]}' is not a date (YYYY-MM-DD)") from None
    check_days(day)
    return day


def _fmt(value: float | None, spec: str = ".1f", scale: float = 1.0) -> str:
    """A number for the text, or "-" where the JSON says null (undefined or not finite)."""
    return "-" if value is None else format(scale * value, spec)


def _inactive(s: dict) -> str:
    """Why an athlete is inactive, in words: since when (the last activity), or no data yet."""
    if s["last_activity"] is None:
        return "no data yet"
    return f"inactive since {s['last_activity']}"


def _print_report(rep: dict, console: Console) -> None:
    from rich import box
    from rich.table import Table

    s = rep["summary"]
    risk = s["risk"]
    style = RISK_STYLE.get(risk, "")
    console.print(
        f"[bold]{rep['athlete']}[/bold], 28 days to {rep['as_of']}: risk [{style}]{risk}[/{style}]"
        + ("" if s["active"] else f" ({_inactive(s)})")
    )
    if not any(s["sessions"].values()):
        console.print(f"\nNo activities in the 28 days to {rep['as_of']}.")
    if rep["warnings"]:
        for w in rep["warnings"]:
            style = SEVERITY_STYLE[w["severity"]]
            console.print(f"\n[{style}]{w['severity'].upper()} {title(w['code'])}[/{style}]: {w['message']}")
            console.print(f"  [dim]advice:[/dim] {w['advice']}")
    else:
        console.print("\nNo warnings.")

    summary = Table(title="Last 28 days", show_header=False, title_justify="left")
    summary.add_column(style="bold")
    summary.add_column(justify="right")
    target = rep["thresholds"]["support_share_target"]
    for c in CATEGORIES:
        summary.add_row(c, f"{_fmt(s['minutes'][c], '.0f')} min, {s['sessions'][c]} sessions")
    summary.add_row("run distance", f"{_fmt(s['run_km'])} km")
    summary.add_row(
        "support share", f"{_fmt(s['support_share'], '.0f', 100)}% (target >= {100 * target:.0f}%)"
    )
    summary.add_row("strength/Pilates a week", _fmt(s["strength_sessions_per_week"], ".2f"))
    days = s["days_since_support"]
    summary.add_row("days since strength/Pilates", "never" if days is None else str(days))
    summary.add_row("monotony / strain", f"{_fmt(s['monotony'], '.2f')} / {_fmt(s['strain'], '.0f')}")
    summary.add_row("ACWR", _fmt(s["acwr"], ".2f"))
    summary.add_row(
        "fitness / fatigue / form", " / ".join(_fmt(s[k]) for k in ("fitness", "fatigue", "form"))
    )
    summary.add_row("last activity", s["last_activity"] or "none yet")
    console.print()
    console.print(summary)

    weeks = Table(title="Weeks (minutes by category)", title_justify="left", box=box.SIMPLE_HEAD)
    weeks.add_column("week", no_wrap=True, min_width=10)
    for c in CATEGORIES:
        weeks.add_column(SHORT[c], justify="right")
    for name in ("run km", "load", "monotony"):
        weeks.add_column(name, justify="right")
    for w in rep["weeks"]:
        weeks.add_row(
            w["week"],
            *(_fmt(w["minutes"][c], ".0f") for c in CATEGORIES),
            _fmt(w["run_km"]),
            _fmt(w["load"], ".0f"),
            _fmt(w["monotony"], ".2f"),
        )
    console.print(weeks)
    console.print(f"[dim]{DISCLAIMER}[/dim]")


def _print_compare(out: dict, console: Console) -> None:
    from rich import box
    from rich.table import Table

    if not out["athletes"]:
        console.print("no athletes yet: import some activities (crosstrain import --help)")
        return
    table = Table(
        title=f"Athletes, 28 days to {out['as_of']} (highest risk first; inactive ones last)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for name, justify in (
        ("athlete", "left"),
        ("risk", "left"),
        ("support", "right"),
        ("run km", "right"),
        ("monotony", "right"),
        ("ACWR", "right"),
        ("last supp.", "right"),
        ("warnings", "left"),
    ):
        table.add_column(
            name,
            justify=justify,
            overflow="fold",
            no_wrap=name != "athlete",
            min_width={"athlete": 12, "warnings": 25}.get(name),
        )
    for a in out["athletes"]:
        style = RISK_STYLE.get(a["risk"], "")
        days = a["days_since_support"]
        said = [title(code) for code in a["warnings"]]
        notes = said if a["active"] else [_inactive(a), *said]
        table.add_row(
            a["athlete"],
            f"[{style}]{a['risk']}[/{style}]",
            f"{_fmt(a['support_share'], '.0f', 100)}%",
            _fmt(a["run_km"]),
            _fmt(a["monotony"], ".2f"),
            _fmt(a["acwr"], ".2f"),
            "never" if days is None else f"{days} d",
            "\n".join(notes) or "-",
        )
    console.print(table)
    console.print(f"[dim]{DISCLAIMER}[/dim]")


@click.command()
@click.option("--athlete", required=True, help="Athlete name, as `crosstrain athletes` lists it.")
@as_of_option
@json_option
@engine_options
@click.pass_obj
def report(
    env: Env,
    athlete: str,
    as_of: str | None,
    as_json: bool,
    engine: str,
    source: str | None,
    master: str,
) -> None:
    """The balance report and warnings for one athlete (28-day summary, 12 weeks, advice)."""
    day = as_of_day(as_of)
    with _analytics(env, engine, source, master) as con:
        rep = queries.report(con, athlete, day, env.settings())
    if as_json:
        click.echo(json.dumps(rep, indent=2, allow_nan=False))
    else:
        from rich.console import Console

        _print_report(rep, Console(soft_wrap=False))


@click.command()
@as_of_option
@json_option
@engine_options
@click.pass_obj
def compare(env: Env, as_of: str | None, as_json: bool, engine: str, source: str | None, master: str) -> None:
    """One row per athlete, highest risk first: the coach's comparison table."""
    day = as_of_day(as_of)
    with _analytics(env, engine, source, master) as con:
        out = queries.compare(con, day, env.settings())
    if as_json:
        click.echo(json.dumps(out, indent=2, allow_nan=False))
    else:
        from rich.console import Console

        # the table needs about 104 columns; a narrow terminal wraps lines rather than squeezing names away
        _print_compare(out, Console(width=max(Console().width, 104)))


COMMANDS: list[click.Command] = [report, compare]
