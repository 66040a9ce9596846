"""`crosstrain garmin connect|sync|disconnect`: thin commands over ingest.garmin."""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import click
from rich.progress import BarColumn, TextColumn

from crosstrain.env import Env
from crosstrain.sync_bar import SyncBar
from ingest.errors import CrosstrainError

# ingest.garmin loads the activity-file decoders: only the garmin commands pay for it.
if TYPE_CHECKING:
    from ingest.garmin import Progress

KEY_PAGE = "https://connect.garmin.com/app/settings/personalApiToken"  # = ingest.garmin.client.KEY_PAGE
KEY_DAYS = (30, 90, 180, 365)  # = ingest.garmin.sync.KEY_DAYS


@click.group()
def garmin() -> None:
    """Connect Garmin Connect accounts through Garmin's Personal API and sync their activities.

    Each athlete creates a Personal API key on Garmin Connect web (Settings, Personal API); it is for
    their own data. GARMIN_API_URL changes the API's address.
    """


def _one_connected(env: Env, athlete: str | None) -> str:
    """The athlete named, or the only connected one."""
    if athlete:
        return athlete
    from ingest.garmin.keys import KeyStore
    from ingest.garmin.sync import connected

    found = connected(env.db, KeyStore())
    if len(found) > 1:
        names = ", ".join(name for _, _, name in found)
        raise CrosstrainError(f"several Garmin athletes are connected ({names}); pass --athlete NAME")
    return found[0][2]


@garmin.command()
@click.option("--athlete", help="Name for this athlete in crosstrain (asked when not given).")
@click.option(
    "--key-days",
    type=click.Choice([str(d) for d in KEY_DAYS]),
    help="The lifetime you chose for the key on Garmin Connect, to be told when it expires.",
)
@click.pass_obj
def connect(env: Env, athlete: str | None, key_days: str | None) -> None:
    """Store an athlete's Garmin Personal API key (from CROSSTRAIN_GARMIN_KEY, else a hidden prompt).

    The key is exchanged for an access token at once (so a mistyped key is caught now); both are kept
    in a file only you can read (mode 0600) and never printed.
    """
    from ingest.garmin import connect as do_connect

    interactive = sys.stdin.isatty()
    key = os.environ.get("CROSSTRAIN_GARMIN_KEY", "").strip()
    if not key:
        if not interactive:
            raise CrosstrainError(
                f"set CROSSTRAIN_GARMIN_KEY to the Personal API key (create one at {KEY_PAGE})"
            )
        key = click.prompt("Garmin Personal API key", hide_input=True, err=True).strip()
    if not athlete:
        if not interactive:
            raise CrosstrainError("pass --athlete NAME: the name this athlete has in crosstrain")
        athlete = click.prompt("Athlete name in crosstrain", err=True).strip()
    if key_days is None and interactive:
        answer = click.prompt(
            "The key's lifetime you chose on Garmin (30, 90, 180 or 365 days; Enter if unsure)",
            default="",
            show_default=False,
            err=True,
        ).strip()
        key_days = answer if answer in {str(d) for d in KEY_DAYS} else None
    done = do_connect(env.db, key, athlete, int(key_days) if key_days else None)
    token_until = datetime.fromtimestamp(done.token_expires_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    click.echo(f"Connected Garmin for '{done.athlete}'.")
    if done.key_expires_on:
        click.echo(
            f"The key expires on {done.key_expires_on:%Y-%m-%d}; make a new one at {KEY_PAGE} before then."
        )
    else:
        click.echo(
            "Garmin does not say when a key expires (30, 90, 180 or 365 days after you made it): run "
            "connect again with --key-days N to be reminded before it does."
        )
    click.echo(f"Access token valid until {token_until} (renewed from the key when needed).")
    click.echo(f"Next: crosstrain garmin sync --athlete '{done.athlete}'")


@garmin.command()
@click.option("--athlete", help="The athlete to disconnect [default: the only connected one].")
@click.pass_obj
def disconnect(env: Env, athlete: str | None) -> None:
    """Remove an athlete's stored key and token (their activities stay)."""
    from ingest.garmin import disconnect as do_disconnect

    name = _one_connected(env, athlete)
    if not do_disconnect(env.db, name):
        raise CrosstrainError(f"'{name}' has no Garmin key stored")
    click.echo(f"Disconnected Garmin for '{name}': its key and token are removed; its activities stay.")


@garmin.command(name="sync")
@click.option("--athlete", help="Sync only this connected athlete.")
@click.option("--full", is_flag=True, help="List everything since the first synced day again.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="List from this day (YYYY-MM-DD) [default: where the last sync ended, or a year back].",
)
@click.pass_obj
def sync_command(env: Env, athlete: str | None, full: bool, since: datetime | None) -> None:
    """Fetch new and changed activities of every connected athlete (or one), each with its FIT file.

    An activity whose file can't be had is stored from its summary (said); one whose summary can't
    be read is skipped and recorded in import_rejects (exit 1); the others are stored.
    """
    from ingest.garmin import sync

    day: date | None = since.date() if since else None
    with SyncDisplay() as display:
        result = sync(env.db, env.settings(), athlete=athlete, full=full, since=day, progress=display)
    notes = [line for a in result.athletes for line in a.notes]
    rejects = [line for a in result.athletes for line in a.rejects]
    for line in notes:
        click.echo(f"note: {line}", err=True)
    for line in rejects:
        click.echo(f"error: {line}", err=True)
    click.echo(f"{result.requests} Garmin requests.")
    if len(result.errors) == 1 and not result.athletes:
        raise CrosstrainError(result.errors[0])
    for line in result.errors:
        click.echo(f"error: {line}", err=True)
    if rejects or result.errors:
        raise SystemExit(1)


class SyncDisplay(SyncBar):
    """Garmin's progress: date windows done and files fetched per athlete."""

    def __init__(self) -> None:
        super().__init__(
            BarColumn(),
            TextColumn("{task.completed}/{task.total} windows"),
            TextColumn("{task.fields[files]} files"),
        )

    def __call__(self, event: Progress) -> None:
        if event.done:
            self.finish(event.athlete, event.result.summary())
            return
        description = event.athlete
        if event.waiting_s is not None:
            description = f"{event.athlete}: Garmin asked to wait {event.waiting_s:.0f} s"
        self.step(event.athlete, description, event.windows_total, event.windows, files=event.activities)


COMMANDS: list[click.Command] = [garmin]
