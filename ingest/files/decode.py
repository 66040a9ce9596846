"""Decoding one activity file into what crosstrain stores: runs in worker processes.

Everything returned is plain data (picklable): one `Decoded` per file, holding one `Session` per
recorded session or the reason the file can't be read.
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

from ingest.errors import FileFormatError, first_line
from ingest.files import checks, fit, samples, xml
from ingest.files.model import StrengthSet
from ingest.files.sources import Item, read


@dataclass
class Session:
    """One recorded session with its facts, ready to stage."""

    index: int
    sport: str
    start_at: datetime  # UTC, naive
    name: str | None
    rpe: float | None
    facts: samples.Facts
    lat: float | None
    lon: float | None
    timezone: str | None  # IANA zone of the start point, else a fixed-offset zone of the watch's clock
    sets: list[StrengthSet] = field(default_factory=list)
    # Decoded in a worker: what gives `timezone` (own start point, the file's first start point, the
    # watch's clock zone), looked up by `with_zones` in the import's process (one time-zone finder
    # there instead of one a worker: ~0.06 s of CPU each to import, its C declarations parsed).
    zone_from: tuple[tuple[float, float] | None, tuple[float, float] | None, str | None] | None = None


@dataclass
class Decoded:
    """A file's sessions, or why it was not read (`error`), or that it holds no activity (`skipped`)."""

    item: Item
    digest: str = ""
    sessions: list[Session] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None
    refused: list[str] = field(default_factory=list)  # sessions refused by checks.py, with the reason
    recorded: int = 0  # sessions in the file, refused ones included
    note: str | None = None  # what the import says of the file, e.g. that it was truncated


@cache
def _finder():
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(lat: float, lon: float) -> str | None:
    """The IANA zone at a point, offline (timezonefinder; bench/README.md has the measurement)."""
    return _finder().timezone_at(lng=lon, lat=lat)


def _zone(
    point: tuple[float, float] | None, file_point: tuple[float, float] | None, clock: str | None
) -> str | None:
    """A session's zone: its start point's; without GPS (strength before a run in a multisport file)
    the file's first start point's, else the watch's own local time (FIT activity.local_timestamp)."""
    if point:
        return zone_at(*point)
    return (zone_at(*file_point) if file_point else None) or clock


def with_zones(decoded: Decoded) -> Decoded:
    """`decoded` with its sessions' zones looked up (those a worker left to this process); a lookup
    that raises refuses the file as `decode` would."""
    try:
        for s in decoded.sessions:
            if s.zone_from is not None:
                s.timezone, s.zone_from = _zone(*s.zone_from), None
    except Exception as exc:  # noqa: BLE001 - this file's line, as in the worker
        return failed(decoded, exc)
    return decoded


_ZIPS: dict[str, zipfile.ZipFile] = {}


def decode_each(items: list[Item]) -> list[Decoded]:
    """`decode` of several items, their zones left to the import's process (`with_zones`): a worker's
    task."""
    return [decode(item, zones=False) for item in items]


def decode(item: Item, zones: bool = True) -> Decoded:
    """Read and decode one file; a file that can't be read gives `error`, never an exception.

    Whatever a decoder or a computation raises for this file (a library's ValueError on a damaged
    field, numpy on a malformed series) is this file's one error line: the other files of the import
    go on. Sessions refused by the plausibility checks (checks.py) are listed in `refused`. Without
    `zones`, the sessions' zones are left to `with_zones`.
    """
    out = Decoded(item)
    try:
        _decode(item, out)
    except Exception as exc:  # noqa: BLE001 - this file's line (MemoryError included)
        return failed(out, exc)
    return with_zones(out) if zones else out


def failed(out: Decoded, exc: Exception) -> Decoded:
    """The file of `out` refused for what decoding it raised: its one error line."""
    if isinstance(exc, FileFormatError):
        error = first_line(exc)
    elif isinstance(exc, OSError | EOFError | zipfile.BadZipFile | gzip.BadGzipFile | zlib.error | KeyError):
        error = f"cannot read the file ({first_line(exc)})"
    elif isinstance(exc, MemoryError):
        error = "too large to decode in memory"
    else:  # a decoder library's or a computation's fault on this file
        error = f"cannot decode the file ({type(exc).__name__}: {first_line(exc)[:200]})"
    return Decoded(out.item, digest=out.digest, error=error)


def _decode(item: Item, out: Decoded) -> None:
    data = read(item, _ZIPS)
    out.digest = f"{zlib.crc32(data):08x}{len(data):x}"
    kind = item.kind
    if kind == "fit":
        fit_reading = fit.reading(data, partial=not item.download)
        del data
        messages, out.note = fit_reading.messages, fit_reading.note()
        types = {str(m.get("type")) for m in messages["file_id"]}
        if types and not types & {"activity", "4"}:
            out.skipped = f"not an activity file ({', '.join(sorted(types))})"
            return
        recordings = fit.recordings(messages)
    elif kind == "gpx":
        recordings = xml.gpx(data)
    elif kind == "tcx":
        recordings = xml.tcx(data)
    else:
        out.error = "not a .fit, .gpx or .tcx file"
        return
    checks.check_file(recordings)
    out.recorded = len(recordings)
    kept: list = []
    starts: dict[float, int] = {}
    again: Counter[int] = Counter()  # copies of one session (301 made one import take 167 s)
    for rec in recordings:
        if problem := checks.clean(rec):
            out.refused.append(f"session {rec.index + 1}: {problem}")
        elif rec.start_at in starts:
            again[starts[rec.start_at]] += 1
        else:
            starts[rec.start_at] = rec.index + 1
            kept.append(rec)
    out.refused += [f"{n} more sessions with the start of session {first}" for first, n in again.items()]
    points = [p for p in (rec.start_point() for rec in kept) if p]
    for rec in kept:
        point = rec.start_point()
        out.sessions.append(
            Session(
                index=rec.index,
                sport=rec.sport,
                start_at=datetime.fromtimestamp(rec.start_at, UTC).replace(tzinfo=None),
                name=rec.name,
                rpe=rec.rpe,
                facts=samples.facts(rec),
                lat=point[0] if point else None,
                lon=point[1] if point else None,
                timezone=None,  # `_zone`, by `with_zones`
                sets=rec.sets,
                zone_from=(point, points[0] if points else None, rec.clock_zone),
            )
        )
