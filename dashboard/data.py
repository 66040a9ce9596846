"""How the dashboard reads the database: one short read-only connection per page or callback (a
cursor of one in-memory DuckDB instance that attaches the file while pages read: SharedReader).

DuckDB lets one process write at a time, and a reader holds the file too. Opening briefly for each
page keeps the file free for a `crosstrain import` or `strava sync` in another process, and every
page shows what is in the database now. A busy database becomes a friendly message, not an error page.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import flask

from dashboard.import_job import ImportJob
from dashboard.strava_job import strava_job
from dashboard.sync_job import SyncJob
from dashboard.worker import AnalyticsWorker, WorkerGoneError, on_file
from ingest.database.db import attach_read_only, connect
from ingest.errors import CrosstrainError, DatabaseBusyError, first_line
from queries.athletes import names as athlete_names
from queries.overview_cache import OverviewCache
from queries.session_values import refresh_file

T = TypeVar("T")
log = logging.getLogger(__name__)

CONFIG_KEY = "CROSSTRAIN"
# How long a page waits for another process's write to finish before saying so.
READ_WAIT_S = 3.0
# flask.g's slot for the connection a block of readings shares (see `one_connection`).
SHARED_KEY = "crosstrain_reading"


class FileAccess:
    """Who in this process has the database file open, and how.

    DuckDB shares one database instance between a process's connections to a file opened with the
    same configuration, and refuses a read-only and a read-write connection at once. So readers join
    whatever mode is open: while this dashboard writes (an upload, a category set on the athlete
    page), pages read through read-write connections to the same instance and see the last committed
    data (DuckDB's MVCC), never the write in progress. A writer waits only for read-only readers to
    finish (they are short), and new readers wait behind a waiting writer so it is not starved.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._mode: str | None = None  # "ro" or "rw" while anyone in this process has the file open
        self._users = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reader(self, wait_s: float) -> Iterator[bool]:
        """A reader's turn; yields whether to open read-only."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._mode == "rw" or not self._writers_waiting, wait_s):
                raise DatabaseBusyError("the dashboard is starting a write; try again shortly")
            self._mode = self._mode or "ro"
            self._users += 1
            read_only = self._mode == "ro"
        try:
            yield read_only
        finally:
            self._leave()

    @contextmanager
    def writer(self, wait_s: float) -> Iterator[None]:
        """The one writer's turn in this process; DatabaseBusyError when another write holds it."""
        with self._cond:
            self._writers_waiting += 1
            try:
                ready = self._cond.wait_for(lambda: not self._writing and self._mode != "ro", wait_s)
            finally:
                self._writers_waiting -= 1
            if not ready:
                self._cond.notify_all()
                raise DatabaseBusyError(
                    "another import from this dashboard is still writing; try again shortly"
                )
            self._mode, self._writing = "rw", True
            self._users += 1
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
            self._leave()

    def _leave(self) -> None:
        with self._cond:
            self._users -= 1
            if self._users == 0:
                self._mode = None
            self._cond.notify_all()


class SharedReader:
    """Read-only connections as cursors of one in-memory DuckDB instance that has the database file
    attached while any of them is open, and detached (the file free for other processes) when the
    last one closes. A cursor costs ~3 ms of CPU where opening the file makes a DuckDB instance each
    time (~19 ms: bench/README.md "One pass per page"); each page still reads the file as it is now.
    Temp tables stay per cursor (a cursor is its own connection)."""

    ALIAS = "crosstrain"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._users = 0
        self._base: duckdb.DuckDBPyConnection | None = None

    @contextmanager
    def cursor(self, wait_s: float) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            if self._users == 0:
                self._base = self._base or duckdb.connect(":memory:")
                attach_read_only(self._base, self.path, self.ALIAS, wait_s)
            base = self._base
            try:
                con = base.cursor()
            except BaseException:
                if self._users == 0:
                    base.execute(f"detach {self.ALIAS}")
                raise
            self._users += 1
        try:
            try:
                con.execute(f"use {self.ALIAS}")
                con.execute("set TimeZone = 'UTC'")
                yield con
            finally:
                con.close()
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    base.execute(f"detach {self.ALIAS}")


class _Asked:
    """One question waiting in `Batches`: what is asked and where its answer goes."""

    def __init__(self, item: Hashable) -> None:
        self.item = item
        self.answer: Future = Future()


class Batches:
    """Questions of one kind asked at the same moment, answered by one computation over all of them.

    An athlete page's statements cost about the same for ten athletes as for one (planning them is
    most of their time; bench/README.md "Many pages at once"), so when many people open pages at
    once, computing each alone spends most of the server's CPU planning the same statements again.
    Here at most `most` computations run at a time; a question that finds none free waits, and the
    next free turn answers every question then waiting in its group together. A question asked alone
    is computed at once, as before. A batch that fails (one unknown athlete) answers each question
    alone, so each gets its own answer or error.

    One at a time by default: DuckDB computes on one core while the pages' Python (building
    components, which holds the GIL) runs on the other, and batches grow larger (20 clients on 2
    cores: 33 against 38 ms of server CPU per page with two at a time).
    """

    def __init__(self, most: int = 1) -> None:
        self.most = most
        self._cond = threading.Condition()
        self._running = 0
        self._waiting: dict[Hashable, list[_Asked]] = {}
        self.sizes: Counter[int] = Counter()  # how many questions each computation answered

    def ask(self, group: Hashable, item: Hashable, compute: Callable[[list[Any]], dict[Any, T]]) -> T:
        """`compute([item, ...])[item]`, where `compute` answers every item of `group` asked meanwhile;
        `group` holds what the items share (dates, settings, the database's state)."""
        asked = _Asked(item)
        with self._cond:
            self._waiting.setdefault(group, []).append(asked)
            while True:
                if asked.answer.done():
                    return asked.answer.result()
                waiting = self._waiting.get(group, [])
                if self._running < self.most and any(a is asked for a in waiting):
                    del self._waiting[group]
                    self._running += 1
                    break
                self._cond.wait()
        try:
            self._answer(waiting, compute)
        finally:
            with self._cond:
                self._running -= 1
                self._cond.notify_all()
        return asked.answer.result()

    def _answer(self, batch: list[_Asked], compute: Callable[[list[Any]], dict[Any, Any]]) -> None:
        items = list(dict.fromkeys(a.item for a in batch))
        self.sizes[len(items)] += 1
        try:
            try:
                found = compute(items)
            except Exception:
                if len(items) == 1:
                    raise
                found = {}
                for item in items:  # each alone: its own answer or its own error
                    try:
                        found[item] = compute([item])[item]
                    except Exception as exc:  # noqa: BLE001 - handed to the one who asked
                        found[item] = _Failed(exc)
        except BaseException as exc:
            for a in batch:
                a.answer.set_exception(exc)
            raise
        for a in batch:
            value = found[a.item]
            if isinstance(value, _Failed):
                a.answer.set_exception(value.exc)
            else:
                a.answer.set_result(value)


@dataclass(frozen=True)
class _Failed:
    exc: Exception


@dataclass
class DashboardConfig:
    """What the app serves: the database file and the settings resolved once at start."""

    db_path: Path
    settings: dict[str, Any] = field(default_factory=dict)
    access: FileAccess = field(default_factory=FileAccess)
    strava: SyncJob = field(default_factory=strava_job)
    oauth_states: set[str] = field(default_factory=set)
    # Query results by (database state, question): a page shown again before anything was written
    # is answered from here; any write (by any process) changes the state and so the key.
    cache: OrderedDict[tuple, Any] = field(default_factory=OrderedDict)
    cache_lock: threading.Lock = field(default_factory=threading.Lock)
    computing: dict[tuple, Future] = field(default_factory=dict)  # `cached` questions being answered
    # Pages' early starts (`app.start_pages_early`): two at a time, beside the request threads.
    prefetching: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(2))
    # The coach overview by athlete: after a write, only the athletes it changed are computed again.
    overview: OverviewCache = field(default_factory=OverviewCache)
    # The demo: the pages show `db_path` (the sample athletes); imports go into the user's database.
    user_db: Path | None = None
    user_access: FileAccess = field(default_factory=FileAccess)
    shared: SharedReader | None = None  # made on first use, for db_path
    # The coach overview's reads (`overview`): an instance of their own, as its statements run on every
    # core and the other pages' on one (`reading`).
    every_core: SharedReader | None = None
    imports: ImportJob = field(default_factory=ImportJob)
    # Athlete pages asked at the same moment: their data computed together (`Batches`).
    athlete_pages: Batches = field(default_factory=Batches)
    # Where those are computed: a second process (`crosstrain dashboard`), else None: in this one.
    worker: AnalyticsWorker | None = None
    # Whole answers of pages registered with `keep_answer` (the coach overview), as sent, by database
    # state, day and request (`app.keep_page_answers`).
    answers: OrderedDict[tuple, tuple[bytes, str]] = field(default_factory=OrderedDict)

    @property
    def import_db(self) -> Path:
        """Where the Import page writes: the user's database (in the demo too)."""
        return self.user_db or self.db_path


def config() -> DashboardConfig:
    """The running app's configuration (inside a request)."""
    return flask.current_app.config[CONFIG_KEY]


@contextmanager
def writing(cfg: DashboardConfig | None = None, wait_s: float = 30.0) -> Iterator[Path]:
    """This process's write turn on the database file (yields its path); pages keep reading meanwhile.
    When the block ends, still in the turn, the session values it made stale are stored (every
    dashboard write ends here; a sync's child process stores its own: dashboard/sync_job.py)."""
    cfg = cfg or config()
    with cfg.access.writer(wait_s):
        try:
            yield cfg.db_path
        finally:
            refresh_file(cfg.db_path, cfg.settings)


@contextmanager
def importing(cfg: DashboardConfig | None = None, wait_s: float = 30.0) -> Iterator[Path]:
    """The write turn on the database imports go into (yields its path): the shown one, or in the demo
    the user's own, which no page here reads."""
    cfg = cfg or config()
    if cfg.user_db is None:
        with writing(cfg, wait_s) as path:
            yield path
        return
    with cfg.user_access.writer(wait_s):
        try:
            yield cfg.user_db
        finally:
            refresh_file(cfg.user_db, cfg.settings)


def is_demo() -> bool:
    return config().user_db is not None


@contextmanager
def reading(
    cfg: DashboardConfig | None = None, every_core: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for one page or callback that sees the last committed data (inside `one_connection`,
    the block's shared one, as the block says). `every_core`: for statements run on every core (the
    coach overview's), a cursor of another DuckDB instance than the other pages' (see `_connection`)."""
    cfg = cfg or config()
    shared = flask.g.get(SHARED_KEY) if flask.has_request_context() else None
    if shared is None or shared["cfg"] is not cfg:
        with _open_reader(cfg, every_core) as con:
            yield con
        return
    if shared["con"] is None:
        shared["con"] = shared["stack"].enter_context(_open_reader(cfg, shared["every_core"]))
    yield shared["con"]


@contextmanager
def _open_reader(cfg: DashboardConfig, every_core: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    with cfg.access.reader(READ_WAIT_S) as read_only, _connection(cfg, read_only, every_core) as con:
        yield con


@contextmanager
def _connection(
    cfg: DashboardConfig, read_only: bool, every_core: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A reader's connection, once it has its turn (`FileAccess.reader`).

    DuckDB's thread count belongs to the instance, and resizing its thread pool is slow
    (engine.use_threads): the athlete pages' and compare's statements run on one thread, the coach
    overview's on every core, so each kind reads through an instance of its own (`every_core`), as
    the analytics worker has one. On one instance, the page after an overview resized it (an athlete
    page: ~10-40 ms of wall time on the 2-core bench machine, bench/README.md "The athlete page as of
    today"), and the overview after another page."""
    if not read_only:  # this dashboard is writing: read through its instance's last commit
        with connect(cfg.db_path, read_only=False, wait_s=READ_WAIT_S) as con:
            yield con
        return
    kind = "every_core" if every_core else "shared"
    with cfg.cache_lock:
        reader = getattr(cfg, kind)
        if reader is None or reader.path != cfg.db_path:
            reader = SharedReader(cfg.db_path)
            setattr(cfg, kind, reader)
    with reader.cursor(READ_WAIT_S) as con:
        yield con


def apart(cfg: DashboardConfig, fn: Callable[..., T], *args: Any) -> T:
    """`fn(con, settings, *args)`: in the analytics worker process when the app has one
    (dashboard/worker.py: both cores for the pages), else (or while this dashboard writes, which
    keeps the file to itself) here on a reading connection. The worker's read holds a reader's turn
    here, so a write from this dashboard waits for it as for any page; the worker lets go of the file
    before it answers. `fn` must be a module-level function of plain data (it is pickled)."""
    shared = flask.g.get(SHARED_KEY) if flask.has_request_context() else None
    if shared is not None and shared["cfg"] is cfg:  # inside `one_connection`: its turn, its connection
        with reading(cfg) as con:
            return fn(con, cfg.settings, *args)
    with cfg.access.reader(READ_WAIT_S) as read_only:
        if read_only and cfg.worker is not None:
            try:
                return cfg.worker.call(on_file, cfg.db_path, READ_WAIT_S, fn, cfg.settings, *args)
            except WorkerGoneError:
                log.warning("the analytics worker process ended; this batch is computed in process")
        with _connection(cfg, read_only) as con:
            return fn(con, cfg.settings, *args)


@contextmanager
def one_connection(cfg: DashboardConfig | None = None, every_core: bool = False) -> Iterator[None]:
    """Inside the block (in a request), every `reading` shares one connection, opened by the first that
    needs it and closed when the block ends: a page that reads several things after a write opens the
    file once (~15 ms each), and one answered from the cache opens it not at all. `every_core`: that
    connection is a cursor of the instance for statements on every core (the coach overview's page:
    `_connection`)."""
    cfg = cfg or config()
    with ExitStack() as stack:
        setattr(flask.g, SHARED_KEY, {"cfg": cfg, "con": None, "stack": stack, "every_core": every_core})
        try:
            yield
        finally:
            flask.g.pop(SHARED_KEY, None)


CACHE_ENTRIES = 64
ANSWER_ENTRIES = 8  # whole page answers (`keep_answer`): the overview's is ~185 KB for 300 athletes

# flask.g's flag: the page answered as it should be kept (not a busy message or another problem).
KEEP_KEY = "crosstrain_keep_answer"


def answer_may_be_kept() -> None:
    """Said by a page registered with `keep_answer` when it shows its content (not a problem): the
    router's answer for this request may then be sent again until the next write or day."""
    if flask.has_request_context():
        setattr(flask.g, KEEP_KEY, True)


def kept_answer(key: tuple) -> tuple[bytes, str] | None:
    cfg = config()
    with cfg.cache_lock:
        found = cfg.answers.get(key)
        if found is not None:
            cfg.answers.move_to_end(key)
        return found


def keep_answer(key: tuple, answer: tuple[bytes, str]) -> None:
    cfg = config()
    with cfg.cache_lock:
        cfg.answers[key] = answer
        while len(cfg.answers) > ANSWER_ENTRIES:
            cfg.answers.popitem(last=False)


# Set while a page's layout runs only to fill the query cache (`app.start_pages_early`): the page reads
# its data, then returns before building components the router's own call would build again.
PREFETCH_ONLY: ContextVar[bool] = ContextVar("prefetch_only", default=False)


def prefetching() -> bool:
    """Whether this layout call is an early start whose answer is dropped (stop after the reads)."""
    return PREFETCH_ONLY.get()


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
    """`compute()` once per database state and `key`; later calls get the same answer until a write.

    A call that finds the same question already being computed (the page's early start, `prefetch`,
    or another client) waits for that answer instead of computing it a second time."""
    cfg = config()
    full = (db_state(cfg.db_path), *key)
    with cfg.cache_lock:
        if full in cfg.cache:
            cfg.cache.move_to_end(full)
            return cfg.cache[full]
        pending = cfg.computing.get(full)
        if pending is None:
            pending = cfg.computing[full] = Future()
            pending.set_running_or_notify_cancel()
            mine = True
        else:
            mine = False
    if not mine:
        return pending.result()  # the computing call's answer, or its exception
    try:
        value = compute()
    except BaseException as exc:
        with cfg.cache_lock:
            cfg.computing.pop(full, None)
        pending.set_exception(exc)
        raise
    with cfg.cache_lock:
        cfg.cache[full] = value
        cfg.computing.pop(full, None)
        while len(cfg.cache) > CACHE_ENTRIES:
            cfg.cache.popitem(last=False)
    pending.set_result(value)
    return value


def read(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(con, *args, **kwargs)` on a fresh read-only connection."""
    with reading() as con:
        return fn(con, *args, **kwargs)


def settings() -> dict[str, Any]:
    return config().settings


def has_database() -> bool:
    return config().db_path.exists()


def default_as_of(athletes: list[dict[str, Any]] | None = None) -> dt.date:
    """Today: the day every window ends on unless a page is told otherwise, as in the CLI (one default
    day for both). Athletes whose data ended earlier read inactive since their last activity; the
    overview offers each athlete's own last activity, the athlete page shows their last active weeks."""
    return dt.date.today()


# Dates the pages accept in `?as_of=`, `?start=`, `?end=` and the pickers: from the Unix epoch (no
# activity is older; the plausibility rules start there too) to a year ahead (plans look forward).
FIRST_DATE = dt.date(1970, 1, 1)


class BadDateError(CrosstrainError):
    """A date in the address or a picker that the pages cannot use."""


def last_date(today: dt.date | None = None) -> dt.date:
    """A year after today: the latest date a page accepts."""
    today = today or dt.date.today()
    return today + dt.timedelta(days=366 if calendar.isleap(today.year + (today.month > 2)) else 365)


def parse_date(value: Any, fallback: dt.date, what: str = "as_of") -> dt.date:
    """A date from a query string or date picker (the fallback when absent); BadDateError naming the
    parameter when it is unreadable or outside FIRST_DATE .. a year ahead."""
    if value is None or value == "":
        return fallback
    shown = str(value)[:40]
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise BadDateError(f"{what}={shown}: not a date; use YYYY-MM-DD") from None
    if not FIRST_DATE <= day <= last_date():
        raise BadDateError(
            f"{what}={day}: pages show dates from {FIRST_DATE} to {last_date()} (a year ahead)"
        )
    return day


def athletes() -> list[dict[str, Any]]:
    """Every athlete as {name, first_activity, last_activity} (none before the first import has made
    the database): what the pages use of the athlete list, without its counts (queries.athletes.names:
    the counting was a sixth of a first athlete page)."""
    if not has_database():
        return []
    return cached(("athletes",), lambda: read(athlete_names))


# Weeks of the overview's sparklines (and of the weekly rows it reads with the summaries).
SPARK_WEEKS = 8


def overview(day: dt.date) -> tuple[dict[str, Any], Any]:
    """Every athlete's 28-day summary as of `day` and their weekly balance over SPARK_WEEKS weeks:
    queries.overview's answer, kept by athlete in this process so that after a write only the athletes
    it changed are computed again (queries/overview_cache.py), and by database state (`cached`)."""

    def compute() -> tuple[dict[str, Any], Any]:
        first = max(FIRST_DATE, day - dt.timedelta(weeks=SPARK_WEEKS) + dt.timedelta(days=1))
        with reading(every_core=True) as con:
            return config().overview.overview(con, day, first, settings())

    return cached(("overview", day, repr(settings())), compute)


def riskiest(everyone: list[dict[str, Any]]) -> str | None:
    """The athlete the overview lists first today (highest risk, active before inactive)."""
    if len(everyone) < 2:
        return everyone[0]["name"] if everyone else None
    ranked = overview(default_as_of(everyone))[0]["athletes"]
    active = [a for a in ranked if a["risk"] != "inactive"] or ranked
    return active[0]["athlete"] if active else everyone[0]["name"]


def error_message(exc: Exception) -> str:
    """What a page says when something failed: the library's one line, never a traceback. A failure
    of our own code is logged with its traceback (the dashboard's terminal) and named in one line."""
    if isinstance(exc, CrosstrainError):
        return first_line(exc)
    if isinstance(exc, duckdb.Error):
        return f"database error: {first_line(exc)}"
    log.error("a page failed", exc_info=exc)
    what = f"{type(exc).__name__}: {first_line(exc)[:120]}"
    return f"something went wrong here ({what}); the dashboard's log has the details"
