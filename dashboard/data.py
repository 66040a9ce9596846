"""How the dashboard reads the database: one short read-only connection per page or callback.

DuckDB lets one process write at a time, and a reader holds the file too. Opening briefly for each
page keeps the file free for a `crosstrain import` or `strava sync` in another process, and every
page shows what is in the database now. A busy database becomes a friendly message, not an error page.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import flask

from dashboard.strava_job import SyncJob
from ingest.db import connect
from ingest.errors import CrosstrainError, DatabaseBusyError
from queries.athletes import athletes as list_athletes

T = TypeVar("T")

CONFIG_KEY = "CROSSTRAIN"
# How long a page waits for another process's write to finish before saying so.
READ_WAIT_S = 3.0


@dataclass
class DashboardConfig:
    """What the app serves: the database file and the user's settings."""

    db_path: Path
    settings: dict[str, Any] = field(default_factory=dict)
    # Writes from this process (the import page) exclude reads from it: DuckDB refuses a read-only
    # and a read-write connection to one file in the same process at the same time.
    lock: threading.Lock = field(default_factory=threading.Lock)
    strava: SyncJob = field(default_factory=SyncJob)
    oauth_states: set[str] = field(default_factory=set)
    # Query results by (database state, question): a page shown again before anything was written
    # is answered from here; any write (by any process) changes the state and so the key.
    cache: OrderedDict[tuple, Any] = field(default_factory=OrderedDict)
    cache_lock: threading.Lock = field(default_factory=threading.Lock)


def config() -> DashboardConfig:
    """The running app's configuration (inside a request)."""
    return flask.current_app.config[CONFIG_KEY]


@contextmanager
def turn(cfg: DashboardConfig | None = None, wait_s: float | None = None) -> Iterator[None]:
    """This process's turn on the database file; a friendly error when an upload holds it too long."""
    cfg = cfg or config()
    if not cfg.lock.acquire(timeout=READ_WAIT_S if wait_s is None else wait_s):
        raise DatabaseBusyError(
            f"{cfg.db_path}: an import from this dashboard is still writing; try again shortly"
        )
    try:
        yield
    finally:
        cfg.lock.release()


@contextmanager
def reading(cfg: DashboardConfig | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for one page or callback."""
    cfg = cfg or config()
    with turn(cfg), connect(cfg.db_path, read_only=True, wait_s=READ_WAIT_S) as con:
        yield con


CACHE_ENTRIES = 64


def db_state(path: Path) -> tuple[int, ...]:
    """What changes whenever any process commits: the database file's and its WAL's time and size."""
    state: list[int] = []
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            st = file.stat()
            state += [st.st_mtime_ns, st.st_size]
        except FileNotFoundError:
            state += [0, 0]
    return tuple(state)


def cached(key: tuple, compute: Callable[[], T]) -> T:
    """`compute()` once per database state and `key`; later calls get the same answer until a write."""
    cfg = config()
    full = (db_state(cfg.db_path), *key)
    with cfg.cache_lock:
        if full in cfg.cache:
            cfg.cache.move_to_end(full)
            return cfg.cache[full]
    value = compute()
    with cfg.cache_lock:
        cfg.cache[full] = value
        while len(cfg.cache) > CACHE_ENTRIES:
            cfg.cache.popitem(last=False)
    return value


def read(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(con, *args, **kwargs)` on a fresh read-only connection."""
    with reading() as con:
        return fn(con, *args, **kwargs)


def settings() -> dict[str, Any]:
    return config().settings


def has_database() -> bool:
    return config().db_path.exists()


def default_as_of(athletes: list[dict[str, Any]]) -> dt.date:
    """Today, or the newest activity in the database when that is older (e.g. the sample data set).

    Windows end on this day, so a database that stopped being updated still shows its last state.
    """
    today = dt.date.today()
    last = [a["last_activity"] for a in athletes if a.get("last_activity")]
    if not last:
        return today
    newest = max(dt.date.fromisoformat(str(d)[:10]) for d in last)
    return min(today, newest)


def parse_date(value: Any, fallback: dt.date) -> dt.date:
    """A date from a query string or date picker; the fallback when absent or unreadable."""
    if not value:
        return fallback
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return fallback


def athletes() -> list[dict[str, Any]]:
    return cached(("athletes",), lambda: read(list_athletes))


def error_message(exc: Exception) -> str:
    """What a page says when reading failed: the library's one line, never a traceback."""
    if isinstance(exc, CrosstrainError):
        return str(exc)
    if isinstance(exc, duckdb.Error):
        return f"database error: {str(exc).splitlines()[0]}"
    raise exc
