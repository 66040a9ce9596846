"""A second process for the athlete pages' analytics, so that the server uses both cores.

The pages' Python (components, figures, JSON, waitress) holds the GIL; the analytics of the athlete
pages asked at the same moment (`data.Batches`) run DuckDB and pandas in between. In one process the
two take turns on the GIL and a batch waits for it between statements (a batch of 10 pages: ~185 ms
alone, 480-800 ms beside one thread building pages; bench/README.md "A second process"). Here the
batches run in a child process with its own interpreter, which opens the database file read-only
for each batch and lets go of it after (`SharedReader`), so the dashboard's own writes and other
processes' imports find the file as free as before. The child is started with the server (or on
first use; spawned, as the server has threads), answers one call at a time, and ends when the
dashboard's process does.

The child runs with a faster memory allocator than glibc's when one is at hand (`allocator`): the
analytics (DuckDB's planner, pandas) allocate many small blocks, and jemalloc or mimalloc takes
~0.75x the worker's CPU a page (bench/README.md "The worker's allocator and the server's own
Python"). A process's allocator is chosen when it starts (LD_PRELOAD), so the child is started with
it; CROSSTRAIN_ALLOCATOR=off turns it off, and without one the child uses glibc's as before.
"""

from __future__ import annotations

import ctypes.util
import importlib
import importlib.metadata
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ingest.errors import CrosstrainError, first_line

log = logging.getLogger(__name__)

# How often a caller waiting for an answer checks that the child is still there.
ALIVE_CHECK_S = 1.0

# "off": the worker uses glibc's allocator; a path: that allocator library; unset: `allocator` finds one.
ALLOCATOR_ENV = "CROSSTRAIN_ALLOCATOR"
# The allocators tried, best first (measured: bench/README.md "The worker's allocator and the
# server's own Python"): the system's jemalloc (Debian's libjemalloc2), then mimalloc from the
# cmeel-mimalloc wheel (a dependency).
JEMALLOC = "jemalloc"
MIMALLOC_WHEEL, MIMALLOC_FILE = "cmeel-mimalloc", "cmeel.prefix/lib/libmimalloc.so.3"


class WorkerGoneError(CrosstrainError):
    """The analytics worker process ended without answering (the caller computes in process)."""


class AnalyticsWorker:
    """One child process that runs `fn(*args)` calls in turn and sends back their answers (or the
    exception they raised). `fn` and its arguments and answer are pickled: module-level functions
    and plain data (dicts, dates, DataFrames)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self.calls = 0  # calls the child answered (tests and benches)
        self.allocator = allocator()  # the library the child is started with; None: glibc's

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """`fn(*args)` in the child; its exception is raised here. WorkerGoneError when the child
        died or could not be started (it is started again on the next call)."""
        with self._lock:
            try:
                conn = self._started()
                conn.send((fn, args))
                while not conn.poll(ALIVE_CHECK_S):
                    if not self._process.is_alive():
                        raise EOFError
                ok, value = conn.recv()
                self.calls += 1
            except (EOFError, OSError) as exc:
                self._stop()
                raise WorkerGoneError(f"the analytics worker process ended: {exc!r}") from exc
        if ok:
            return value
        raise value

    def start(self) -> None:
        """Start the child now (it imports the analytics while the server starts), not on first use."""
        with self._lock:
            self._started()

    def _started(self) -> Connection:
        if self._process is None or not self._process.is_alive():
            self._stop()
            context = multiprocessing.get_context("spawn")
            mine, theirs = context.Pipe()
            process = context.Process(
                target=serve, args=(theirs, PRELOAD), name="crosstrain-analytics", daemon=True
            )
            with preloaded(self.allocator):
                process.start()
            theirs.close()
            self._process, self._conn = process, mine
        return self._conn

    def pid(self) -> int | None:
        """The child's process id while it runs (for tests and benches)."""
        return self._process.pid if self._process is not None and self._process.is_alive() else None

    def close(self) -> None:
        """End the child (it finishes the call it is on: closing its pipe ends its loop)."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.join(5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        self._process = self._conn = None


def allocator() -> str | None:
    """The allocator library to start the worker with (a path or a library name that the dynamic
    loader finds), or None for glibc's: CROSSTRAIN_ALLOCATOR's path, else the first found of the
    system's jemalloc and the cmeel-mimalloc wheel's mimalloc; "off" or nothing found: None."""
    asked = os.environ.get(ALLOCATOR_ENV, "").strip()
    if asked.lower() == "off":
        return None
    if asked:
        if os.path.isfile(asked):
            return asked
        log.warning(
            "%s=%s: no such file; the analytics worker uses the default allocator", ALLOCATOR_ENV, asked
        )
        return None
    found = ctypes.util.find_library(JEMALLOC)
    if found:
        return found
    try:
        wheel = importlib.metadata.distribution(MIMALLOC_WHEEL).locate_file(MIMALLOC_FILE)
    except importlib.metadata.PackageNotFoundError:
        return None
    return str(wheel) if os.path.isfile(wheel) else None


_ENVIRON = threading.Lock()


@contextmanager
def preloaded(library: str | None) -> Iterator[None]:
    """Inside the block, processes started get `library` preloaded (LD_PRELOAD in this process's
    environment, put back after: a spawned child inherits the environment it is started with)."""
    if library is None:
        yield
        return
    with _ENVIRON:
        before = os.environ.get("LD_PRELOAD")
        os.environ["LD_PRELOAD"] = library if not before else f"{library}:{before}"
        try:
            yield
        finally:
            if before is None:
                del os.environ["LD_PRELOAD"]
            else:
                os.environ["LD_PRELOAD"] = before


def mapped_allocator() -> str | None:
    """The jemalloc or mimalloc library this process has loaded (its file name), or None (Linux's
    /proc; tests and benches ask the worker, to see what it runs with)."""
    try:
        maps = open("/proc/self/maps").read()  # noqa: SIM115, PTH123 - read at once
    except OSError:
        return None
    for line in maps.splitlines():
        name = line.rsplit("/", 1)[-1]
        if "jemalloc" in name or "mimalloc" in name:
            return name
    return None


# What the child imports as it starts, before the first call comes (~1-2 s: pandas, Dash, DuckDB).
PRELOAD = ("dashboard.athlete_view",)


def serve(conn: Connection, preload: tuple[str, ...] = ()) -> None:
    """The child's loop: a call in, its answer out, until the parent closes the pipe or is gone."""
    # Ctrl+C in the terminal reaches the whole process group: the parent stops the server and closes
    # the pipe, which ends this loop (no traceback from here).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for module in preload:
        importlib.import_module(module)
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            answer = (True, fn(*args))
        except Exception as exc:  # noqa: BLE001 - raised again in the parent
            answer = (False, exc)
        try:
            conn.send(answer)
        except (BrokenPipeError, EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - an answer that does not pickle: its one line instead
            conn.send((False, CrosstrainError(f"{type(exc).__name__}: {first_line(exc)}")))


# The child's readers of each database file: one in-memory DuckDB instance that attaches the file for
# each call and detaches it after, and keeps its parsed statements between calls.
_READERS: dict[Path, Any] = {}


def on_file(path: Path, wait_s: float, fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(con, *args)` on a read-only connection to the file at `path`, released when it returns."""
    from dashboard.data import SharedReader

    reader = _READERS.get(path)
    if reader is None:
        reader = _READERS[path] = SharedReader(path)
    with reader.cursor(wait_s) as con:
        return fn(con, *args)
