"""`crosstrain dashboard` and `crosstrain demo`: serve the Dash app over the database."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
from pathlib import Path

import click

from ingest.errors import CrosstrainError, DatabaseBusyError

PASSWORD_ENV = "CROSSTRAIN_DASHBOARD_PASSWORD"
THREADS = 32


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and names that resolve only to them (localhost)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def check_exposure(host: str, password: str | None) -> None:
    """Refuse to serve beyond this machine without a password."""
    if not is_loopback(host) and not password:
        raise CrosstrainError(
            f"--host {host} makes the dashboard reachable from other machines; "
            f"give --password (or set {PASSWORD_ENV}) so it asks for one"
        )


def serve(
    db: Path, settings: dict, host: str, port: int, password: str | None, user_db: Path | None = None
) -> None:
    """Serve the dashboard with waitress, a production WSGI server, until Ctrl+C.

    The settings were resolved once by the caller (`--config`); the app keeps them for every page.
    `user_db`: the demo shows `db` (the sample athletes) and imports into the user's database.
    """
    import waitress

    from dashboard import create_app
    from dashboard.app import close_worker, freeze_start_up, start_worker
    from dashboard.uploads import MAX_REQUEST_BYTES

    check_exposure(host, password)
    where = f"http://{host}:{port}"
    check_port_free(host, port, where)
    # The athlete pages' analytics in a second process: the pages' Python and the analytics each have
    # a core (20 clients at once: bench/README.md "A second process").
    app = create_app(db, settings=settings, password=password, user_db=user_db, worker=True)
    start_worker(app)
    freeze_start_up()
    click.echo(f"crosstrain dashboard on {where} (database {db}); Ctrl+C stops it")
    if user_db is not None:
        click.echo(f"  the demo's sample athletes; files uploaded on its Import page go into {user_db}")
    if password:
        click.echo("  user: crosstrain, password: the one you gave")
    # Under load waitress warns of its queue depth on every request: a line per request, not news.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        waitress.serve(
            app.server,
            host=host,
            port=port,
            # A thread per request in flight: a page waiting for its batch (dashboard/data.py Batches)
            # holds one without using the CPU, and the cheap requests (the HTML, Dash's layout, the
            # overview) should not queue behind it (20 clients: overview p95 2.1 s with 8, 0.4 s with 32).
            threads=THREADS,
            # Twice what the app accepts: the app answers an upload a little over its limit with a
            # message in the page; waitress refuses anything far beyond with a 413.
            max_request_body_size=2 * MAX_REQUEST_BYTES,
        )
    except KeyboardInterrupt:
        click.echo("dashboard stopped")
    except OSError as exc:
        raise CrosstrainError(f"cannot serve on {where}: {exc.strerror or exc}") from exc
    finally:
        close_worker(app)


def check_port_free(host: str, port: int, where: str) -> None:
    """One line when the address is taken, before waitress tries (it leaves its socket open then)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        raise CrosstrainError(f"cannot serve on {where}: {exc.strerror or exc}") from exc


def server_options(f):
    f = click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535), help="port")(f)
    f = click.option(
        "--host",
        default="127.0.0.1",
        show_default=True,
        help="address to bind; non-loopback needs --password",
    )(f)
    return f


@click.command("dashboard")
@server_options
@click.option(
    "--password",
    envvar=PASSWORD_ENV,
    show_envvar=True,
    default=None,
    help="ask for this password (HTTP basic auth, user `crosstrain`); required off 127.0.0.1",
)
@click.pass_obj
def dashboard_cmd(env, host: str, port: int, password: str | None) -> None:
    """Serve the dashboard (coach overview, athlete pages, compare, import)."""
    check_exposure(host, password)
    if env.db.exists():  # a database upgraded or written by an older version: its values stored first
        env.store_values(env.db)
    serve(env.db, env.settings(), host, port, password)


@click.command("demo")
@server_options
@click.option(
    "--password", envvar=PASSWORD_ENV, show_envvar=True, default=None, help="as for `crosstrain dashboard`"
)
@click.option(
    "--demo-db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="the demo's own database, made fresh each time [default: demo.duckdb beside --db]",
)
@click.option("--no-serve", is_flag=True, help="only load the sample data set, do not serve")
@click.pass_obj
def demo_cmd(env, host: str, port: int, password: str | None, demo_db: Path | None, no_serve: bool) -> None:
    """Load the synthetic sample athletes, their data ending today, into the demo's own fresh
    database, then serve the dashboard over it.

    Your database (--db) is never touched by the demo: files uploaded on the demo's Import page go
    into it, and `crosstrain dashboard` shows them.
    """
    from ingest.sample.synthetic import load_sample

    check_exposure(host, password)
    db = demo_db or env.db.with_name("demo.duckdb")
    if db.resolve() == env.db.resolve():
        raise CrosstrainError(f"{db}: that is your own database; give the demo another file (--demo-db)")
    kept = replace_demo_db(db)
    if kept:
        click.echo(f"{db} held athletes of your own; kept it as {kept}")
    settings = env.settings()
    load_sample(db, settings, end=dt.date.today())
    env.store_values(db)
    click.echo(f"loaded the synthetic sample athletes, their data ending today, into {db}")
    if not no_serve:
        serve(db, settings, host, port, password, user_db=env.db)


def replace_demo_db(db: Path) -> Path | None:
    """Remove an earlier demo database. One that holds athletes of the user's own (an upload into an
    older demo) is renamed aside, never deleted: returns its new name."""
    from ingest.database.db import connect
    from queries.athletes import athletes

    if not db.exists():
        return None
    try:
        with connect(db, read_only=True) as con:
            real = [a["name"] for a in athletes(con) if not a["name"].endswith("(synthetic)")]
    except DatabaseBusyError:
        raise
    except CrosstrainError:
        real = ["?"]  # unreadable: not ours to delete
    if real:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = db.with_name(f"{db.stem}-kept-{stamp}{db.suffix}")
        db.rename(kept)
        wal = db.with_name(db.name + ".wal")
        if wal.exists():
            wal.rename(kept.with_name(kept.name + ".wal"))
        return kept
    for path in (db, db.with_name(db.name + ".wal")):
        path.unlink(missing_ok=True)
    return None


COMMANDS: list[click.Command] = [dashboard_cmd, demo_cmd]
