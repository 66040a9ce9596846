"""GPX and TCX files, read with lxml by local element names.

Namespaces differ between writers (Garmin's `gpxtpx:`, Suunto's `gpxdata:`, an `ns3:` prefix), so
elements are matched by their local name only. Leading whitespace or a byte-order mark before
`<?xml` (some Polar files) is stripped first: XML parsers refuse it. Times keep their UTC instant
whatever offset the device wrote.

Track points are read column by column: one walk over each point's child elements collects the texts
(the element path lookups it replaces cost ~20 us a point, 10x lxml's parse), then each column is
converted at once (numbers by numpy, times by numpy's ISO parser when every time is a plain UTC
time, else one by one).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import numpy as np
from lxml import etree

from ingest.errors import FileFormatError
from ingest.files.model import Recording, column, one_per_time

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)

# GPX <type> and TCX Sport values -> the type names categories.py maps (others are kept as written).
XML_SPORTS = {
    "running": "Run",
    "run": "Run",
    "9": "Run",  # Garmin Connect's GPX type code for running
    "biking": "Ride",
    "cycling": "Ride",
    "ride": "Ride",
    "walking": "Walk",
    "hiking": "Hike",
    "other": "Workout",
}


def _root(data: bytes) -> etree._Element:
    data = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise FileFormatError(f"not well-formed XML ({exc})") from exc


_LOCAL_NAMES: dict[Any, str] = {}


def _local(el: etree._Element) -> str:
    """The element's name without namespace ('' for a processing instruction); remembered per tag."""
    tag = el.tag
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        if len(_LOCAL_NAMES) > 10_000:  # a file of made-up names must not grow this without end
            _LOCAL_NAMES.clear()
        name = _LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
    return name


def _child(el: etree._Element, name: str) -> etree._Element | None:
    for c in el:
        if _local(c) == name:
            return c
    return None


def _text(el: etree._Element | None, *path: str) -> str | None:
    for name in path:
        if el is None:
            return None
        el = _child(el, name)
    return el.text.strip() if el is not None and el.text else None


def _float(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and value == value else None


def _time(text: str | None) -> float | None:
    """UTC seconds of an ISO 8601 time; a time without offset is taken as UTC (GPX requires UTC)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC).timestamp()
        return moment.timestamp()
    except (ValueError, OverflowError):  # not a time, or year 0001/9999 moved out of range by its offset
        return None


# Words in a track's name that tell its sport when the file names none (Strava's GPX has no <type>).
NAME_SPORTS = (
    ("run", "Run"),
    ("ride", "Ride"),
    ("cycl", "Ride"),
    ("bike", "Ride"),
    ("walk", "Walk"),
    ("hike", "Hike"),
)


def _sport(text: str | None, name: str | None = None) -> str:
    """The type name for a GPX <type> or TCX Sport; without one, a word of the name, else 'Workout'."""
    if text and text.strip().lower() not in ("", "other"):
        return XML_SPORTS.get(text.strip().lower(), text.strip())
    lowered = (name or "").lower()
    return next((sport for word, sport in NAME_SPORTS if word in lowered), "Workout")


# UTC times as GPX and TCX writers put them ('2024-05-01T06:00:00Z', '...:00.000Z'): numpy reads a
# column of these at once, to the microsecond as datetime.fromisoformat does; any other form (an
# offset, no 'Z', a leap second, more digits) is read one by one by _time.
_PLAIN_UTC = re.compile(
    r"(?:[1-9]\d{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d"
    r"(?:\.\d{1,6})?Z\n)*"
)


def _times(texts: list[str | None]) -> np.ndarray:
    """UTC seconds of each time text, NaN where it is no time (as _time reads them)."""
    if None in texts:  # points without a time: the others' still read at once
        out = np.full(len(texts), np.nan)
        known = [i for i, text in enumerate(texts) if text is not None]
        out[known] = _times([texts[i] for i in known])
        return out
    joined = "\n".join(text or "" for text in texts) + "\n"
    if joined.count("\n") == len(texts) and _PLAIN_UTC.fullmatch(joined):  # no line break in a text
        try:  # a day that no month has (Feb 30) passes the pattern: numpy refuses it
            moments = np.array(joined[:-1].replace("Z", "").split("\n"), dtype="datetime64[us]")
            return moments.astype(np.int64) / 1e6
        except ValueError:
            pass
    return column([_time(text) for text in texts])


def _all(scopes: list[etree._Element], tag: str) -> list[etree._Element]:
    """Every element named `tag` (any namespace) in the scopes, in document order."""
    return [el for scope in scopes for el in scope.iter(tag)]


def _child_texts(
    scopes: list[etree._Element], owner: dict[etree._Element, int], tag: str, n: int
) -> list[str | None]:
    """For each of n points, the text of the first child named `tag` of its owner elements (the
    point itself, or its Position...); None: no such child, or no text."""
    out: list[str | None] = [None] * n
    seen = [False] * n
    for el in _all(scopes, tag):
        i = owner.get(el.getparent())
        if i is not None and not seen[i]:
            seen[i] = True
            out[i] = el.text
    return out


def _first_children(
    scopes: list[etree._Element], index: dict[etree._Element, int], tag: str
) -> dict[etree._Element, int]:
    """Each point's first child named `tag`, mapped to the point's index."""
    found: dict[etree._Element, int] = {}
    seen = [False] * len(index)
    for el in _all(scopes, tag):
        i = index.get(el.getparent())
        if i is not None and not seen[i]:
            seen[i] = True
            found[el] = i
    return found


def _extensions(
    scopes: list[etree._Element], index: dict[etree._Element, int]
) -> tuple[dict[etree._Element, tuple[int, int]], bool]:
    """The points' own 'extensions' children, then 'Extensions' children, each mapped to (point,
    order); and whether a point lies inside another point (its values then count for both)."""
    rank: dict[etree._Element, tuple[int, int]] = {}
    order = 0
    for tag in ("{*}extensions", "{*}Extensions"):  # all 'extensions' before any 'Extensions'
        for ext in _all(scopes, tag):
            i = index.get(ext.getparent())
            if i is not None:
                rank[ext] = (i, order)
                order += 1
    nested = bool(rank) and any(_inside(parent, index) for parent in {pt.getparent() for pt in index})
    return rank, nested


def _extension_texts(
    candidates: list[list[etree._Element]],
    extensions: tuple[dict[etree._Element, tuple[int, int]], bool],
    n: int,
) -> list[str | None]:
    """Each of n points' text of the first candidate element (candidates: one list per name, in
    order of preference, each in document order) with a text in its 'extensions' children in order,
    then its 'Extensions' children: each candidate walks up to the extensions that hold it, which
    ranks it for that point; the best rank per point wins."""
    out: list[str | None] = [None] * n
    rank, nested = extensions
    if not rank:
        return out
    best: list[tuple[int, int] | None] = [None] * n
    for name_rank, elements in enumerate(candidates):
        for el in elements:
            text = el.text
            if not text:
                continue
            up = el.getparent()
            while up is not None:  # up to the extensions (a point's child) that hold it
                held = rank.get(up)
                if held is not None:
                    i, ext_order = held
                    key = (ext_order, name_rank)
                    if best[i] is None or key < best[i]:  # equal: the earlier element stays
                        best[i], out[i] = key, text
                    if not nested:
                        break
                up = up.getparent()
    return out


def _inside(el: etree._Element | None, index: dict[etree._Element, int]) -> bool:
    """Whether `el` is one of the indexed points or inside one."""
    while el is not None:
        if el in index:
            return True
        el = el.getparent()
    return False


def _samples(times: list, lats: list, lons: list, alts: list, hrs: list, speeds: list) -> list[np.ndarray]:
    """The points' texts as t, hr, speed, altitude, lat, lon float arrays (NaN: unknown): points
    without a time dropped, points sharing a time (HR and GPS written apart) merged."""
    t = _times(times)
    timed = ~np.isnan(t)
    hr = column(hrs)
    with np.errstate(invalid="ignore"):
        hr = np.where(hr > 0, hr, np.nan)
    columns = [hr, column(speeds), column(alts), column(lats), column(lons)]
    if not timed.all():
        t, columns = t[timed], [c[timed] for c in columns]
    return one_per_time(t, columns)


def _fill(rec: Recording, samples: list[np.ndarray]) -> None:
    rec.t, rec.hr, rec.speed, rec.altitude, rec.lat, rec.lon = samples


def _gpx_samples(trk: etree._Element) -> list[np.ndarray]:
    """A track's points (trkpt at any depth, any namespace), each column read over the whole track."""
    scopes = [trk]
    points = _all(scopes, "{*}trkpt")
    index = {pt: i for i, pt in enumerate(points)}
    n = len(points)
    hrs = [_all(scopes, "{*}hr"), _all(scopes, "{*}heartrate")]
    speeds = [_all(scopes, "{*}speed")]
    extensions = _extensions(scopes, index) if any(hrs) or any(speeds) else ({}, False)
    return _samples(
        _child_texts(scopes, index, "{*}time", n),
        [pt.get("lat") for pt in points],
        [pt.get("lon") for pt in points],
        _child_texts(scopes, index, "{*}ele", n),
        _extension_texts(hrs, extensions, n),
        _extension_texts(speeds, extensions, n),
    )


def _tcx_samples(laps: list[etree._Element]) -> list[np.ndarray]:
    """The laps' Trackpoints (at any depth, any namespace), each column read over all laps at once."""
    points = _all(laps, "{*}Trackpoint")
    index = {pt: i for i, pt in enumerate(points)}
    n = len(points)
    # HeartRateBpm/Value: the first Value in the point's HeartRateBpm children, in order
    holders = {el: i for el in _all(laps, "{*}HeartRateBpm") if (i := index.get(el.getparent())) is not None}
    positions = _first_children(laps, index, "{*}Position")  # the first Position's coordinates
    speeds = _all(laps, "{*}Speed")
    return _samples(
        _child_texts(laps, index, "{*}Time", n),
        _child_texts(laps, positions, "{*}LatitudeDegrees", n),
        _child_texts(laps, positions, "{*}LongitudeDegrees", n),
        _child_texts(laps, index, "{*}AltitudeMeters", n),
        _child_texts(laps, holders, "{*}Value", n),
        _extension_texts([speeds], _extensions(laps, index) if speeds else ({}, False), n),
    )


def gpx(data: bytes) -> list[Recording]:
    """One Recording per GPX track with timed points."""
    root = _root(data)
    if _local(root) != "gpx":
        raise FileFormatError(f"not a GPX file (root element <{_local(root)}>)")
    found = []
    for trk in (el for el in root if _local(el) == "trk"):
        name = _text(trk, "name")
        rec = Recording(sport=_sport(_text(trk, "type"), name), start_at=0.0, name=name)
        rec.index = len(found)
        _fill(rec, _gpx_samples(trk))
        if len(rec.t):
            rec.start_at = float(rec.t[0])
            found.append(rec)
    if not found:
        raise FileFormatError("no track points with a time: nothing recorded")
    return found


def tcx(data: bytes) -> list[Recording]:
    """One Recording per TCX Activity; lap totals are the device's, summed (samples fill what's missing)."""
    root = _root(data)
    if _local(root) != "TrainingCenterDatabase":
        raise FileFormatError(f"not a TCX file (root element <{_local(root)}>)")
    found = []
    seen: set[float] = set()
    for act in root.iter("{*}Activity"):
        rec = Recording(sport=_sport(act.get("Sport")), start_at=0.0, index=len(found))
        elapsed = distance = 0.0
        hr_weighted = hr_time = 0.0
        max_hr = None
        laps = [lap for lap in act if _local(lap) == "Lap"]
        declared = _time(laps[0].get("StartTime")) if laps else None
        if declared is not None and declared in seen:  # a copy of an earlier activity: its samples
            rec.start_at = declared  # are not read (decode.py says the copies in one line)
            found.append(rec)
            continue
        if declared is not None:
            seen.add(declared)
        for lap in laps:
            lap_s = _float(_text(lap, "TotalTimeSeconds")) or 0.0
            elapsed += lap_s
            distance += _float(_text(lap, "DistanceMeters")) or 0.0
            avg = _float(_text(lap, "AverageHeartRateBpm", "Value"))
            if avg:
                hr_weighted, hr_time = hr_weighted + avg * lap_s, hr_time + lap_s
            top = _float(_text(lap, "MaximumHeartRateBpm", "Value"))
            if top:
                max_hr = max(max_hr or 0.0, top)
        _fill(rec, _tcx_samples(laps))
        start = _time(laps[0].get("StartTime")) if laps else None
        if start is None and not len(rec.t):
            continue
        rec.start_at = start if start is not None else float(rec.t[0])
        rec.elapsed_s = elapsed or None
        rec.moving_s = elapsed or None
        rec.distance_m = distance or None
        rec.avg_hr = hr_weighted / hr_time if hr_time else None
        rec.max_hr = max_hr
        found.append(rec)
    if not found:
        raise FileFormatError("no activity with laps or track points: nothing recorded")
    return found
