"""The `crosstrain` command: a thin layer over ingest/, queries/ and dashboard/.

Library errors become one line on stderr and a non-zero exit; no traceback reaches the user.
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
import threading
from pathlib import Path
from typing import Any, NoReturn

import click

from crosstrain.env import Env
from ingest.errors import CrosstrainError, first_line
from ingest.settings import config_path, default_db_path

# Each command's module, imported when that command runs or its help is shown: `crosstrain import`
# does not load the report's, the dashboard's or the plan's code and libraries (~0.3 s of start-up);
# and each command's summary for the command list, so that `crosstrain --help` imports none of them
# (DuckDB, queries/, rich: ~0.2 s). A summary is the first paragraph of its command's help, as click
# shortens it (tests/test_cli.py compares them).
COMMAND_MODULES: dict[str, tuple[str, str]] = {
    "import": (
        "cli_import",
        "Import CSV files, activity files, folders, a Strava export or a Garmin Connect data export (.zip).",
    ),
    "athletes": (
        "cli_athletes",
        "List athletes (their sources, activities, time zone and HR settings), or manage one.",
    ),
    "activities": (
        "cli_activities",
        "List stored activities, correct them, and re-apply the category settings.",
    ),
    "report": (
        "cli_report",
        "The balance report and warnings for one athlete (28-day summary, 12 weeks, advice).",
    ),
    "compare": ("cli_report", "One row per athlete, highest risk first: the coach's comparison table."),
    "strava": ("cli_strava", "Connect Strava accounts and sync their activities."),
    "garmin": (
        "cli_garmin",
        "Connect Garmin Connect accounts through Garmin's Personal API and sync their activities.",
    ),
    "dashboard": ("cli_dashboard", "Serve the dashboard (coach overview, athlete pages, compare, import)."),
    "demo": (
        "cli_dashboard",
        "Load the synthetic sample athletes, their data ending today, into the demo's own fresh database, "
        "then serve the dashboard over it.",
    ),
    "plan": (
        "cli_plan",
        "Planned sessions: import a plan, check it against the thresholds, suggest changes.",
    ),
    "export": (
        "cli_export",
        "The data as Parquet: one file per table, activities in one folder per athlete (athlete_id=N/).",
    ),
}


class CrosstrainGroup(click.Group):
    """A click group that turns every error into one line on stderr, and loads a command's module
    only when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMAND_MODULES:
            return None
        commands = importlib.import_module(f"crosstrain.{COMMAND_MODULES[cmd_name][0]}").COMMANDS
        return next(command for command in commands if command.name == cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list as click writes it, from the summaries: no command module imported."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)  # click's own
        summary = {name: COMMAND_MODULES[name][1] for name in names}
        rows = [(name, click.Command(name, help=summary[name]).get_short_help_str(limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            done = super().invoke(ctx)
            store_values(ctx)
            return done
        except click.exceptions.Abort:
            raise
        except (click.exceptions.Exit, click.ClickException, SystemExit):  # also an import with rejects
            store_values(ctx)
            raise
        except CrosstrainError as exc:
            store_values(ctx)  # what a partly done sync or import wrote
            fail(str(exc))
        except KeyboardInterrupt:
            fail("interrupted; nothing half-written was kept", code=130)
        except Exception as exc:
            if is_duckdb_error(exc):
                fail(f"{ctx_db(ctx)}: database error: {first_line(exc)}")
            if isinstance(exc, OSError):
                fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
            raise


def is_duckdb_error(exc: BaseException) -> bool:
    """Whether `exc` is DuckDB's; DuckDB is imported by the commands that open the database, not here
    (~0.06 s of `--help` and of every command's start): when none did, it can't be."""
    duckdb = sys.modules.get("duckdb")
    return duckdb is not None and isinstance(exc, duckdb.Error)


def store_values(ctx: click.Context) -> None:
    """The session values of what the command wrote (Env.store_values), once, after it."""
    env = ctx.find_object(Env)
    if env is not None:
        env.store_values()


def ctx_db(ctx: click.Context) -> str:
    env = ctx.find_object(Env)
    return str(env.db) if env else "database"


def fail(message: str, code: int = 1) -> None:
    """Print `error: message` on stderr and exit."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(cls=CrosstrainGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CROSSTRAIN_DB",
    show_envvar=True,
    default=None,
    help="DuckDB file [default: $XDG_DATA_HOME/crosstrain/crosstrain.duckdb]",
)
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CROSSTRAIN_CONFIG",
    show_envvar=True,
    default=None,
    help="settings TOML [default: $XDG_CONFIG_HOME/crosstrain/config.toml]",
)
@click.version_option(package_name="crosstrain")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, config: Path | None) -> None:
    """Training-balance analytics for runners and their coaches.

    Imports activities from Strava or CSV exports into DuckDB and warns about monotone,
    running-only training.
    """
    ctx.obj = Env(db=db or default_db_path(), config=config or config_path())


def main() -> NoReturn:
    """Console-script entry point: the command, then the process ends as `sys.exit` would, without
    Python's teardown where nothing needs it (`end`)."""
    try:
        cli(prog_name="crosstrain")
    except SystemExit as exc:  # click ends every command so, with its code
        end(exc.code)
    end(0)


def end(code: object) -> NoReturn:
    """Exit with `code` once the exit handlers have run (multiprocessing's, logging's) and the output is
    flushed, skipping the interpreter's teardown: finalising ~480 modules and unloading DuckDB cost
    40-90 ms of CPU at every command's end, after its work was done (bench/startup.py).

    The normal exit instead when something still needs it: a message as the code (Python prints it), a
    thread other than this one still running (Python joins it), a store connection still open
    (ingest/database/db.py's OPEN: closing it checkpoints the file), or output that can't be flushed
    (a closed pipe, which Python reports). Only this entry point ends so: tests' CliRunner calls `cli`.
    """
    if code is None:
        code = 0
    db = sys.modules.get("ingest.database.db")
    running = any(t is not threading.main_thread() and not t.daemon for t in threading.enumerate())
    if not isinstance(code, int) or running or (db is not None and db.OPEN):
        raise SystemExit(code)
    atexit._run_exitfuncs()  # the handlers Python would run, once (it clears them)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None
    os._exit(code & 0xFF)
