"""`crosstrain strava connect|sync`: thin commands over ingest.strava."""

from __future__ import annotations

import contextlib
import os
import sys
import webbrowser
from typing import TYPE_CHECKING

import click
from rich.progress import TextColumn

from crosstrain.env import Env
from crosstrain.sync_bar import SyncBar

# ingest.strava imports stravalib (about a second): only the strava commands pay for it.
if TYPE_CHECKING:
    from ingest.strava.sync import Progress


@click.group()
def strava() -> None:
    """Connect Strava accounts and sync their activities.

    Needs STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET from your Strava API application
    (https://www.strava.com/settings/api); STRAVA_API_URL changes the base URL.
    """


@strava.command()
@click.option("--code", help="Exchange an authorization code copied from the browser's address bar.")
@click.option("--athlete", help="Name for this athlete in crosstrain [default: the Strava name].")
@click.option("--no-browser", is_flag=True, help="Print the authorize URL instead of opening a browser.")
@click.option(
    "--port", type=int, default=0, show_default=True, help="Port of the local redirect catcher (0: any)."
)
@click.option(
    "--timeout", type=float, default=300, show_default=True, help="Seconds to wait for the browser."
)
@click.pass_obj
def connect(
    env: Env, code: str | None, athlete: str | None, no_browser: bool, port: int, timeout: float
) -> None:
    """Authorise crosstrain to read an athlete's Strava activities (scope activity:read_all).

    Opens Strava's authorize page and catches its redirect on 127.0.0.1; with --code, exchanges a
    code pasted from the redirect URL instead (for machines without a browser).
    """
    from ingest.strava import RedirectCatcher, StravaApp, authorize_url, exchange_code, new_state

    app = StravaApp.from_env()
    scope = None
    if code is None:
        state = new_state()
        catcher = RedirectCatcher(state, port=port)
        url = authorize_url(app, catcher.redirect_uri, state)
        catcher.serve()
        click.echo("Open this URL and allow crosstrain to read your activities:")
        click.echo(f"  {url}")
        if not no_browser and has_display():
            with contextlib.suppress(webbrowser.Error):
                webbrowser.open(url)
        click.echo(f"Waiting for Strava's redirect to {catcher.redirect_uri} ...")
        redirect = catcher.wait(timeout)
        code, scope = redirect.code or "", redirect.scope
    connected = exchange_code(env.db, code, app, athlete=athlete, scope=scope)
    click.echo(f"Connected Strava athlete {connected.strava_id} as '{connected.name}'.")
    if not connected.scope_ok:
        click.echo(
            "warning: 'View data about your private activities' was not granted; private activities "
            "will be missing (run connect again to grant it)",
            err=True,
        )
    click.echo("Next: crosstrain strava sync")


def has_display() -> bool:
    """Whether a graphical browser can open: a console browser would block the terminal."""
    return sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


@strava.command(name="sync")
@click.option("--athlete", help="Sync only this connected athlete.")
@click.option("--full", is_flag=True, help="Re-list everything and remove activities deleted on Strava.")
@click.option(
    "--no-wait", is_flag=True, help="Stop (exit 1) instead of waiting when a rate limit is used up."
)
@click.pass_obj
def sync_command(env: Env, athlete: str | None, full: bool, no_wait: bool) -> None:
    """Fetch new and changed activities of every connected athlete (or one).

    An activity that can't be read or breaks the plausibility rules is reported, recorded in
    import_rejects and skipped (exit 1); the others are stored.
    """
    from ingest.strava import sync

    with SyncDisplay() as display:
        result = sync(env.db, env.settings(), athlete=athlete, full=full, wait=not no_wait, progress=display)
    rejects = [line for a in result.athletes for line in a.rejects]
    for line in rejects:
        click.echo(f"error: {line}", err=True)
    failed = [a for a in result.athletes if a.error]
    for a in failed:  # one athlete's fault is its line; the others synced
        click.echo(f"error: {a.error if a.athlete in a.error else f'{a.athlete}: {a.error}'}", err=True)
    click.echo(f"{result.requests} Strava requests.")
    if failed:
        synced = len(result.athletes) - len(failed)
        click.echo(f"{len(failed)} of {len(result.athletes)} athletes failed; {synced} synced.")
    if rejects or failed:  # as `import`: exit 1 when anything was rejected (it is in import_rejects too)
        raise SystemExit(1)


class SyncDisplay(SyncBar):
    """Strava's progress: pages listed and activities per athlete; a rate-limit wait said once as a
    line when stderr is not a terminal."""

    def __init__(self) -> None:
        super().__init__(TextColumn("page {task.fields[pages]}"), TextColumn("{task.completed} activities"))
        self.announced: set[object] = set()

    def __call__(self, event: Progress) -> None:
        if event.done:
            self.finish(event.athlete, event.result.summary())
            return
        description = event.athlete
        if event.waiting_for is not None and event.waiting_s is not None:
            hit = event.waiting_for
            minutes, seconds = divmod(int(event.waiting_s + 0.999), 60)
            description = (
                f"{event.athlete}: {hit.what} rate limit used up, waiting {minutes:02d}:{seconds:02d}"
            )
            if not self.tty and hit not in self.announced:
                from ingest.strava.ratelimit import until_text

                self.announced.add(hit)
                click.echo(f"{hit.describe()}; waiting until {until_text(hit.until)} ...", err=True)
        self.step(event.athlete, description, None, event.activities, pages=event.pages)


COMMANDS: list[click.Command] = [strava]
