"""Activity files written for the tests: FIT through Garmin's SDK encoder, GPX and TCX by hand.

Each builder takes per-second samples so a test states exactly what the file holds; the quirks of
real devices (issue 12) are options.
"""

from __future__ import annotations

import gzip
import random
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from garmin_fit_sdk import Encoder, Profile

M = Profile["mesg_num"]
FIT_EPOCH_S = 631065600
SEMI = 2**31 / 180.0
# Berlin (Europe/Berlin), and a point in New York for a zone far from the machine's
BERLIN = (52.52, 13.40)
NEW_YORK = (40.71, -74.0)


def _fit_time(t: datetime) -> int:
    return int(t.timestamp()) - FIT_EPOCH_S


@dataclass
class Part:
    """One session of a FIT file: its samples (one record every `every` seconds) and its totals.

    sets: set messages' fields (`strength_set`, or any with `set_type` "rest"); rpe: the watch's 1-10;
    timer_s: total_timer_time when it differs from the elapsed time (pauses); name: the watch's sport
    profile name."""

    start: datetime
    seconds: int
    sport: str = "running"
    sub_sport: str | None = None
    hr: Callable[[int], float | None] = lambda i: 140
    speed: Callable[[int], float] = lambda i: 3.0
    altitude: Callable[[int], float] | None = None
    point: tuple[float, float] | None = BERLIN
    sets: list[dict] = field(default_factory=list)
    rpe: int | None = None
    every: int = 1
    timer_s: float | None = None
    name: str | None = None


def fit_activity(
    path: Path,
    start: datetime,
    seconds: int,
    hr: Callable[[int], float | None] = lambda i: 140,
    speed: Callable[[int], float] = lambda i: 3.0,
    altitude: Callable[[int], float] | None = None,
    point: tuple[float, float] | None = BERLIN,
    sport: str = "running",
    sub_sport: str | None = None,
    session: bool = True,
    rpe: int | None = None,
    clock_jump_at: int | None = None,
    jump: timedelta = timedelta(days=20),
    hr_apart: bool = False,
    sets: list[dict] | None = None,
    gz: bool = False,
    utc_offset: timedelta | None = None,
) -> Path:
    """A FIT activity with one record per second.

    clock_jump_at: from this sample on, timestamps are `jump` later (a clock re-synchronised).
    hr_apart: heart rate and position written as two records with one timestamp (Suunto Ambit).
    utc_offset: write an activity message whose local_timestamp is that far from its timestamp.
    session=False: no session message (the watch stopped before writing its totals).
    """
    part = Part(start, seconds, sport, sub_sport, hr, speed, altitude, point, sets or [], rpe)
    return fit_multisport(
        path,
        [part],
        utc_offset,
        session=session,
        clock_jump_at=clock_jump_at,
        jump=jump,
        hr_apart=hr_apart,
        gz=gz,
    )


def fit_multisport(
    path: Path,
    parts: list[Part],
    utc_offset: timedelta | None = None,
    session: bool = True,
    clock_jump_at: int | None = None,
    jump: timedelta = timedelta(days=20),
    hr_apart: bool = False,
    gz: bool = False,
) -> Path:
    """A FIT file of one session per part, in order (a multisport activity: bike then strength, say),
    each part's records, sets and session message; then the activity message when `utc_offset` is
    given (options as `fit_activity`)."""
    e = Encoder()
    e.write_mesg(
        {
            "mesg_num": M["FILE_ID"],
            "type": "activity",
            "manufacturer": "development",
            "product": 1,
            "serial_number": 42,
            "time_created": _fit_time(parts[0].start),
        }
    )
    for part in parts:
        _write_part(e, part, session, clock_jump_at, jump, hr_apart)
    if utc_offset is not None:  # the activity message with the watch's local time, as Garmin writes it
        end = _fit_time(parts[-1].start + timedelta(seconds=parts[-1].seconds))
        e.write_mesg(
            {
                "mesg_num": M["ACTIVITY"],
                "timestamp": end,
                "local_timestamp": end + int(utc_offset.total_seconds()),
                "num_sessions": len(parts),
                "type": "manual",
            }
        )
    data = e.close()
    if gz:
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def _write_part(
    e: Encoder, part: Part, session: bool, clock_jump_at: int | None, jump: timedelta, hr_apart: bool
) -> None:
    """One part's records (every `part.every` s), its set messages, and its session message."""
    start, seconds = part.start, part.seconds
    distance = 0.0
    for i in range(0, seconds, part.every):
        t = (
            start
            + timedelta(seconds=i)
            + (jump if clock_jump_at is not None and i >= clock_jump_at else timedelta())
        )
        v = part.speed(i)
        distance += v * part.every
        record: dict = {
            "mesg_num": M["RECORD"],
            "timestamp": _fit_time(t),
            "enhanced_speed": v,
            "distance": distance,
        }
        if part.altitude is not None:
            record["enhanced_altitude"] = part.altitude(i)
        if part.point is not None:
            lat = part.point[0] + distance / 111_000
            record["position_lat"] = int(lat * SEMI)
            record["position_long"] = int(part.point[1] * SEMI)
        h = part.hr(i)
        if hr_apart:
            e.write_mesg(record)
            if h is not None:
                e.write_mesg({"mesg_num": M["RECORD"], "timestamp": _fit_time(t), "heart_rate": int(h)})
        else:
            if h is not None:
                record["heart_rate"] = int(h)
            e.write_mesg(record)
    for s in part.sets:
        e.write_mesg({"mesg_num": M["SET"], "timestamp": _fit_time(start), "set_type": "active", **s})
    if session:
        mesg = {
            "mesg_num": M["SESSION"],
            "timestamp": _fit_time(start + timedelta(seconds=seconds)),
            "start_time": _fit_time(start),
            "total_elapsed_time": float(seconds),
            "total_timer_time": float(seconds if part.timer_s is None else part.timer_s),
            "total_distance": distance,
            "sport": part.sport,
        }
        if part.sub_sport:
            mesg["sub_sport"] = part.sub_sport
        if part.rpe is not None:
            mesg["workout_rpe"] = part.rpe * 10
        if part.name:
            mesg["sport_profile_name"] = part.name
        e.write_mesg(mesg)


def fit_strength(path: Path, start: datetime, seconds: int, **options) -> Path:
    """A strength session recorded indoors (no GPS, no speed) on a Garmin watch."""
    options = {"point": None, "speed": lambda i: 0.0, **options}
    return fit_activity(path, start, seconds, sport="training", sub_sport="strength_training", **options)


def strength_set(
    category: str,
    subtype: int | None,
    reps: int,
    weight: float,
    start: datetime,
    duration: float = 40.0,
    guesses: tuple[tuple[str, int | None], ...] = (),
) -> dict:
    """A FIT set message's fields (category names and subtypes as in the FIT profile).

    guesses: the watch's further guesses after the first, as a Forerunner 965 writes them (category
    "unknown" is common; a subtype None is written as FIT's invalid value)."""
    pairs = [(category, subtype), *guesses]
    return {
        "start_time": _fit_time(start),
        "duration": duration,
        "repetitions": reps,
        "weight": weight,
        "category": [c for c, _ in pairs],
        "category_subtype": [0xFFFF if sub is None else sub for _, sub in pairs],
    }


def rest_set(start: datetime, duration: float) -> dict:
    """A FIT set message of the rest between two sets (no category, no reps)."""
    return {"start_time": _fit_time(start), "duration": duration, "set_type": "rest"}


def fit_compressed(
    path: Path,
    start: datetime,
    seconds: int,
    hr: int = 150,
    speed: Callable[[int], float] | None = None,
    every: int = 1,
    hr_at: Callable[[int], int] | None = None,
    local_offset: timedelta | None = None,
    packed: bool = False,
) -> Path:
    """A FIT file whose records use compressed-timestamp headers (the Forerunner 70's), written by
    hand: the SDK neither writes nor reads them. One full timestamp in file_id, then records of
    heart_rate and speed whose header carries the time offset's low 5 bits.
    packed: speed in `compressed_speed_distance` (field 8: 12 bits of speed in 1/100 m/s, 12 of the
    distance in 1/16 m rolling over at 256 m; FIT profile), as the Forerunner 70 writes it.

    speed, hr_at: per-second values (a footpod's speed, no GPS); every: a record every `every` s (the
    Forerunner 70 writes one every 5 s); local_offset: also write the session and the activity
    message, whose local_timestamp is that far from its timestamp (the Forerunner 70's is days off)."""
    speed = speed or (lambda i: 3.0)
    hr_at = hr_at or (lambda i: hr)
    body = bytearray()
    # definition: local 0 = file_id (type, time_created), little endian
    body += struct.pack("<BBBHB", 0x40, 0, 0, 0, 2) + bytes([0, 1, 0x00, 4, 4, 0x86])
    created = _fit_time(start)
    body += struct.pack("<BBI", 0, 4, created)
    travelled = 0.0

    def speed_bytes(i: int) -> bytes:
        nonlocal travelled
        if not packed:
            return struct.pack("<H", round(speed(i) * 1000))
        travelled += speed(i) * (every if i else 0)
        value = (round(speed(i) * 100) & 0xFFF) | ((round(travelled * 16) & 0xFFF) << 12)
        return value.to_bytes(3, "little")

    field = bytes([8, 3, 0x0D]) if packed else bytes([6, 2, 0x84])  # compressed_speed_distance or speed
    # definition: local 1 = record (timestamp 253, heart_rate 3, speed)
    body += struct.pack("<BBBHB", 0x41, 0, 0, 20, 3) + bytes([253, 4, 0x86, 3, 1, 0x02]) + field
    body += struct.pack("<BIB", 1, created, hr_at(0)) + speed_bytes(0)
    # definition: local 2 = record without timestamp (compressed headers give it)
    body += struct.pack("<BBBHB", 0x42, 0, 0, 20, 2) + bytes([3, 1, 0x02]) + field
    for i in range(every, seconds, every):
        offset = (created + i) & 0x1F
        body += struct.pack("<BB", 0x80 | (2 << 5) | offset, hr_at(i)) + speed_bytes(i)
    if local_offset is not None:
        end = created + seconds
        distance = sum(speed(i) * every for i in range(0, seconds, every))
        # local 3 = session (timestamp, start_time, total_elapsed_time, total_timer_time, total_distance,
        # sport, avg_heart_rate); local 4 = activity (timestamp, local_timestamp, num_sessions, type)
        body += struct.pack("<BBBHB", 0x43, 0, 0, 18, 7) + bytes(
            [253, 4, 0x86, 2, 4, 0x86, 7, 4, 0x86, 8, 4, 0x86, 9, 4, 0x86, 5, 1, 0x00, 16, 1, 0x02]
        )
        average = round(sum(hr_at(i) for i in range(0, seconds, every)) / len(range(0, seconds, every)))
        body += struct.pack(
            "<BIIIIIBB", 3, end, created, seconds * 1000, seconds * 1000, round(distance * 100), 1, average
        )
        body += struct.pack("<BBBHB", 0x44, 0, 0, 34, 4) + bytes(
            [253, 4, 0x86, 5, 4, 0x86, 1, 2, 0x84, 2, 1, 0x00]
        )
        body += struct.pack("<BIIHB", 4, end, end + int(local_offset.total_seconds()), 1, 0)
    header = struct.pack("<BBHI4s", 12, 0x10, 2132, len(body), b".FIT")
    data = header + bytes(body)
    from garmin_fit_sdk.crc_calculator import CrcCalculator

    crc = CrcCalculator.calculate_crc(data, 0, len(data))
    path.write_bytes(data + struct.pack("<H", crc))
    return path


def _iso(t: datetime, offset: timedelta | None = None) -> str:
    if offset is None:
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    local = t + offset
    sign = "+" if offset >= timedelta() else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def gpx(
    path: Path,
    start: datetime,
    seconds: int,
    hr: Callable[[int], float | None] = lambda i: 140,
    point: tuple[float, float] | None = BERLIN,
    sport: str | None = "running",
    points: bool = True,
    leading_whitespace: bool = False,
) -> Path:
    """A GPX track with Garmin's TrackPointExtension heart rate, one point per second."""
    pts = []
    for i in range(seconds if points else 0):
        h = hr(i)
        ext = (
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{int(h)}</gpxtpx:hr>"
            "</gpxtpx:TrackPointExtension></extensions>"
            if h is not None
            else ""
        )
        lat = point[0] + 3.0 * i / 111_000
        when = _iso(start + timedelta(seconds=i))
        pts.append(f'<trkpt lat="{lat:.6f}" lon="{point[1]:.6f}"><time>{when}</time>{ext}</trkpt>')
    kind = f"<type>{sport}</type>" if sport else ""
    text = (
        ("\n  " if leading_whitespace else "") + '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="crosstrain tests" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>Test run</name>{kind}<trkseg>{''.join(pts)}</trkseg></trk></gpx>\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


def tcx(
    path: Path,
    start: datetime,
    seconds: int,
    hr: Callable[[int], float | None] = lambda i: 140,
    point: tuple[float, float] | None = BERLIN,
    offset: timedelta | None = None,
    laps: bool = True,
    leading_whitespace: bool = False,
) -> Path:
    """A TCX running activity; `offset` writes times with that UTC offset (right instant, any zone)."""
    pts = []
    for i in range(seconds):
        lat = point[0] + 3.0 * i / 111_000
        h = hr(i)
        hr_el = f"<HeartRateBpm><Value>{int(h)}</Value></HeartRateBpm>" if h is not None else ""
        pts.append(
            f"<Trackpoint><Time>{_iso(start + timedelta(seconds=i), offset)}</Time><Position>"
            f"<LatitudeDegrees>{lat:.6f}</LatitudeDegrees><LongitudeDegrees>{point[1]:.6f}</LongitudeDegrees>"
            f"</Position><DistanceMeters>{3.0 * i:.1f}</DistanceMeters>{hr_el}</Trackpoint>"
        )
    totals = (
        f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds><DistanceMeters>{3.0 * seconds}</DistanceMeters>"
        if laps
        else ""
    )
    text = (
        (" \n" if leading_whitespace else "") + '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="Running"><Id>{_iso(start)}</Id>'
        f'<Lap StartTime="{_iso(start, offset)}">{totals}<Track>{"".join(pts)}</Track></Lap>'
        "</Activity></Activities></TrainingCenterDatabase>\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


T0 = datetime(2024, 5, 6, 22, 30, tzinfo=UTC)  # a Monday, 00:30 on Tuesday in Berlin (CEST)


CAIRO = (30.044, 31.236)
VIENNA = (48.208, 16.372)


def gpx_track(
    path: Path,
    start: datetime,
    speeds: list[float | None],
    point: tuple[float, float] = CAIRO,
    sport: str | None = "running",
    jitter_m: float = 0.0,
    seed: int = 1,
) -> Path:
    """A phone-style GPX track: one point per second moving north at `speeds[i]` m/s; None records no
    point that second (the app paused, the signal lost); `jitter_m` bounds a GPS error that wanders
    from second to second (seeded, so the file is the same every run)."""
    rng = random.Random(seed)
    pts, north, dy, dx = [], 0.0, 0.0, 0.0
    for i, v in enumerate(speeds):
        north += v or 0.0
        # GPS error wanders: each second it moves by up to a fifth of its bound, and stays within it
        dy = max(-jitter_m, min(jitter_m, dy + rng.uniform(-jitter_m, jitter_m) / 5))
        dx = max(-jitter_m, min(jitter_m, dx + rng.uniform(-jitter_m, jitter_m) / 5))
        if v is None:
            continue
        lat = point[0] + (north + dy) / 111_000
        lon = point[1] + dx / 96_000
        when = _iso(start + timedelta(seconds=i))
        pts.append(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><time>{when}</time></trkpt>')
    kind = f"<type>{sport}</type>" if sport else ""
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="crosstrain tests" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>Test</name>{kind}<trkseg>{''.join(pts)}</trkseg></trk></gpx>\n",
        encoding="utf-8",
    )
    return path


def stop_and_go(minutes: int, pace: float = 3.0) -> list[float | None]:
    """A steady city run at `pace` m/s on a phone, with a traffic light every 4 minutes: 20 s slowing down,
    30 s standing, 15 s without a signal, then 20 s of the GPS catching up (positions running ahead
    at 2.2 x pace, as phones do after a lost signal), and 20 s speeding up again."""
    light = (
        [pace * (1 - k / 20) for k in range(20)]
        + [0.0] * 30
        + [None] * 15
        + [pace * 2.2] * 20
        + [pace * k / 20 for k in range(20)]
    )
    out: list[float | None] = []
    while len(out) < minutes * 60:
        out += [pace] * (240 - len(light)) + light
    return out[: minutes * 60]


def interval_session(reps: int = 6, fast: float = 4.2, jog: float = 2.6, easy: float = 2.9) -> list[float]:
    """10 min easy (with one 40-s stop at a light), reps x (2 min fast, 2 min jog), 10 min easy."""
    warm = [easy] * 200 + [0.0] * 40 + [easy] * 360
    work = ([fast] * 120 + [jog] * 120) * reps
    return warm + work + [easy] * 600
