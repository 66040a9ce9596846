"""GPX and TCX files, read with lxml by local element names.

Namespaces differ between writers (Garmin's `gpxtpx:`, Suunto's `gpxdata:`, an `ns3:` prefix), so
elements are matched by their local name only. Leading whitespace or a byte-order mark before
`<?xml` (some Polar files) is stripped first: XML parsers refuse it. Times keep their UTC instant
whatever offset the device wrote.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from ingest.files.model import FileFormatError, Recording

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


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


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


def _extension_value(point: etree._Element, names: tuple[str, ...]) -> float | None:
    """The first extension element (at any depth, any namespace) with one of `names` as local name."""
    for ext in point.iterfind("{*}extensions"):
        for name in names:
            for el in ext.iter(f"{{*}}{name}"):
                if el.text:
                    return _float(el.text)
    for ext in point.iterfind("{*}Extensions"):
        for name in names:
            for el in ext.iter(f"{{*}}{name}"):
                if el.text:
                    return _float(el.text)
    return None


def _append(rec: Recording, t: float, hr, speed, alt, lat, lon) -> None:
    """Add a sample; a point with the same time as the last (HR and GPS written apart) is merged."""
    if rec.t and rec.t[-1] == t:
        for series, value in zip(
            (rec.hr, rec.speed, rec.altitude, rec.lat, rec.lon), (hr, speed, alt, lat, lon), strict=True
        ):
            if series[-1] is None:
                series[-1] = value
        return
    rec.t.append(t)
    for series, value in zip(
        (rec.hr, rec.speed, rec.altitude, rec.lat, rec.lon), (hr, speed, alt, lat, lon), strict=True
    ):
        series.append(value)


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
        for pt in trk.iter("{*}trkpt"):
            t = _time(pt.findtext("{*}time"))
            if t is None:
                continue
            hr = _extension_value(pt, ("hr", "heartrate"))
            _append(
                rec,
                t,
                hr if hr and hr > 0 else None,
                _extension_value(pt, ("speed",)),
                _float(pt.findtext("{*}ele")),
                _float(pt.get("lat")),
                _float(pt.get("lon")),
            )
        if rec.t:
            rec.start_at = rec.t[0]
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
            for pt in lap.iter("{*}Trackpoint"):
                t = _time(pt.findtext("{*}Time"))
                if t is None:
                    continue
                hr = _float(pt.findtext("{*}HeartRateBpm/{*}Value"))
                pos = pt.find("{*}Position")
                _append(
                    rec,
                    t,
                    hr if hr and hr > 0 else None,
                    _extension_value(pt, ("Speed",)),
                    _float(pt.findtext("{*}AltitudeMeters")),
                    _float(pos.findtext("{*}LatitudeDegrees")) if pos is not None else None,
                    _float(pos.findtext("{*}LongitudeDegrees")) if pos is not None else None,
                )
        start = _time(laps[0].get("StartTime")) if laps else None
        if start is None and not rec.t:
            continue
        rec.start_at = start if start is not None else rec.t[0]
        rec.elapsed_s = elapsed or None
        rec.moving_s = elapsed or None
        rec.distance_m = distance or None
        rec.avg_hr = hr_weighted / hr_time if hr_time else None
        rec.max_hr = max_hr
        found.append(rec)
    if not found:
        raise FileFormatError("no activity with laps or track points: nothing recorded")
    return found
