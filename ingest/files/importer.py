"""`crosstrain import` for activity files: FIT, GPX, TCX (also .gz), folders, Strava and Garmin exports.

Files are decoded on every core (decode.py in worker processes); the main process writes what they
give through `store.write_activities`, one transaction per batch of decoded files: a file that can't be
read was refused before any write (one line naming it and the reason), so nothing is ever partial.
A Strava export's activities.csv is imported by exports/importer.py with each row's local time taken in the
zone of its file's GPS start point; its files then add their samples to those rows.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from ingest import athlete_zone
from ingest.database import store
from ingest.database.plausibility import WEEK_S
from ingest.database.transaction import transaction
from ingest.errors import CrosstrainError, ImportFormatError, first_line
from ingest.exports.archive import csv_of
from ingest.exports.importer import FileResult, ImportOptions, import_connection, import_file
from ingest.files import attach
from ingest.files.decode import Decoded, Session, decode, decode_each, with_zones
from ingest.files.sources import Found, Item, find, is_activity_path
from ingest.timezones import default_timezone

# Decoded files written per transaction: large enough that DuckDB's per-statement cost is spread,
# small enough that a progress bar moves (crosstrain's convention, bench/README.md).
BATCH_FILES = 200
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

STAGED_TYPES = {
    "athlete_id": "integer", "source": "varchar", "source_id": "varchar", "strava_id": "bigint",
    "start_at": "timestamp", "start_local": "timestamp", "has_time": "boolean", "sport_type": "varchar",
    "name": "varchar", "description": "varchar", "moving_s": "double", "elapsed_s": "double",
    "distance_m": "double", "elevation_gain_m": "double", "avg_hr": "double", "max_hr": "double",
    "rpe": "double", "relative_effort": "double", "raw": "json",
}  # fmt: skip
assert tuple(STAGED_TYPES) == store.STAGED_COLUMNS

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
# What reading a damaged zip raises (a member's deflate stream, its headers, a cut archive).
ARCHIVE_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError)


@dataclass
class FilesResult:
    """What importing one path of activity files did."""

    path: str
    files: int = 0
    sessions: int = 0
    counts: store.WriteCounts = field(default_factory=store.WriteCounts)
    skipped: int = 0  # FIT files that hold no activity (monitoring, settings, ...)
    rejects: list[str] = field(default_factory=list)
    csv: FileResult | None = None  # a Strava export's activities.csv
    attached: int = 0  # activities that got a file's samples
    unlisted: int = 0  # a Strava export's files that no row of activities.csv names (their own activities)
    error: str | None = None
    notes: list[str] = field(default_factory=list)  # the athlete's zone from GPS; files read in part
    athletes: list[str] = field(default_factory=list)  # whose sessions these were (as FileResult's)

    def summary(self) -> str:
        c = self.counts
        if self.csv is not None:
            own = (
                f"; {self.unlisted} activity files not in activities.csv: {c.new} imported, {c.updated} "
                f"updated, {c.duplicate} duplicates or already stored{c.twins_note()}"
                if self.unlisted
                else ""
            )
            line = (
                f"{self.path}: {self.files - self.unlisted} activity files: samples of {self.attached} "
                f"activities, {len(self.rejects)} rejected{own}"
            )
            return "\n".join([line, *(f"  {n}" for n in [*self.notes, *c.notes()])])
        skipped = f", {self.skipped} not activities (skipped)" if self.skipped else ""
        line = (
            f"{self.path}: {self.files} activity files, {self.sessions} sessions: {c.new} imported, "
            f"{c.updated} updated, {c.duplicate} duplicates or already stored{skipped}, "
            f"{len(self.rejects)} rejected{c.twins_note()}"
        )
        return "\n".join([line, *(f"  {n}" for n in [*self.notes, *c.notes()])])


def import_activity_paths(
    db_path: Path | str | None,
    paths: list[Path],
    options: ImportOptions,
    settings: dict[str, Any],
    progress: Progress | None = None,
) -> list[FilesResult]:
    """Import every path; a bad file or path doesn't stop the others. The first path's files start
    decoding before the database is opened: its creation (a first import) or its schema check runs
    beside the decode workers instead of before them."""
    results = []
    first = _Started.of(paths[0], progress) if paths else None
    try:
        with import_connection(db_path, options) as con:
            for n, path in enumerate(paths):
                result = FilesResult(str(path))
                try:
                    started = first if n == 0 and first is not None else _Started.of(path, progress)
                    _import_path(con, path, started, options, settings, result, progress)
                except CrosstrainError as exc:
                    result.error = str(exc)
                except ARCHIVE_ERRORS as exc:
                    result.error = f"{path}: cannot read the archive: {first_line(exc)}"
                except OSError as exc:
                    result.error = f"{path}: cannot read: {exc}"
                except duckdb.Error as exc:
                    result.error = f"{path}: not imported: {first_line(exc)}"
                except Exception as exc:  # noqa: BLE001 - one path's fault is its line; the others go on
                    result.error = f"{path}: not imported: {type(exc).__name__}: {first_line(exc)[:200]}"
                results.append(result)
    finally:
        if first is not None:
            first.close()  # when the database could not be opened: no worker left decoding
    return results


@dataclass
class _Started:
    """A path's files found and their decoding started, or what finding them raised: raised again by
    `_import_path` among its path's handlers, so that the path's line is what it was."""

    found: Found | None = None
    decoding: Decoding | None = None
    error: Exception | None = None

    @classmethod
    def of(cls, path: Path, progress: Progress | None) -> _Started:
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
        if self.decoding is not None:
            self.decoding.close()


def _import_path(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    started: _Started,
    options: ImportOptions,
    settings: dict[str, Any],
    result: FilesResult,
    progress: Progress | None,
) -> None:
    found = started.found
    if found is not None:
        result.rejects += [f"{name}: {reason}" for name, reason in found.refused]
    if started.error is not None:
        raise started.error
    assert found is not None and started.decoding is not None
    decoded = started.decoding.result(result.notes)
    good = []
    for d in decoded:
        result.rejects += [f"{d.item.shown}: {why}; not imported" for why in d.refused]
        if d.note:
            result.notes.append(f"{d.item.shown}: {d.note}")
        if d.error:
            result.rejects.append(f"{d.item.shown}: {d.error}; file skipped")
        elif d.skipped:
            result.skipped += 1
        else:
            good.append(d)
    result.files = len(good)
    result.sessions = sum(d.recorded for d in good)
    if found.strava_csv:
        _strava_export(con, path, found, good, options, settings, result, progress)
        return
    athlete = options.athlete or found.profile_name
    if athlete is None:
        raise CrosstrainError(f"{path}: whose activities are these? pass --athlete NAME")
    result.athletes = [athlete]
    zone = None if options.timezone else sessions_zone([s for d in good for s in d.sessions])
    for start in range(0, len(good), BATCH_FILES):
        if progress:
            progress(start, len(good), "writing")
        batch = good[start : start + BATCH_FILES]
        _write_batch(
            con, batch, athlete, options, settings, result, zone, _batch_progress(progress, start, len(good))
        )
    stored = con.execute(
        "select timezone from athletes where name = ? and timezone_source = 'gps'", [athlete]
    ).fetchone()
    if zone and stored and stored[0] == zone:
        result.notes.append("time zone: " + athlete_zone.gps_note([athlete], zone))


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
            self.pool, self.futures = _submitted(items, self.small, self.workers)

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
                self.close()
            left = [i for i in self.small if self.done[i] is None]
            if left:
                undone = lambda i: self.done[i] is None  # noqa: E731
                _decoded_again(self.items, left, self.finished, undone, self.workers, notes)
        for i, item in enumerate(self.items):
            if self.done[i] is None:
                self.finished(i, decode(item))
        return [d for d in self.done if d is not None]

    def close(self) -> None:
        """The workers stopped (files not started yet are not decoded)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
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


def _athlete_zone(con: duckdb.DuckDBPyConnection, athlete_id: int, option: str | None) -> str:
    if option:
        return option
    row = con.execute("select timezone from athletes where athlete_id = ?", [athlete_id]).fetchone()
    return (row and row[0]) or default_timezone(con)


def sessions_zone(sessions: list[Session]) -> str | None:
    """The zone of most of the recent sessions with GPS (ingest/athlete_zone.py's rule)."""
    own = [(s.start_at, s.timezone) for s in sessions if s.lat is not None and s.timezone]
    return athlete_zone.gps_zone(own)


def local_time(start_at: datetime, zone: str) -> datetime:
    """The wall-clock time in `zone` of a naive UTC instant."""
    return start_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _write_batch(
    con: duckdb.DuckDBPyConnection,
    batch: list[Decoded],
    athlete: str,
    options: ImportOptions,
    settings: dict[str, Any],
    result: FilesResult,
    gps_zone: str | None = None,
    step: Callable[[str, int], None] | None = None,
) -> None:
    """Stage a batch's sessions, write them, attach their samples: one transaction. `gps_zone` becomes
    the athlete's zone where it is unset or this machine's (ingest/athlete_zone.py)."""
    with transaction(con):
        athlete_id = store.ensure_athlete(con, athlete, timezone=options.timezone)
        import_id = store.start_import(con, "files", result.path, "activity files")
        counts, attached = write_decoded(
            con,
            batch,
            athlete_id,
            import_id,
            settings,
            options.timezone,
            gps_zone,
            step=step,
            rejects=result.rejects,
        )
        result.counts.add(counts)
        result.attached += attached
        con.execute("update imports set athlete_id = ? where import_id = ?", [athlete_id, import_id])
        store.finish_import(con, import_id, counts)


def write_decoded(
    con: duckdb.DuckDBPyConnection,
    batch: list[Decoded],
    athlete_id: int,
    import_id: int,
    settings: dict[str, Any],
    timezone: str | None = None,
    gps_zone: str | None = None,
    names: dict[str, str] | None = None,
    step: Callable[[str, int], None] | None = None,
    rejects: list[str] | None = None,
) -> tuple[store.WriteCounts, int]:
    """Write decoded files' sessions and attach their samples, inside the caller's transaction (the
    Garmin sync writes its own bookkeeping in the same one). `names` (source_id -> name) replaces a
    session's own name, as a service's title for the activity; `step(stage, files)` says progress;
    `rejects` hears one line per session the plausibility rules refused. Returns the counts and
    attached rows."""
    try:
        athlete_zone.store_gps_zone(con, f"select {int(athlete_id)}", gps_zone)
        fallback = _athlete_zone(con, athlete_id, timezone)
        counts = store.WriteCounts()
        for n, wave in enumerate(_waves([(d, s) for d in batch for s in d.sessions])):
            rows = [
                _staged_row(athlete_id, d, s, local_time(s.start_at, s.timezone or fallback)) for d, s in wave
            ]
            if names:
                rows = [(*r[:8], names.get(r[2], r[8]), *r[9:]) for r in rows]
            _stage(con, rows)
            # one transaction (the caller's): the categories registered by the first wave serve the rest
            counts.add(store.write_activities(con, "_staged", import_id, settings, registered=n > 0))
            if rejects is not None:
                rejects += _implausible(con, wave)
        if step:
            step("writing", len(batch))
            step("samples", 0)
        attached = attach.attach(
            con, athlete_id, [(d, s, (d.item.kind, source_id(d, s))) for d in batch for s in d.sessions]
        )
        if step:
            step("samples", len(batch))
    finally:
        con.execute("drop table if exists _staged")
    return counts, attached


def _batch_progress(progress: Progress | None, start: int, total: int) -> Callable[[str, int], None] | None:
    """`step(stage, n)` for a batch starting at file `start`: n of its files are done with `stage`."""
    if progress is None:
        return None
    return lambda stage, n: progress(start + n, total, stage)


def _waves(sessions: list[tuple[Decoded, Session]]) -> list[list[tuple[Decoded, Session]]]:
    """Sessions split so that no two in one wave overlap in time: the write path checks a new row
    against stored rows, so the FIT and GPX of one run in one batch must be written one after the other
    for the second to be recognised as the same session."""
    waves: list[list[tuple[Decoded, Session]]] = []
    ends: list[list[tuple[datetime, datetime]]] = []
    for d, s in sorted(sessions, key=lambda x: x[1].start_at):
        # at most a week (longer totals are refused by the plausibility rules, after this split)
        seconds = min(s.facts.elapsed_s or s.facts.moving_s or 0, WEEK_S)
        span = (s.start_at, s.start_at + timedelta(seconds=seconds if seconds == seconds else 0))
        for wave, spans in zip(waves, ends, strict=True):
            if all(span[0] >= e or span[1] <= b for b, e in spans[-4:]):
                wave.append((d, s))
                spans.append(span)
                break
        else:
            waves.append([(d, s)])
            ends.append([span])
    return waves


def _implausible(con: duckdb.DuckDBPyConnection, wave: list[tuple[Decoded, Session]]) -> list[str]:
    """One line per session of `wave` that the plausibility rules refused (store.write_activities
    leaves them in `_implausible`): the file, the session and the rule's reason."""
    found = con.execute("select source_id, reason from _implausible order by _rid").fetchall()
    if not found:
        return []
    where = {source_id(d, s): (d.item.shown, s.index) for d, s in wave}
    lines = []
    for key, reason in found:
        shown, index = where.get(key, (key, 0))
        lines.append(f"{shown}: session {index + 1}: {reason}; not imported")
    return lines


def source_id(d: Decoded, s: Session) -> str:
    """The key of a file's session: its content (re-importing the same file adds nothing)."""
    return f"{d.digest}:{s.index}"


def _staged_row(athlete_id: int, d: Decoded, s: Session, start_local: datetime) -> tuple:
    f = s.facts
    return (
        athlete_id,
        d.item.kind,  # fit, gpx, tcx: one session's FIT and GPX are two sources, so twins
        source_id(d, s),
        None,
        s.start_at,
        start_local,
        True,
        s.sport,
        s.name or Path(d.item.inner or d.item.member or d.item.path).name,
        None,
        f.moving_s,
        f.elapsed_s,
        f.distance_m,
        f.elevation_gain_m,
        f.avg_hr,
        f.max_hr,
        s.rpe,
        None,
        None,
    )


def _stage(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Temp table `_staged` (store.STAGED_COLUMNS) holding `rows`."""
    attach.frame_table(con, "_staged", STAGED_TYPES, rows)


def _strava_export(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    found: Found,
    good: list[Decoded],
    options: ImportOptions,
    settings: dict[str, Any],
    result: FilesResult,
    progress: Progress | None = None,
) -> None:
    """activities.csv with each row's local time in its file's GPS zone, then the files' samples; files
    that no row names are activities of their own (an export's activities/ holds more than its CSV
    lists)."""
    own = [d for d in good if d.item.strava_id is None]
    good = [d for d in good if d.item.strava_id is not None]
    firsts = [(d.item.strava_id, d.sessions[0]) for d in good if d.sessions]
    attach.frame_table(
        con,
        "_row_zones",
        {"source_id": "varchar", "tz": "varchar", "moving_s": "double"},
        [(sid, s.timezone, s.facts.moving_s) for sid, s in firsts],
    )
    athlete_zone.offer(con, None if options.timezone else sessions_zone([s for _, s in firsts]))
    if progress:
        progress(0, 1, "csv")
    try:
        with csv_of(found.csv_path or path) as (csv_path, shown, profile_name):
            profile_name = profile_name or found.profile_name
            result.csv = import_file(con, csv_path, shown, options, settings, profile_name)
    finally:
        con.execute("drop table if exists _row_zones")
        athlete_zone.withdraw(con)
    athlete = options.athlete or profile_name
    athlete_id = con.execute("select athlete_id from athletes where name = ?", [athlete]).fetchone()
    if athlete_id is None:
        return
    for start in range(0, len(good), BATCH_FILES):
        if progress:
            progress(start, len(good), "writing")
        batch = good[start : start + BATCH_FILES]
        with transaction(con):
            # A Strava export file holds one session; its row is the CSV's (source strava, Activity ID).
            result.attached += attach.attach(
                con,
                athlete_id[0],
                [(d, d.sessions[0], ("strava", d.item.strava_id)) for d in batch if d.sessions],
            )
    result.unlisted = len(own)
    for start in range(0, len(own), BATCH_FILES):
        _write_batch(con, own[start : start + BATCH_FILES], athlete, options, settings, result)
    if progress:
        progress(len(good) + len(own), len(good) + len(own), "writing")


__all__ = [
    "FilesResult",
    "import_activity_paths",
    "is_activity_path",
    "sessions_zone",
    "source_id",
    "write_decoded",
]
