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


def preload() -> None:
    """Import what decoding needs but loads on first use, before worker processes are forked: each
    worker would import it again (timezonefinder: ~0.15 s of CPU)."""
    import timezonefinder  # noqa: F401


_ZIPS: dict[str, zipfile.ZipFile] = {}


def decode_each(items: list[Item]) -> list[Decoded]:
    """`decode` of several items: a worker's task."""
    return [decode(item) for item in items]


def decode(item: Item) -> Decoded:
    """Read and decode one file; a file that can't be read gives `error`, never an exception.

    Whatever a decoder or a computation raises for this file (a library's ValueError on a damaged
    field, numpy on a malformed series) is this file's one error line: the other files of the import
    go on. Sessions refused by the plausibility checks (checks.py) are listed in `refused`.
    """
    out = Decoded(item)
    try:
        _decode(item, out)
        return out
    except FileFormatError as exc:
        error = first_line(exc)
    except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile, zlib.error, KeyError) as exc:
        error = f"cannot read the file ({first_line(exc)})"
    except MemoryError:
        error = "too large to decode in memory"
    except Exception as exc:  # noqa: BLE001 - a decoder library's or a computation's fault on this file
        error = f"cannot decode the file ({type(exc).__name__}: {first_line(exc)[:200]})"
    return Decoded(item, digest=out.digest, error=error)


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
    # Sessions without GPS (strength before a run in a multisport file) take the file's zone.
    points = [p for p in (rec.start_point() for rec in kept) if p]
    file_zone = zone_at(*points[0]) if points else None
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
                # without GPS, the watch's own local time (FIT activity.local_timestamp) tells the zone
                timezone=zone_at(*point) if point else (file_zone or rec.clock_zone),
                sets=rec.sets,
            )
        )
