"""Garmin sync: connect an athlete's Personal API key, then list date windows and import each new or
changed activity's original file through the activity-files importer.

Rules:
- Windows of WINDOW_DAYS local days, oldest first, from the stored cursor minus LOOKBACK_DAYS
  (activities are edited, and watches upload days late), or `--since`, or on a first sync
  FIRST_SYNC_DAYS back (older history: the data export zip, README), up to tomorrow.
- Each listed activity's summary is hashed; one whose hash is stored costs nothing more. A new or
  changed one's ZIP is downloaded (MAX_IN_FLIGHT at a time) and its FIT decoded and written by
  ingest.files.importer.write_decoded: the same rows, keys (the file's content), samples, strength
  sets, zone and double-recording links as `crosstrain import` of that file, with Garmin's title as
  the name. An activity whose file can't be had or read is stored from its summary (source
  'garmin'), said per activity; a summary that can't be read is skipped, said, and kept in
  import_rejects. A changed activity replaces the rows it gave before.
- Each window (its rows, the bookkeeping in garmin_activities, the cursor) is one transaction: a sync
  killed at any moment loses at most the window in flight, and the next one re-lists it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from ingest import athlete_zone
from ingest.database import db, store, twins, versions
from ingest.database.transaction import transaction
from ingest.errors import CrosstrainError, UnknownAthleteError
from ingest.files import attach, sources
from ingest.files.decode import Decoded, zone_at
from ingest.files.importer import STAGED_TYPES, decode_items, source_id, write_decoded
from ingest.garmin.client import (
    KEY_PAGE,
    MAX_IN_FLIGHT,
    WINDOW_DAYS,
    Client,
    GarminError,
    KeyRefused,
    NoFile,
    base_url,
    exchange,
)
from ingest.garmin.keys import KeyEntry, KeyStore

LOOKBACK_DAYS = 7
FIRST_SYNC_DAYS = 365
KEY_WARN_DAYS = 14
KEY_DAYS = (30, 90, 180, 365)  # the lifetimes Garmin offers when a key is created
HASHED = (
    "activityName", "activityType", "startTimeGMT", "startTimeLocal", "duration", "elapsedDuration",
    "movingDuration", "distance", "elevationGain", "averageHR", "maxHR",
)  # fmt: skip


@dataclass
class AthleteResult:
    """What one athlete's sync did."""

    athlete: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    from_summary: int = 0
    windows: int = 0
    listed: int = 0
    downloads: int = 0
    twins: int = 0
    rejects: list[str] = field(default_factory=list)  # activities skipped, one line each
    notes: list[str] = field(default_factory=list)  # activities stored from their summary; the key

    def summary(self) -> str:
        rejected = f", {len(self.rejects)} rejected" if self.rejects else ""
        summary = f", {self.from_summary} from the summary only" if self.from_summary else ""
        return (
            f"{self.athlete}: {self.new} new, {self.updated} updated, {self.unchanged} unchanged"
            f"{summary}{rejected} ({self.windows} date window{'s' if self.windows != 1 else ''}, "
            f"{self.downloads} file{'s' if self.downloads != 1 else ''})"
            + store.WriteCounts(twins=self.twins).twins_note()
        )


@dataclass
class Progress:
    """Reported after every window and every download, and while waiting out a 429."""

    athlete: str
    windows: int
    windows_total: int
    activities: int
    result: AthleteResult
    waiting_s: float | None = None
    done: bool = False


ProgressCallback = Callable[[Progress], None]


@dataclass
class SyncResult:
    athletes: list[AthleteResult] = field(default_factory=list)
    requests: int = 0
    errors: list[str] = field(default_factory=list)  # athletes whose sync stopped, one line each


@dataclass
class Connected:
    athlete: str
    key_expires_on: date | None
    token_expires_at: int


# -- connect / disconnect ----------------------------------------------------------------------------


def connect(
    db_path: Path | str | None,
    api_key: str,
    athlete: str,
    key_days: int | None = None,
    keys: KeyStore | None = None,
    today: date | None = None,
) -> Connected:
    """Exchange `api_key` (proving it works) and store it with its token for `athlete`."""
    api_key = api_key.strip()
    if not api_key:
        raise CrosstrainError(f"no Garmin Personal API key given; create one at {KEY_PAGE}")
    if not athlete.strip():
        raise CrosstrainError("the athlete name is empty")
    keys = keys or KeyStore()
    token, expires_at = exchange(base_url(), api_key)
    expires_on = (today or date.today()) + timedelta(days=key_days) if key_days else None
    with db.connect(db_path) as con, transaction(con):
        athlete_id = store.ensure_athlete(con, athlete)
        row = con.execute("select link_id from garmin_links where athlete_id = ?", [athlete_id]).fetchone()
        link_id = row[0] if row else secrets.token_hex(8)
        if row is None:
            con.execute(
                "insert into garmin_links values (?, ?, now() at time zone 'UTC')", [athlete_id, link_id]
            )
    entry: KeyEntry = {
        "api_key": api_key,
        "access_token": token,
        "token_expires_at": expires_at,
        "key_expires_on": expires_on.isoformat() if expires_on else None,
        "athlete": athlete,
    }
    keys.put(link_id, entry)
    return Connected(athlete, expires_on, expires_at)


def disconnect(db_path: Path | str | None, athlete: str, keys: KeyStore | None = None) -> bool:
    """Forget `athlete`'s key and token (their activities stay); whether one was stored."""
    keys = keys or KeyStore()
    with db.connect(db_path) as con, transaction(con):
        row = con.execute(
            """select l.link_id from garmin_links l join athletes a using (athlete_id) where a.name = ?""",
            [athlete],
        ).fetchone()
        if row is None:
            return False
        con.execute("delete from garmin_links where link_id = ?", [row[0]])
    keys.remove(row[0])
    return True


def connected(
    db_path: Path | str | None, keys: KeyStore, athlete: str | None = None
) -> list[tuple[str, int, str]]:
    """(link id, athlete id, name) of every connected athlete, or of the one named `athlete`."""
    entries = keys.load()
    with db.connect(db_path) as con:
        rows = con.execute(
            """select l.link_id, l.athlete_id, a.name from garmin_links l join athletes a using (athlete_id)
               order by a.name"""
        ).fetchall()
    found = [r for r in rows if r[0] in entries]
    if not found:
        raise CrosstrainError("no Garmin athlete is connected yet; run `crosstrain garmin connect` first")
    if athlete is None:
        return found
    chosen = [r for r in found if r[2] == athlete]
    if not chosen:
        names = ", ".join(r[2] for r in found)
        raise UnknownAthleteError(f"no connected Garmin athlete named '{athlete}' (connected: {names})")
    return chosen


# -- summaries ---------------------------------------------------------------------------------------


@dataclass
class Summary:
    """The fields crosstrain reads from one SummarizedActivityDTO."""

    garmin_id: int
    name: str | None
    type_key: str
    start_at: datetime  # UTC, naive
    start_local: datetime
    moving_s: float | None
    elapsed_s: float | None
    distance_m: float | None
    elevation_gain_m: float | None
    avg_hr: float | None
    max_hr: float | None
    raw: dict[str, Any]
    digest: str
    start_point: tuple[float, float] | None = None  # startLatitude/startLongitude, degrees

    def shown(self) -> str:
        return f"Garmin activity {self.garmin_id} ({self.start_local:%Y-%m-%d} {self.name or self.type_key})"


def _time(item: dict[str, Any], key: str) -> datetime:
    value = item.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):  # epoch milliseconds
        return datetime.fromtimestamp(value / 1000, UTC).replace(tzinfo=None)
    if not isinstance(value, str):
        raise ValueError(f"field '{key}': missing")
    try:
        return datetime.fromisoformat(value.strip().removesuffix("Z")).replace(tzinfo=None)
    except ValueError:
        raise ValueError(f"field '{key}': not a date-time: '{value[:30]}'") from None


def _number(item: dict[str, Any], key: str) -> float | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"field '{key}': not a number: '{str(value)[:30]}'")
    return float(value)


def parse_summary(item: Any) -> Summary:
    """One list entry as a Summary; ValueError naming the field that can't be read."""
    if not isinstance(item, dict):
        raise ValueError("not a JSON object")
    garmin_id = item.get("activityId")
    if isinstance(garmin_id, bool) or not isinstance(garmin_id, int) or garmin_id <= 0:
        raise ValueError("field 'activityId': missing or not a positive integer")
    kind = item.get("activityType")
    type_key = kind.get("typeKey") if isinstance(kind, dict) else None
    if not isinstance(type_key, str) or not type_key.strip():
        raise ValueError("field 'activityType.typeKey': missing")
    name = item.get("activityName")
    duration = _number(item, "duration")
    hashed = {k: item.get(k) for k in HASHED}
    lat, lon = _number(item, "startLatitude"), _number(item, "startLongitude")
    point = (lat, lon) if lat is not None and lon is not None and (lat, lon) != (0.0, 0.0) else None
    return Summary(
        garmin_id=garmin_id,
        name=name.strip() or None if isinstance(name, str) else None,
        type_key=type_key.strip(),
        start_at=_time(item, "startTimeGMT"),
        start_local=_time(item, "startTimeLocal"),
        moving_s=_number(item, "movingDuration") or duration,
        elapsed_s=_number(item, "elapsedDuration") or duration,
        distance_m=_number(item, "distance"),
        elevation_gain_m=_number(item, "elevationGain"),
        avg_hr=_number(item, "averageHR"),
        max_hr=_number(item, "maxHR"),
        raw=item,
        digest=hashlib.md5(json.dumps(hashed, sort_keys=True).encode()).hexdigest(),
        start_point=point if point and -90 <= point[0] <= 90 and -180 <= point[1] <= 180 else None,
    )


# -- sync --------------------------------------------------------------------------------------------


def sync(
    db_path: Path | str | None,
    settings: dict[str, Any],
    athlete: str | None = None,
    full: bool = False,
    since: date | None = None,
    progress: ProgressCallback | None = None,
    keys: KeyStore | None = None,
    today: date | None = None,
) -> SyncResult:
    """Sync every connected athlete (or the one named `athlete`). An athlete whose sync stops (a key
    Garmin refuses, a fault retrying did not fix) is one line in `errors`, every window already done
    stored, and the next athlete is synced all the same."""
    keys = keys or KeyStore()
    result = SyncResult()
    base = base_url()
    for link_id, athlete_id, name in connected(db_path, keys, athlete):
        try:
            run = _AthleteSync(db_path, settings, keys, base, link_id, athlete_id, name, progress)
        except CrosstrainError as exc:
            result.errors.append(str(exc))
            continue
        result.athletes.append(run.result)
        try:
            run.run(full, since, today or date.today())
        except CrosstrainError as exc:  # one athlete's expired key or outage never stops the others
            result.errors.append(str(exc))
        finally:
            result.requests += run.client.requests_sent
    return result


@dataclass
class _Fetched:
    """What became of one new or changed activity before it is written."""

    summary: Summary
    decoded: list[Decoded] = field(default_factory=list)  # its file's sessions, when it could be read
    problem: str | None = None  # why it is stored from its summary


class _AthleteSync:
    def __init__(
        self,
        db_path: Path | str | None,
        settings: dict[str, Any],
        keys: KeyStore,
        base: str,
        link_id: str,
        athlete_id: int,
        name: str,
        progress: ProgressCallback | None,
    ) -> None:
        self.db_path, self.settings, self.keys, self.link_id = db_path, settings, keys, link_id
        self.athlete_id, self.name, self.progress = athlete_id, name, progress
        entry = keys.get(link_id)
        if entry is None:
            raise CrosstrainError(
                f"no Garmin key for '{name}'; run `crosstrain garmin connect --athlete '{name}'`"
            )
        self.entry: KeyEntry = entry
        self.client = Client(
            base, entry["api_key"], entry["access_token"], entry["token_expires_at"], athlete=name
        )
        self.client.on_wait = lambda s: self._report(waiting_s=s)
        self.result = AthleteResult(name)
        self.windows_total = 0
        self._lock = threading.Lock()
        self._pending: tuple[date, date] | None = None  # windows listed empty, not yet in the cursor

    def run(self, full: bool, since: date | None, today: date) -> None:
        self._key_note(today)
        with db.connect(self.db_path) as con:
            self.import_id = store.start_import(con, "garmin_sync", "garmin", "garmin_api")
            con.execute(
                "update imports set athlete_id = ? where import_id = ?", [self.athlete_id, self.import_id]
            )
            cursor = con.execute(
                "select first_day, synced_through from garmin_cursor where athlete_id = ?", [self.athlete_id]
            ).fetchone()
        if since is not None:
            start = since
        elif cursor and full:
            start = cursor[0]
        elif cursor:
            start = cursor[1] - timedelta(days=LOOKBACK_DAYS)
        else:
            start = today - timedelta(days=FIRST_SYNC_DAYS)
        last = today + timedelta(days=1)  # a zone ahead of this machine's is already on tomorrow
        windows = []
        while start <= last:
            end = min(start + timedelta(days=WINDOW_DAYS - 1), last)
            windows.append((start, end))
            start = end + timedelta(days=1)
        self.windows_total = len(windows)
        try:
            # Listed first, all of them (one request per window either way), so that the athlete's zone
            # is known before any row is placed: files without GPS take it, as in one import of them all.
            listed = [self._list(start, end) for start, end in windows]
            self._store_zone([s for _, _, found, _ in listed if found for s in found.values()])
            for start, end, found, unreadable in listed:
                if found is not None:
                    self._window(start, end, found, unreadable, full, today)
                self.result.windows += 1
                self._report()
            self._flush_cursor()
        except (CrosstrainError, KeyboardInterrupt) as exc:
            self._save_token()
            self._finish("interrupted" if isinstance(exc, KeyboardInterrupt) else "failed")
            if isinstance(exc, KeyRefused | KeyboardInterrupt):
                raise
            done = self.result.new + self.result.updated + self.result.from_summary
            raise CrosstrainError(
                f"{exc}; {self.name}: {done} activities saved, the next sync resumes from there"
            ) from None
        self._save_token()
        self._finish("ok")
        self._report(done=True)

    def _key_note(self, today: date) -> None:
        expires = self.entry.get("key_expires_on")
        if not expires:
            return
        left = (date.fromisoformat(expires) - today).days
        if left <= KEY_WARN_DAYS:
            when = "has expired" if left < 0 else f"expires on {expires}"
            self.result.notes.append(
                f"the Garmin key of '{self.name}' {when}: create a new one at {KEY_PAGE} and run "
                f"`crosstrain garmin connect --athlete '{self.name}'`"
            )

    def _save_token(self) -> None:
        if self.client.renewed:
            self.entry = {
                **self.entry,
                "access_token": self.client.token,
                "token_expires_at": self.client.token_expires_at,
            }
            self.keys.put(self.link_id, self.entry)
            self.client.renewed = False

    # -- one window ---------------------------------------------------------------------------------

    def _list(self, start: date, end: date) -> tuple[date, date, dict[int, Summary] | None, list]:
        """A window's readable summaries (None when the listing failed: said, skipped) and the
        (id, reason) of those that can't be read."""
        try:
            items = self.client.list_window(start, end)
        except KeyRefused:
            raise
        except GarminError as exc:
            self.result.rejects.append(
                f"{self.name}: days {start}..{end}: {exc}; skipped: run `crosstrain garmin sync --athlete "
                f"'{self.name}' --since {start}` to list them again"
            )
            return start, end, None, []
        self._save_token()
        self._report()
        summaries: dict[int, Summary] = {}
        unreadable: list[tuple[str | None, str]] = []
        for item in items:
            try:
                s = parse_summary(item)
            except ValueError as exc:
                gid = item.get("activityId") if isinstance(item, dict) else None
                unreadable.append((str(gid) if gid is not None else None, str(exc)))
                continue
            summaries[s.garmin_id] = s
        return start, end, summaries, unreadable

    def _window(
        self,
        start: date,
        end: date,
        summaries: dict[int, Summary],
        unreadable: list[tuple[str | None, str]],
        full: bool,
        today: date,
    ) -> None:
        self.result.listed += len(summaries)
        known = self._known(list(summaries))
        todo = [
            s
            for s in summaries.values()
            if s.garmin_id not in known
            or known[s.garmin_id][0] != s.digest
            or (full and known[s.garmin_id][1] == "summary")
        ]
        self.result.unchanged += len(summaries) - len(todo)
        fetched = self._fetch(todo)
        self._write(start, end, today, fetched, known, unreadable)

    def _known(self, ids: list[int]) -> dict[int, tuple[str, str, str | None, list[str]]]:
        if not ids:
            return {}
        with db.connect(self.db_path) as con:
            rows = con.execute(
                """select garmin_id, summary_hash, stored_as, source, source_ids from garmin_activities
                   where athlete_id = ? and garmin_id in (select unnest(?::bigint[]))""",
                [self.athlete_id, ids],
            ).fetchall()
        return {r[0]: (r[1], r[2], r[3], list(r[4] or [])) for r in rows}

    def _fetch(self, todo: list[Summary]) -> list[_Fetched]:
        """Download the files (MAX_IN_FLIGHT at a time) and decode them (on every core when there are
        enough); a file that can't be had or read leaves its activity to its summary."""
        if not todo:
            return []
        with tempfile.TemporaryDirectory(prefix="crosstrain-garmin-") as tmp:
            out: list[_Fetched] = []
            items: list[tuple[_Fetched, list[sources.Item]]] = []
            with ThreadPoolExecutor(max_workers=MAX_IN_FLIGHT) as pool:
                futures = [(s, pool.submit(self._download, s)) for s in todo]
                for s, future in futures:
                    try:
                        data = future.result()
                    except KeyRefused:
                        raise
                    except NoFile as exc:
                        out.append(_Fetched(s, problem=str(exc)))
                        continue
                    except GarminError as exc:
                        out.append(
                            _Fetched(s, problem=f"{exc}; `crosstrain garmin sync --full` tries it again")
                        )
                        continue
                    fetched, files = self._unpack(s, data, Path(tmp))
                    out.append(fetched)
                    if files:
                        items.append((fetched, files))
            flat = [item for _, files in items for item in files]
            decoded = iter(decode_items(flat, notes=self.result.notes))  # a dead worker loses no file
            for fetched, files in items:
                for d in [next(decoded) for _ in files]:
                    if fetched.problem is None and (d.error or d.skipped or not d.sessions):
                        fetched.problem = f"its file can't be used ({d.error or d.skipped or 'no session'})"
                        fetched.decoded = []
                    elif fetched.problem is None:
                        fetched.decoded.append(d)
            return out

    def _download(self, s: Summary) -> bytes:
        data = self.client.download(s.garmin_id)
        with self._lock:
            self.result.downloads += 1
        self._report()
        return data

    def _unpack(self, s: Summary, data: bytes, tmp: Path) -> tuple[_Fetched, list[sources.Item]]:
        """The activity files in a downloaded ZIP, each written out as a plain file to decode."""
        archive = tmp / f"{s.garmin_id}.zip"
        archive.write_bytes(data)
        if not zipfile.is_zipfile(archive):
            return _Fetched(s, problem="the download is not a ZIP archive"), []
        try:
            found = sources.find(archive)
        except (CrosstrainError, zipfile.BadZipFile, OSError) as exc:
            return _Fetched(s, problem=f"the ZIP can't be read ({exc})"), []
        if not found.items:
            return _Fetched(s, problem="the ZIP holds no .fit, .gpx or .tcx file"), []
        files = []
        for item in found.items:
            try:
                content = sources.read(item)
            except Exception as exc:  # noqa: BLE001 - FileFormatError and zip errors alike: one line
                return _Fetched(s, problem=f"{Path(item.member or '').name}: {exc}"), []
            name = Path(item.member or "activity.fit").name
            file = tmp / f"{s.garmin_id}_{len(files)}_{name}"
            file.write_bytes(content)
            files.append(sources.Item(f"Garmin activity {s.garmin_id}: {name}", str(file), download=True))
        return _Fetched(s), files

    # -- the window's write ---------------------------------------------------------------------------

    def _write(
        self,
        start: date,
        end: date,
        today: date,
        fetched: list[_Fetched],
        known: dict[int, tuple[str, str, str | None, list[str]]],
        unreadable: list[tuple[str | None, str]],
    ) -> None:
        """The window's rows, bookkeeping and cursor in one transaction. A window with nothing to write
        only moves the cursor, with the next write (opening the database costs more than the listing)."""
        # A changed activity whose new file can't be used keeps what its good file gave (and its old
        # hash, so the next sync tries again) rather than falling back to its summary.
        kept = [f for f in fetched if f.problem and known.get(f.summary.garmin_id, ("", ""))[1] == "file"]
        fetched = [f for f in fetched if f not in kept]
        for f in kept:
            self.result.notes.append(
                f"{f.summary.shown()} of {self.name}: {f.problem}; kept what its earlier file gave, "
                "tried again next sync"
            )
        if not fetched and not unreadable:
            self._pending = (self._pending[0] if self._pending else start, min(end, today))
            return
        state = []  # (garmin_id, hash, stored_as, source, source_ids)
        for f in fetched:
            if f.problem is None:
                ids = [source_id(d, x) for d in f.decoded for x in d.sessions]
                state.append((f.summary.garmin_id, f.summary.digest, "file", f.decoded[0].item.kind, ids))
            else:
                state.append(
                    (f.summary.garmin_id, f.summary.digest, "summary", "garmin", [str(f.summary.garmin_id)])
                )
        replaced = [
            (source, sid)
            for gid, _, _, new_source, new_ids in state
            if gid in known and known[gid][2] is not None
            for source, sid in [(known[gid][2], old) for old in known[gid][3]]
            if not (source == new_source and sid in new_ids)
        ]
        with db.connect(self.db_path) as con, transaction(con):
            if replaced:
                self._delete(con, replaced)
            good = [f for f in fetched if f.problem is None]
            if good:
                decoded = [d for f in good for d in f.decoded]
                names = {
                    source_id(d, x): f.summary.name
                    for f in good
                    if f.summary.name and sum(len(d.sessions) for d in f.decoded) == 1
                    for d in f.decoded
                    for x in d.sessions
                }
                counts, _ = write_decoded(
                    con, decoded, self.athlete_id, self.import_id, self.settings, None, None, names
                )
                self._count(counts)
            summary_only = [f.summary for f in fetched if f.problem is not None]
            if summary_only:
                attach.frame_table(con, "_garmin_staged", STAGED_TYPES, [self._row(s) for s in summary_only])
                try:
                    self._count(store.write_activities(con, "_garmin_staged", self.import_id, self.settings))
                finally:
                    con.execute("drop table if exists _garmin_staged")
            if unreadable:
                con.executemany(
                    """insert into import_rejects (import_id, file, line, "column", reason, source_id)
                       values (?, 'garmin', null, null, ?, ?)""",
                    [[self.import_id, reason, gid] for gid, reason in unreadable],
                )
            if state:
                con.execute(
                    """delete from garmin_activities
                       where athlete_id = ? and garmin_id in (select unnest(?::bigint[]))""",
                    [self.athlete_id, [s[0] for s in state]],
                )
                con.executemany(
                    "insert into garmin_activities values (?, ?, ?, ?, ?, ?, now() at time zone 'UTC')",
                    [[self.athlete_id, *s] for s in state],
                )
            if self._pending:
                self._advance(con, *self._pending)
                self._pending = None
            self._advance(con, start, min(end, today))
        for f in fetched:
            if f.problem is not None:
                self.result.from_summary += 1
                self.result.notes.append(
                    f"{f.summary.shown()} of {self.name}: {f.problem}; stored from its summary"
                )
        for gid, reason in unreadable:
            who = f"Garmin activity {gid}" if gid else "a Garmin activity without an id"
            self.result.rejects.append(f"{who} of {self.name}: {reason}; activity skipped")

    def _store_zone(self, summaries: list[Summary]) -> None:
        """The athlete's zone by ingest/athlete_zone.py's rule over the GPS files synced before and the
        listed activities' start points: what one import of all the files would store. A zone from an
        earlier sync (source 'gps') moves on with the newer activities; one the user gave never does."""
        listed = [(s.start_at, zone_at(*s.start_point)) for s in summaries if s.start_point]
        with db.connect(self.db_path) as con, transaction(con):
            stored = con.execute(
                """select a.start_at, f.start_timezone
                   from activity_files f join activities a using (activity_id)
                   where a.athlete_id = ? and f.start_lat is not null and f.start_timezone is not null""",
                [self.athlete_id],
            ).fetchall()
            zone = athlete_zone.gps_zone([(t, z) for t, z in [*stored, *listed] if z])
            before = con.execute(
                "select timezone from athletes where athlete_id = ?", [self.athlete_id]
            ).fetchone()
            if zone:
                con.execute(
                    """update athletes set timezone = ?, timezone_source = 'gps' where athlete_id = ?
                       and (timezone is null or timezone_source in ('machine', 'gps'))
                       returning timezone""",
                    [zone, self.athlete_id],
                )
                if con.fetchall() and (before is None or before[0] != zone):
                    self.result.notes.append(
                        f"time zone of '{self.name}': {zone}, from the GPS of the latest activities, for "
                        f'activities without GPS (if that is wrong: crosstrain athletes set "{self.name}" '
                        "--timezone ZONE before the next sync)"
                    )

    def _count(self, counts: store.WriteCounts) -> None:
        self.result.new += counts.new
        self.result.updated += counts.updated
        self.result.unchanged += counts.duplicate
        self.result.twins += counts.twins

    def _row(self, s: Summary) -> tuple:
        """A summary as a staged row (store.STAGED_COLUMNS)."""
        return (
            self.athlete_id, "garmin", str(s.garmin_id), None, s.start_at, s.start_local, True, s.type_key,
            s.name or s.type_key, None, s.moving_s, s.elapsed_s, s.distance_m, s.elevation_gain_m, s.avg_hr,
            s.max_hr, None, None, json.dumps(s.raw),
        )  # fmt: skip

    def _delete(self, con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str]]) -> None:
        """Remove the rows a changed activity gave before, with their samples."""
        attach.frame_table(con, "_garmin_old", {"source": "varchar", "source_id": "varchar"}, keys)
        con.execute(
            """create or replace temp table _garmin_gone as select activity_id from activities
               join _garmin_old using (source, source_id) where athlete_id = ?""",
            [self.athlete_id],
        )
        for table in ("activity_files", "activity_hr_seconds", "activity_sets", "activities"):
            con.execute(f"delete from {table} where activity_id in (select activity_id from _garmin_gone)")
        twins.relink_orphans(con)
        versions.touch(con, f"select {int(self.athlete_id)} as athlete_id")
        con.execute("drop table _garmin_old")
        con.execute("drop table _garmin_gone")

    def _flush_cursor(self) -> None:
        if self._pending:
            with db.connect(self.db_path) as con, transaction(con):
                self._advance(con, *self._pending)
            self._pending = None

    def _advance(self, con: duckdb.DuckDBPyConnection, start: date, through: date) -> None:
        row = con.execute("select 1 from garmin_cursor where athlete_id = ?", [self.athlete_id]).fetchone()
        if row is None:
            con.execute("insert into garmin_cursor values (?, ?, ?)", [self.athlete_id, start, through])
        else:
            con.execute(
                """update garmin_cursor set first_day = least(first_day, ?),
                   synced_through = greatest(synced_through, ?) where athlete_id = ?""",
                [start, through, self.athlete_id],
            )

    def _finish(self, status: str) -> None:
        r = self.result
        counts = store.WriteCounts(r.new, r.updated, r.unchanged)
        with db.connect(self.db_path) as con:
            store.finish_import(con, self.import_id, counts, len(r.rejects), 0, status)

    def _report(self, waiting_s: float | None = None, done: bool = False) -> None:
        if self.progress:
            r = self.result
            self.progress(Progress(self.name, r.windows, self.windows_total, r.downloads, r, waiting_s, done))
