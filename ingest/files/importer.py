"""`crosstrain import` for activity files: FIT, GPX, TCX (also .gz), folders, Strava and Garmin exports.

Files are decoded on every core (workers.py: decode.py in worker processes); the main process writes
what they give through `store.write_activities`, one transaction per batch of decoded files: a file
that can't be read was refused before any write (one line naming it and the reason), so nothing is
ever partial. A Strava export's activities.csv is imported by exports/importer.py with each row's
local time taken in the zone of its file's GPS start point; its files then add their samples to
those rows.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from ingest import athlete_zone, categories
from ingest.database import store
from ingest.database.limits import WEEK_S
from ingest.database.transaction import transaction
from ingest.errors import CrosstrainError, first_line
from ingest.exports.archive import csv_of
from ingest.exports.importer import FileResult, ImportOptions, import_connection, import_file
from ingest.files import attach
from ingest.files.decode import Decoded, Session
from ingest.files.sources import Found, is_activity_path
from ingest.files.workers import STAGES, Progress, Started, decode_items
from ingest.timezones import default_timezone

# Decoded files written per transaction: large enough that DuckDB's per-statement cost is spread,
# small enough that a progress bar moves (crosstrain's convention, bench/README.md).
BATCH_FILES = 200

STAGED_TYPES = {
    "athlete_id": "integer", "source": "varchar", "source_id": "varchar", "strava_id": "bigint",
    "start_at": "timestamp", "start_local": "timestamp", "has_time": "boolean", "sport_type": "varchar",
    "name": "varchar", "description": "varchar", "moving_s": "double", "elapsed_s": "double",
    "distance_m": "double", "elevation_gain_m": "double", "avg_hr": "double", "max_hr": "double",
    "rpe": "double", "relative_effort": "double", "raw": "json",
}  # fmt: skip
assert tuple(STAGED_TYPES) == store.STAGED_COLUMNS

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
    first: Started | None = None,
    after: Callable[[duckdb.DuckDBPyConnection], object] | None = None,
) -> list[FilesResult]:
    """Import every path; a bad file or path doesn't stop the others. The first path's files start
    decoding before the database is opened (or before this module was imported: `first`, started
    by the caller with the same `progress`): its creation (a first import) or its schema check runs
    beside the decode workers instead of before them. `after(con)` runs on the import's connection
    once every path is written, before it closes (the CLI stores the session values there)."""
    results = []
    if first is None and paths:
        first = Started.of(paths[0], progress)
    try:
        with import_connection(db_path, options) as con:
            for n, path in enumerate(paths):
                result = FilesResult(str(path))
                try:
                    started = first if n == 0 and first is not None else Started.of(path, progress)
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
            if after is not None:
                after(con)
    finally:
        if first is not None:
            first.close()  # when the database could not be opened: no worker left decoding
    return results


def _import_path(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    started: Started,
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
    if not found.strava_csv:  # while the workers decode: the writes below find the categories loaded
        categories.register(con, settings)
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
        step = _batch_progress(progress, start, len(good))
        _write_batch(con, batch, athlete, options, settings, result, zone, step, registered=True)
    stored = con.execute(
        "select timezone from athletes where name = ? and timezone_source = 'gps'", [athlete]
    ).fetchone()
    if zone and stored and stored[0] == zone:
        result.notes.append("time zone: " + athlete_zone.gps_note([athlete], zone))


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
    registered: bool = False,
) -> None:
    """Stage a batch's sessions, write them, attach their samples: one transaction. `gps_zone` becomes
    the athlete's zone where it is unset or this machine's (ingest/athlete_zone.py); `registered`:
    `categories.register` ran on `con` with these settings (store.write_activities)."""
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
            registered=registered,
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
    registered: bool = False,
) -> tuple[store.WriteCounts, int]:
    """Write decoded files' sessions and attach their samples, inside the caller's transaction (the
    Garmin sync writes its own bookkeeping in the same one). `names` (source_id -> name) replaces a
    session's own name, as a service's title for the activity; `step(stage, files)` says progress;
    `rejects` hears one line per session the plausibility rules refused; `registered`: the categories
    of `settings` are loaded on `con` already (store.write_activities). Returns the counts and
    attached rows."""
    try:
        athlete_zone.store_gps_zone(con, f"select {int(athlete_id)}", gps_zone)
        fallback = _athlete_zone(con, athlete_id, timezone)
        counts = store.WriteCounts()
        for n, wave in enumerate(_write_order([(d, s) for d in batch for s in d.sessions])):
            rows = [
                _staged_row(athlete_id, d, s, local_time(s.start_at, s.timezone or fallback)) for d, s in wave
            ]
            if names:
                rows = [(*r[:8], names.get(r[2], r[8]), *r[9:]) for r in rows]
            _stage(con, rows)
            # one transaction (the caller's): the categories registered by the first wave serve the rest
            known = registered or n > 0
            counts.add(
                store.write_activities(con, "_staged", import_id, settings, registered=known, ordered=True)
            )
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


def _write_order(sessions: list[tuple[Decoded, Session]]) -> list[list[tuple[Decoded, Session]]]:
    """The writes of a batch's sessions: one, its rows in the order of `_waves` (so that each gets the
    activity id it got when the waves were written one after the other: a tie between two recordings
    of one session goes to the lower id), when no two sessions share a key; else the waves, one write
    each. A single write links its own double recordings (twins.link re-links every activity on the
    days written, the new ones too), and each write costs ~60-90 ms of statement planning whatever
    its rows. Two sessions share a key when one file is in the batch twice (the same bytes under two
    names): written in one go they would be two activities (`id`, `id#2`, store._distinct_rows),
    written in two the second updates the first (its name)."""
    waves = _waves(sessions)
    keys = {source_id(d, s) for d, s in sessions}
    if len(keys) < len(sessions):
        return waves
    return [[x for wave in waves for x in wave]]


def _waves(sessions: list[tuple[Decoded, Session]]) -> list[list[tuple[Decoded, Session]]]:
    """Sessions split so that no two in one wave overlap in time, the earliest first: written one wave
    after the other, a second copy of a file finds its first as stored (a key already stored)."""
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
    "STAGES",  # workers.py's, as the dashboard and the Garmin sync know them from here
    "FilesResult",
    "Progress",
    "decode_items",
    "import_activity_paths",
    "is_activity_path",
    "sessions_zone",
    "source_id",
    "write_decoded",
]
