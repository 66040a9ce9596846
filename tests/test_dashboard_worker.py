"""The athlete pages' analytics in a second process (dashboard/worker.py, issue 22: 20 clients at
once): the same data as in process, the file let go of after each batch so the dashboard's own writes
and other processes find it free, errors handed back as the page's own, a lost worker replaced."""

from __future__ import annotations

import ctypes.util
import datetime as dt
import os
import signal
from pathlib import Path

import duckdb
import pytest
from one_pass_pages import plain

from dashboard import athlete_view, create_app, data
from dashboard.app import close_worker, start_worker
from dashboard.data import CONFIG_KEY, DashboardConfig
from dashboard.worker import ALLOCATOR_ENV, AnalyticsWorker, allocator, mapped_allocator
from ingest.database.db import connect
from ingest.errors import DatabaseBusyError, UnknownAthleteError
from ingest.sample.synthetic import load_sample

END = dt.date(2026, 11, 22)
FIRST = END - dt.timedelta(weeks=16) + dt.timedelta(days=1)


@pytest.fixture
def served(db_path: Path):
    """An app over the sample athletes with its worker process running; ended after the test."""
    assert load_sample(db_path, {}, end=END).error is None
    app = create_app(db_path, worker=True)
    start_worker(app)
    yield app
    close_worker(app)


def names_of(db: Path) -> list[str]:
    with connect(db, read_only=True) as con:
        return [r[0] for r in con.execute("select name from athletes order by name").fetchall()]


def in_worker(cfg: DashboardConfig, names: list[str], day: dt.date = END) -> dict:
    return data.apart(cfg, athlete_view.athletes_data_on, names, FIRST, END, day)


def test_pages_computed_in_the_worker_equal_those_computed_in_process(served, db_path: Path) -> None:
    cfg = served.server.config[CONFIG_KEY]
    names = names_of(db_path)
    apart = in_worker(cfg, names, END - dt.timedelta(days=3))
    assert cfg.worker.calls == 1 and cfg.worker.pid() not in (None, os.getpid())
    with served.server.app_context():
        here = athlete_view.athletes_data(names, FIRST, END, END - dt.timedelta(days=3))
    assert plain(apart) == plain(here)  # every float exactly, frames' columns and rows
    for name in names:
        for mine, its in zip(apart[name][1:4], here[name][1:4], strict=True):
            assert list(mine.dtypes) == list(its.dtypes) and list(mine.index) == list(its.index)


def test_the_dashboard_writes_after_a_batch_and_reads_its_write_meanwhile(served, db_path: Path) -> None:
    """The worker lets go of the file before it answers; while this dashboard writes (the file is its
    own), pages are computed in process and see the last committed data."""
    cfg = served.server.config[CONFIG_KEY]
    names = names_of(db_path)
    before = in_worker(cfg, names[:1])
    with data.writing(cfg, wait_s=5) as path, connect(path, read_only=False) as con:
        con.execute("update athletes set name = name where name = ?", [names[0]])  # a write, no change
        during = in_worker(cfg, names[:1])
    assert cfg.worker.calls == 1  # the one before the write
    assert plain(during) == plain(before)
    after = in_worker(cfg, names[:1])
    assert cfg.worker.calls == 2
    # The update rewrote the row, so sums may add in another order (last bits): compare with the
    # same pages computed in process after the write.
    with served.server.app_context():
        assert plain(after) == plain(athlete_view.athletes_data(names[:1], FIRST, END, END))


def test_a_file_another_process_writes_is_a_busy_message(
    served, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = served.server.config[CONFIG_KEY]
    name = names_of(db_path)[0]
    monkeypatch.setattr(data, "READ_WAIT_S", 0.3)
    holder = duckdb.connect(str(db_path))  # as `crosstrain import` in a terminal holds it
    try:
        with pytest.raises(DatabaseBusyError):
            in_worker(cfg, [name])
    finally:
        holder.close()
    assert in_worker(cfg, [name])[name][0]["athlete"] == name


def test_an_unknown_athlete_is_the_pages_own_error(served) -> None:
    cfg = served.server.config[CONFIG_KEY]
    with pytest.raises(UnknownAthleteError, match="Nobody"):
        in_worker(cfg, ["Nobody"])


def test_a_lost_worker_is_replaced(served, db_path: Path) -> None:
    cfg = served.server.config[CONFIG_KEY]
    names = names_of(db_path)
    expected = plain(in_worker(cfg, names[:2]))
    first = cfg.worker.pid()
    os.kill(first, signal.SIGKILL)
    assert plain(in_worker(cfg, names[:2])) == expected  # computed in process this time
    assert plain(in_worker(cfg, names[:2])) == expected  # and in a new worker
    assert cfg.worker.pid() not in (None, first)
    close_worker(served)
    assert cfg.worker.pid() is None


def test_the_worker_runs_with_the_allocator_found_and_its_pages_are_the_same(served) -> None:
    """cmeel-mimalloc is a dependency, so an allocator is found (the system's jemalloc first); the
    child has it loaded, this process not (only the worker is started with it), and the first test
    above compared its pages with the in-process ones."""
    cfg = served.server.config[CONFIG_KEY]
    assert cfg.worker.allocator is not None
    loaded = cfg.worker.call(mapped_allocator)
    assert loaded is not None and loaded.split(".so")[0] in cfg.worker.allocator
    assert mapped_allocator() is None and cfg.worker.allocator not in os.environ.get("LD_PRELOAD", "")


@pytest.mark.parametrize("setting", ["off", "OFF", "/no/such/allocator.so"])
def test_the_allocator_can_be_turned_off(monkeypatch, setting: str) -> None:
    """CROSSTRAIN_ALLOCATOR=off (or a path that is not there) starts the worker with glibc's."""
    monkeypatch.setenv(ALLOCATOR_ENV, setting)
    worker = AnalyticsWorker()
    try:
        assert worker.allocator is None
        assert worker.call(mapped_allocator) is None
    finally:
        worker.close()


def test_an_allocator_named_is_the_one_used(monkeypatch) -> None:
    """CROSSTRAIN_ALLOCATOR=PATH: that library (here the one found without it)."""
    found = allocator()
    assert found is not None
    path = found if os.path.isabs(found) else ctypes.util.find_library(found)
    monkeypatch.setenv(ALLOCATOR_ENV, path)
    worker = AnalyticsWorker()
    try:
        assert worker.allocator == path
        assert worker.call(mapped_allocator) == Path(path).resolve().name  # the file a link names
    finally:
        worker.close()


def test_the_overview_reads_through_an_instance_of_its_own(db_path: Path) -> None:
    """The coach overview's statements run on every core, the athlete and compare pages' on one
    (DuckDB's threads belong to the instance, and resizing its pool is slow): each kind reads through
    an instance of its own, so neither resizes the other's (an athlete page after the overview did)."""
    assert load_sample(db_path, {}, end=END).error is None
    app = create_app(db_path)
    cfg = app.server.config[CONFIG_KEY]
    names = names_of(db_path)

    def threads(reader: data.SharedReader) -> int:
        with reader.cursor(5) as con:
            return con.execute("select current_setting('threads')").fetchone()[0]

    with app.server.test_request_context("/"):
        here = in_worker(cfg, names)  # in process: this app has no worker
        assert threads(cfg.shared) == 1
        data.overview(END)  # its compare rows on every core
        assert cfg.every_core is not None and cfg.every_core is not cfg.shared
        assert threads(cfg.every_core) == (os.cpu_count() or 1)
        assert threads(cfg.shared) == 1  # not resized by the overview
        assert plain(in_worker(cfg, names)) == plain(here)
        assert threads(cfg.every_core) == (os.cpu_count() or 1)  # nor the overview's by a page
