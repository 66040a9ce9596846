"""Decoding one activity file into what crosstrain stores: runs in worker processes.

Everything returned is plain data (picklable): one `Decoded` per file, holding one `Session` per
recorded session or the reason the file can't be read.
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

from ingest.files import fit, samples, xml
from ingest.files.model import FileFormatError, StrengthSet
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


@cache
def _finder():
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(lat: float, lon: float) -> str | None:
    """The IANA zone at a point, offline (timezonefinder; bench/README.md has the measurement)."""
    return _finder().timezone_at(lng=lon, lat=lat)


_ZIPS: dict[str, zipfile.ZipFile] = {}


def decode(item: Item) -> Decoded:
    """Read and decode one file; a file that can't be read gives `error`, never an exception."""
    out = Decoded(item)
    try:
        data = read(item, _ZIPS)
        out.digest = f"{zlib.crc32(data):08x}{len(data):x}"
        kind = item.kind
        if kind == "fit":
            messages = fit.decode(data, item.shown)
            types = {str(m.get("type")) for m in messages["file_id"]}
            if types and not types & {"activity", "4"}:
                out.skipped = f"not an activity file ({', '.join(sorted(types))})"
                return out
            recordings = fit.recordings(messages)
        elif kind == "gpx":
            recordings = xml.gpx(data)
        elif kind == "tcx":
            recordings = xml.tcx(data)
        else:
            out.error = "not a .fit, .gpx or .tcx file"
            return out
    except FileFormatError as exc:
        out.error = str(exc)
        return out
    except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile, zlib.error, KeyError) as exc:
        out.error = f"cannot read the file ({exc})"
        return out
    # Sessions without GPS (strength before a run in a multisport file) take the file's zone.
    points = [p for p in (rec.start_point() for rec in recordings) if p]
    file_zone = zone_at(*points[0]) if points else None
    for rec in recordings:
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
    return out
