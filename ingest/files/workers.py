"""Activity files decoded on every core: worker processes forked from the import's own process, which
meanwhile loads DuckDB and the write path and opens the database (ingest/files/importer.py writes
what they give). This module imports no DuckDB and no write path, so that `crosstrain import` forks
the workers before loading them (crosstrain/cli_files.py): what the workers inherit is what they use.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import CrosstrainError, ImportFormatError
from ingest.files.decode import Decoded, decode, decode_each, with_zones
from ingest.files.sources import Found, Item, find

# Below this many files, or this many bytes in all, decoding in this process beats starting workers
# (a worker costs ~0.2 s of CPU to start; ten files of 2 MB decode in ~0.1 s; crosstrain's convention,
# measured in bench/README.md "Activity files").
PARALLEL_FROM = 8
PARALLEL_FROM_BYTES = 4 * 1024 * 1024
# Files sent to a worker at once: one per task cost the import's own process ~0.3 ms each (pickling,
# futures), 0.3 s for a 1,000-file export; a few per task keep both cores busy to the end.
FILES_PER_TASK = 8
# Decode workers at most, and files larger than this decoded one at a time in this process: each
# worker holds a decoded file (up to ~60 times its size for FIT), and an import stays < 1 GB.
MAX_WORKERS = 4
BIG_FILE_BYTES = 1024 * 1024

# (done, total, stage): stage "reading" (decoding files), "writing" (storing sessions, matching double
# recordings), "samples" (attaching the files' samples) or "csv" (a Strava export's activities.csv)
Progress = Callable[[int, int, str], None]
# What each stage is called on a terminal and in the dashboard.
STAGES = {
    "reading": "reading files",
    "writing": "writing sessions, matching double recordings",
    "samples": "attaching samples (heart rate, pace, sets)",
    "csv": "reading the export's activities.csv",
}


@dataclass
class Started:
    """A path's files found and their decoding started, or what finding them raised: raised again by
    importer.py among its path's handlers, so that the path's line is what it was."""

    found: Found | None = None
    decoding: Decoding | None = None
    error: Exception | None = None

    @classmethod
    def of(cls, path: Path, progress: Progress | None) -> Started:
        started = cls()
        try:
            if not path.exists():
                raise CrosstrainError(f"{path}: no such file or folder")
            found = started.found = find(path)
            if not found.items and not found.strava_csv:
                if zipfile.is_zipfile(path):
                    raise ImportFormatError(f"{path}: no activities.csv in this archive: not a Strava export")
                raise ImportFormatError(f"{path}: no .fit, .gpx or .tcx files here")
            started.decoding = Decoding(found.items, progress)
        except Exception as exc:  # noqa: BLE001 - the path's own handlers decide its line
            started.error = exc
        return started

    def close(self) -> None:
        """Its workers stopped (when the import ends early, e.g. the database can't be opened)."""
        if self.decoding is not None:
            self.decoding.close()


def decode_items(
    items: list[Item], progress: Progress | None = None, notes: list[str] | None = None
) -> list[Decoded]:
    """Decoded files in their order (`Decoding`): the one way activity files are decoded (imports and
    the Garmin sync)."""
    return Decoding(items, progress).result(notes)


class Decoding:
    """Files being decoded: small ones on every core (at most MAX_WORKERS) from the moment this is
    made, large ones in this process one at a time when `result` is asked, so that the memory of an
    import stays bounded whatever the folder holds. Between the two, this process is free for other
    work (opening the database)."""

    def __init__(self, items: list[Item], progress: Progress | None = None) -> None:
        self.items, self.progress = items, progress
        self.done: list[Decoded | None] = [None] * len(items)
        self.count = 0
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[Future, list[int]] = {}
        if progress:
            progress(0, len(items), "reading")
        zips: dict[str, zipfile.ZipFile] = {}  # each archive's directory read once, not once per member
        try:
            sizes = [_size(item, zips) for item in items]
        finally:
            for archive in zips.values():
                archive.close()
        self.small = [i for i, size in enumerate(sizes) if size <= BIG_FILE_BYTES]
        known = [sizes[i] for i in self.small]  # 0: not known cheaply (a zip inside the zip): taken as large
        self.workers = max(1, min(os.cpu_count() or 1, len(self.small), MAX_WORKERS))
        if len(self.small) >= PARALLEL_FROM and (sum(known) >= PARALLEL_FROM_BYTES or 0 in known):
            # the largest files first: the last tasks are small ones, so both workers end near together
            # (the folder of real files: 269 -> 257 ms of makespan simulated from its files' decode times)
            largest_first = sorted(self.small, key=lambda i: -sizes[i])
            self.pool, self.futures = _submitted(items, largest_first, self.workers)

    def finished(self, i: int, d: Decoded) -> None:
        self.done[i], self.count = d, self.count + 1
        if self.progress:
            self.progress(self.count, len(self.items), "reading")

    def result(self, notes: list[str] | None = None) -> list[Decoded]:
        """Every file decoded, in their order. `notes` hears a line when a decode worker ended
        abruptly and its files were decoded again. The large files are decoded here while the
        workers decode the small ones (one at a time: a large FIT file's samples are ~60 times it)."""
        if self.pool is not None:
            for i in sorted(set(range(len(self.items))) - set(self.small)):
                self.finished(i, decode(self.items[i]))
            try:
                _collect(self.futures, self.finished)
            finally:
                # every task has ended: the workers need only exit, and they do so while this process
                # goes on (waiting for them cost 20-90 ms of wall before the first write)
                self.close(wait=False)
            left = [i for i in self.small if self.done[i] is None]
            if left:
                undone = lambda i: self.done[i] is None  # noqa: E731
                _decoded_again(self.items, left, self.finished, undone, self.workers, notes)
        for i, item in enumerate(self.items):
            if self.done[i] is None:
                self.finished(i, decode(item))
        return [d for d in self.done if d is not None]

    def close(self, wait: bool = True) -> None:
        """The workers stopped (files not started yet are not decoded); `wait`: until they have exited
        (a pool left un-waited is joined at this process's exit, by concurrent.futures)."""
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=True)
            self.pool = None


# A file whose decoding process ended abruptly (killed, out of memory, a decoder's crash), every time.
ENDED_ABRUPTLY = "the decoding process ended abruptly"
# New workers in a row that end on their first file: no worker can run here (a broken environment,
# not one bad file), and the files left are refused at once rather than one new worker each.
ENDED_ON_FIRST_FILE = 3


def _in_workers(
    items: list[Item],
    indices: list[int],
    finished: Callable[[int, Decoded], None],
    workers: int,
    per_task: int = FILES_PER_TASK,
) -> None:
    """Decode `items[i]` for i in `indices` in a pool of `workers` processes, up to `per_task` files
    a task, calling `finished(i, decoded)` for each; a worker that ends abruptly breaks the pool, and
    the files not finished by then are left to the caller."""
    pool, futures = _submitted(items, indices, workers, per_task)
    with pool:
        _collect(futures, finished)


def _submitted(
    items: list[Item], indices: list[int], workers: int, per_task: int = FILES_PER_TASK
) -> tuple[ProcessPoolExecutor, dict[Future, list[int]]]:
    """A pool of `workers` processes decoding `items[i]` for i in `indices`, up to `per_task` files a
    task, and its futures (-> the task's indices)."""
    per_task = max(1, min(per_task, len(indices) // (workers * 4)))
    tasks = [indices[at : at + per_task] for at in range(0, len(indices), per_task)]
    pool = ProcessPoolExecutor(
        workers, mp_context=_worker_context(), initializer=_end_with_parent, initargs=(os.getpid(),)
    )
    futures = {}
    for task in tasks:
        try:
            futures[pool.submit(decode_each, [items[i] for i in task])] = task
        except BrokenProcessPool:  # broken while tasks were still being handed out
            break
    return pool, futures


def _collect(futures: dict[Future, list[int]], finished: Callable[[int, Decoded], None]) -> None:
    """`finished(i, decoded)` for each file of each future as it completes; a broken pool's are left."""
    for future in as_completed(futures):
        try:
            decoded = future.result()
        except BrokenProcessPool:
            continue
        for i, d in zip(futures[future], decoded, strict=True):
            finished(i, with_zones(d))


def _decoded_again(
    items: list[Item],
    left: list[int],
    finished: Callable[[int, Decoded], None],
    undone: Callable[[int], bool],
    workers: int,
    notes: list[str] | None,
) -> None:
    """The files a broken pool left, decoded once more in new workers: a worker killed from outside
    (the out-of-memory killer, a user) loses no file. When those end abruptly too, a file may crash
    its decoder every time: the rest go to one new worker, one file a task in their order, so that
    the first file left when it ends is the one that ended it; only that file is refused, and
    another new worker takes the files after it (until ENDED_ON_FIRST_FILE workers in a row end on
    their first file: then the rest are refused)."""
    again, refused, first_only = len(left), 0, 0
    _in_workers(items, left, finished, min(workers, len(left)))
    left = [i for i in left if undone(i)]
    while left:
        before = len(left)
        _in_workers(items, left, finished, 1, per_task=1)
        left = [i for i in left if undone(i)]
        if not left:
            break
        first_only = first_only + 1 if len(left) == before else 0
        ended = left if first_only >= ENDED_ON_FIRST_FILE else left[:1]
        for i in ended:
            finished(i, Decoded(items[i], error=ENDED_ABRUPTLY))
        left, refused = left[len(ended) :], refused + len(ended)
    if notes is not None:
        lost = f"; {refused} of them ended it again and were not imported" if refused else ""
        notes.append(
            f"decoding: a worker process ended abruptly (killed, out of memory or crashed); the {again} "
            f"files not decoded by then were decoded again in new ones{lost}"
        )


def _size(item: Item, zips: dict[str, zipfile.ZipFile]) -> int:
    """Bytes of an item as stored (compressed in a zip or .gz), 0 when not known cheaply; `zips`
    keeps the archives opened (opening one per member read a 1,000-file export's directory 1,000
    times: 2.6 s)."""
    try:
        if item.member is None:
            return os.stat(item.path).st_size
        if item.inner is None:
            archive = zips.get(item.path)
            if archive is None:
                archive = zips[item.path] = zipfile.ZipFile(item.path)
            return archive.getinfo(item.member).file_size
    except (OSError, KeyError, zipfile.BadZipFile):
        pass
    return 0


def _worker_context() -> multiprocessing.context.BaseContext:
    """How decode workers start. Forked from this process when the import runs on its main thread (the
    command line): fast, and they inherit the decoders imported here. Spawned (a new
    interpreter each, ~0.3 s of CPU to start) when it runs on another thread (the dashboard's import,
    beside its page requests): a child forked from a threaded server inherits whatever another thread
    held at that moment, and one such worker crashed while freeing lxml objects it inherited (a
    dashboard upload of 120 GPX files, all refused). (A fork server outlived a killed import.)"""
    if threading.current_thread() is not threading.main_thread():
        return multiprocessing.get_context("spawn")
    gc.collect()  # no garbage of this process for the workers to free
    return multiprocessing.get_context("fork")


def _end_with_parent(parent: int) -> None:
    """A decode worker's start: it ends when the import that started it is gone, even after a
    `kill -9` (the pool's own shutdown never runs then, and the worker would wait forever)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
