"""Our own activity files in the shape of the real ones of ../shared/formats/files (issue 19 item 7).

The real files may not be copied into the project (../shared/formats/README.md), so every clone gets
these instead: each is named after the real file it mirrors and keeps that file's structure and quirks
(compressed timestamps, multisport sessions with strength sets, the watch's local time, Garmin
Connect's ns3 prefix, a backward time step, mixed extension namespaces, lap totals beyond the track
points) with our own places, dates and values. tests/fixtures/README.md ("mirrors") lists them.

They are committed in tests/fixtures/mirrors/ and rebuilt here byte for byte (test_mirror_files.py
checks it); after changing a builder, write them again with `python tests/mirror_files.py`.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script, or imported by the tests

from activity_files import Part, fit_compressed, fit_multisport, rest_set, strength_set  # noqa: E402

MIRRORS = Path(__file__).resolve().parent / "fixtures" / "mirrors"
INNSBRUCK = (47.2692, 11.3933)
RIGA = (56.9496, 24.1052)
ANTWERP = (51.2194, 4.4025)
KRAKOW = (50.0614, 19.9366)
LYON = (45.7640, 4.8357)
GRAZ = (47.0707, 15.4395)
VIVO_T0 = datetime(2018, 9, 16, 7, 12, 40, tzinfo=UTC)  # the vivoactive run (FIT and GPX)


def _walk_with_jogs(i: int) -> float:
    """A walk at 1.45 m/s with three 3-minute jogs at 2.7 m/s (the vivoactive run's pattern)."""
    return 2.7 if (i // 60) in (6, 7, 8, 14, 15, 16, 22, 23, 24) else 1.45


def fr70_intervals(path: Path) -> Path:
    """Forerunner 70: compressed-timestamp records every 5 s, footpod speed and no GPS, 6 x (2 min
    fast, 2 min jog), and an activity.local_timestamp days off (garbage, to be ignored)."""

    def speed(i: int) -> float:
        if i < 600 or i >= 2040:
            return 2.7
        return 4.4 if ((i - 600) // 120) % 2 == 0 else 2.3

    def hr(i: int) -> int:
        if i < 600 or i >= 2040:
            return 128
        return 166 if ((i - 600) // 120) % 2 == 0 else 142

    start = datetime(2014, 6, 3, 16, 20, 15, tzinfo=UTC)
    offset = -timedelta(days=6, hours=16, minutes=17, seconds=3)
    return fit_compressed(path, start, 3000, speed=speed, every=5, hr_at=hr, local_offset=offset)


def _vivo_altitude(i: int) -> float:
    return 575.0 + 6.0 * math.sin(i / 300)


def vivoactive_run(path: Path) -> Path:
    """vivoactive HR: GPS, heart rate and altitude every 6 s (smart recording), the watch's clock at
    UTC+2; a walk with three jogs."""
    part = Part(
        VIVO_T0, 1800, sub_sport="generic", hr=lambda i: 105 + (30 if _walk_with_jogs(i) > 2 else 0) + i % 7,
        speed=_walk_with_jogs, altitude=_vivo_altitude, point=INNSBRUCK, every=6, timer_s=1796.5, name="Run",
    )  # fmt: skip
    return fit_multisport(path, [part], utc_offset=timedelta(hours=2))


def garmin_connect_gpx(path: Path) -> Path:
    """Garmin Connect's GPX of the vivoactive run: the same points, `ns3:` TrackPointExtension with
    hr and cad, full-precision coordinates, a metadata link and time, `<type>running</type>`."""
    points, distance = [], 0.0
    for i in range(0, 1800, 6):
        v = _walk_with_jogs(i)
        distance += v * 6
        lat = INNSBRUCK[0] + distance / 111_000
        hr = 105 + (30 if v > 2 else 0) + i % 7
        cad = 0 if i == 0 else (82 if v > 2 else 56)
        points.append(
            f'      <trkpt lat="{lat:.17f}" lon="{INNSBRUCK[1]:.17f}">\n'
            f"        <ele>{_vivo_altitude(i):.16f}</ele>\n"
            f"        <time>{_ms(VIVO_T0 + timedelta(seconds=i))}</time>\n"
            "        <extensions>\n          <ns3:TrackPointExtension>\n"
            f"            <ns3:hr>{hr}</ns3:hr>\n            <ns3:cad>{cad}</ns3:cad>\n"
            "          </ns3:TrackPointExtension>\n        </extensions>\n      </trkpt>\n"
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx creator="Garmin Connect" version="1.1"\n'
        '     xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/11.xsd"\n'
        '     xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"\n'
        '     xmlns="http://www.topografix.com/GPX/1/1"\n'
        '     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '  <metadata>\n    <link href="connect.garmin.com">\n      <text>Garmin Connect</text>\n    </link>\n'
        f"    <time>{_ms(VIVO_T0)}</time>\n  </metadata>\n"
        "  <trk>\n    <name>Innsbruck Running</name>\n    <type>running</type>\n    <trkseg>\n"
        + "".join(points)
        + "    </trkseg>\n  </trk>\n</gpx>\n",
        encoding="utf-8",
    )
    return path


def _circuit(
    start: datetime, plan: list[tuple[tuple[tuple[str, int | None], ...], int, float, float, float]]
):
    """Set messages of a strength session: each (guesses, reps, weight, seconds, rest after) an active set
    (first guess first, 'unknown' where the watch had none) and the rest that follows it."""
    sets, t = [], start
    for guesses, reps, weight, seconds, rest in plan:
        (category, subtype), *more = guesses
        sets.append(strength_set(category, subtype, reps, weight, t, duration=seconds, guesses=tuple(more)))
        t += timedelta(seconds=round(seconds))
        sets.append(rest_set(t, rest))
        t += timedelta(seconds=round(rest))
    return sets


UNKNOWN = (("unknown", None), ("unknown", None), ("unknown", None))


def fr965_bike_strength(path: Path) -> Path:
    """Forerunner 965, one file, two sessions without GPS: indoor cycling (speed, no position), then
    strength with active and rest set messages whose categories are lists of guesses; the strength
    part carries the watch's RPE 4; local_timestamp 3 hours ahead of UTC."""
    t0 = datetime(2026, 2, 9, 4, 40, 0, tzinfo=UTC)
    bike = Part(
        t0, 630, "cycling", "indoor_cycling", hr=lambda i: 104 + i // 60, speed=lambda i: 7.2, point=None,
        every=2, timer_s=611.2, name="Bike Indoor",
    )  # fmt: skip
    t1 = t0 + timedelta(seconds=700)
    plan = [
        (UNKNOWN, 12, 0.0, 41.0, 9.5),
        ((("lunge", 4), ("squat", None), ("unknown", None)), 12, 0.0, 38.2, 60.0),
        ((("squat", 2), ("lunge", None), ("deadlift", None)), 10, 40.0, 35.0, 75.0),
        ((("squat", 2), ("deadlift", None), ("unknown", None)), 10, 50.0, 36.5, 80.0),
        ((("push_up", None), ("triceps_extension", 0), ("unknown", None)), 15, 0.0, 30.8, 45.0),
        ((("deadlift", 0), ("squat", None), ("lunge", None)), 5, 80.0, 21.3, 90.0),
        ((("deadlift", 0), ("lunge", None), ("squat", None)), 5, 100.0, 22.9, 120.0),
        ((("deadlift", 0), ("squat", None), ("row", None)), 3, 120.0, 16.4, 150.0),
        (UNKNOWN, 5, 0.0, 4.6, 12.0),
        ((("hip_raise", 0), ("row", 18), ("shrug", None)), 12, 30.0, 44.0, 60.0),
        ((("hip_raise", 0), ("unknown", None), ("unknown", None)), 12, 40.0, 43.1, 60.0),
        ((("row", 18), ("flye", None), ("unknown", None)), 10, 25.0, 39.9, 60.0),
        ((("curl", None), ("triceps_extension", 6), ("unknown", None)), 10, 12.0, 33.3, 45.0),
        ((("plank", None), ("core", None), ("unknown", None)), 1, 0.0, 60.0, 30.0),
        ((("lunge", 4), ("squat", None), ("unknown", None)), 16, 10.0, 48.6, 60.0),
    ]
    strength = Part(
        t1, 2100, "training", "strength_training", hr=lambda i: 96 + (i // 40) % 30, speed=lambda i: 0.0,
        point=None, sets=_circuit(t1 + timedelta(seconds=4), plan), rpe=4, every=5, timer_s=2040.7,
        name="Strength",
    )  # fmt: skip
    return fit_multisport(path, [bike, strength], utc_offset=timedelta(hours=3))


def fr965_strength_run_strength(path: Path) -> Path:
    """Forerunner 965: strength, a run with GPS and heart rate, strength again; sets only in the strength
    parts (one with 0 repetitions and a weight); the last part's RPE 2; the watch 3 hours ahead of UTC
    (Riga's summer time, where the run's GPS puts all three)."""
    t0 = datetime(2026, 5, 12, 4, 5, 0, tzinfo=UTC)
    first = Part(
        t0, 560, "training", "strength_training", hr=lambda i: 80 + i % 9, speed=lambda i: 0.0, point=None,
        sets=_circuit(t0, [
            ((("cardio", 6), ("unknown", None), ("unknown", None)), 1, 0.0, 80.0, 10.0),
            (UNKNOWN, 15, 0.0, 45.0, 20.0),
            ((("push_up", None), ("triceps_extension", 0), ("pull_up", None)), 12, 0.0, 50.0, 25.0),
        ]),
        every=5, timer_s=341.0, name="Strength",
    )  # fmt: skip
    t1 = t0 + timedelta(seconds=640)
    run = Part(
        t1, 1240, sub_sport="generic", hr=lambda i: 98 + i // 60,
        speed=lambda i: 0.0 if 600 <= i < 840 else 1.1,
        altitude=lambda i: 12.0 + (i % 120) / 40, point=RIGA, every=2, timer_s=1000.4, name="Run",
    )  # fmt: skip
    t2 = t1 + timedelta(seconds=1300)
    plan = [
        (UNKNOWN, 1, 0.0, 58.0, 60.0),
        ((("sit_up", None), ("squat", None), ("triceps_extension", None)), 12, 0.0, 41.0, 15.0),
        ((("triceps_extension", 0), ("push_up", None), ("pull_up", None)), 15, 0.0, 29.0, 25.0),
        ((("triceps_extension", 0), ("push_up", None), ("pull_up", None)), 10, 12.0, 28.0, 40.0),
        ((("plyo", 33), ("lunge", None), ("total_body", 0)), 6, 0.0, 35.0, 30.0),
        ((("unknown", None), ("unknown", None), ("unknown", None)), 0, 6.0, 60.0, 20.0),
        ((("row", None), ("shrug", 24), ("triceps_extension", None)), 10, 12.0, 27.0, 25.0),
        ((("triceps_extension", None), ("triceps_extension", 6), ("sit_up", None)), 15, 6.0, 30.0, 30.0),
    ]
    second = Part(
        t2, 1150, "training", "strength_training", hr=lambda i: 95 + i % 11, speed=lambda i: 0.0, point=None,
        sets=_circuit(t2 + timedelta(seconds=5), plan), rpe=2, every=5, timer_s=1146.2, name="Strength",
    )  # fmt: skip
    return fit_multisport(path, [first, run, second], utc_offset=timedelta(hours=3))


def _ms(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _z(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def suunto_spartan_tcx(path: Path) -> Path:
    """Suunto Spartan Ultra's TCX: a near-empty first lap, laps whose `<Track />` is empty, points every
    4 s with Cadence and a TPX Speed extension, `<?xml version="1.0"?>`, a Device_t creator; the lap
    totals (2,670 m, 860 s) are more than the track points cover (about 2,160 m in 696 s)."""
    t0 = datetime(2019, 4, 16, 17, 5, 10, tzinfo=UTC)
    v = 3.1
    laps = [(0, 0.002, 0.004, False), (0, 100.0, 310.0, False), (100, 60.0, 190.0, False)]
    laps += [(160 + 100 * k, 100.0, 310.0, True) for k in range(7)]  # 160 .. 860 s, with points
    out = []
    for begin, seconds, metres, with_points in laps:
        track = "        <Track />\n"
        if with_points:
            pts = []
            for i in range(begin, begin + int(seconds), 4):
                lat = ANTWERP[0] + v * (i - 160) / 111_000
                pts.append(
                    "          <Trackpoint>\n"
                    f"            <Time>{_z(t0 + timedelta(seconds=i))}</Time>\n"
                    "            <Position>\n"
                    f"              <LatitudeDegrees>{lat:.6f}</LatitudeDegrees>\n"
                    f"              <LongitudeDegrees>{ANTWERP[1]}</LongitudeDegrees>\n"
                    "            </Position>\n"
                    f"            <AltitudeMeters>{8 + (i % 50) / 10}</AltitudeMeters>\n"
                    f"            <HeartRateBpm>\n              <Value>{138 + i % 9}</Value>\n"
                    "            </HeartRateBpm>\n"
                    "            <Cadence>86</Cadence>\n            <Extensions>\n"
                    '              <TPX xmlns="http://www.garmin.com/xmlschemas/ActivityExtension/v2">\n'
                    f"                <Speed>{v}</Speed>\n              </TPX>\n            </Extensions>\n"
                    "          </Trackpoint>\n"
                )
            track = "        <Track>\n" + "".join(pts) + "        </Track>\n"
        out.append(
            f'      <Lap StartTime="{_z(t0 + timedelta(seconds=begin))}">\n'
            f"        <TotalTimeSeconds>{seconds}</TotalTimeSeconds>\n"
            f"        <DistanceMeters>{metres}</DistanceMeters>\n"
            + (f"        <MaximumSpeed>{v + 0.4}</MaximumSpeed>\n" if metres > 1 else "")
            + "        <Calories>0</Calories>\n        <Intensity>Active</Intensity>\n"
            "        <TriggerMethod>Manual</TriggerMethod>\n" + track + "      </Lap>\n"
        )
    path.write_text(
        '<?xml version="1.0"?>\n<TrainingCenterDatabase xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">\n'
        '  <Activities>\n    <Activity Sport="Running">\n'
        f"      <Id>{_z(t0)}</Id>\n" + "".join(out) + '      <Creator xsi:type="Device_t">\n'
        "        <Name>Suunto Spartan Ultra</Name>\n        <UnitId>0</UnitId>\n"
        "        <ProductID>0</ProductID>\n      </Creator>\n    </Activity>\n  </Activities>\n"
        "</TrainingCenterDatabase>\n",
        encoding="utf-8",
    )
    return path


def _trkpts(
    start: datetime,
    times: list[int],
    point: tuple[float, float],
    speed: Callable[[int], float],
    ext: Callable[[int], str],
    indent: str = "   ",
    iso: Callable[[datetime], str] = _z,
) -> str:
    """Track points at `times` (seconds from start; not necessarily increasing), moving north."""
    out = []
    for i in times:
        lat = point[0] + sum(speed(k) for k in range(max(i, 0))) / 111_000
        out.append(
            f'{indent}<trkpt lat="{lat:.7f}" lon="{point[1]:.7f}">\n'
            f"{indent} <ele>{210 + (i % 60) / 10:.1f}</ele>\n"
            f"{indent} <time>{iso(start + timedelta(seconds=i))}</time>\n{indent} <extensions>\n{ext(i)}"
            f"{indent} </extensions>\n{indent}</trkpt>\n"
        )
    return "".join(out)


def strava_export_gpx(path: Path) -> Path:
    """Strava's own GPX of a run: creator StravaGPX, no `<type>`, gpxtpx atemp, hr and cad, points
    1-4 s apart (auto-pause gaps)."""
    t0 = datetime(2016, 11, 22, 18, 40, 5, tzinfo=UTC)
    times, t = [], 0
    while t < 240:
        times.append(t)
        t += 4 if t % 97 < 8 else 1
    ext = lambda i: (  # noqa: E731
        "     <gpxtpx:TrackPointExtension>\n"
        f"      <gpxtpx:atemp>{24 - i // 120}</gpxtpx:atemp>\n      <gpxtpx:hr>{125 + i // 30}</gpxtpx:hr>\n"
        f"      <gpxtpx:cad>{84 + i % 3}</gpxtpx:cad>\n     </gpxtpx:TrackPointExtension>\n"
    )
    body = _trkpts(t0, times, KRAKOW, lambda i: 3.2, ext)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx creator="StravaGPX" version="1.1" '
        'xmlns="http://www.topografix.com/GPX/1/1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f" <metadata>\n  <time>{_z(t0)}</time>\n </metadata>\n <trk>\n  <name>Wieczorny bieg</name>\n"
        "  <trkseg>\n" + body + "  </trkseg>\n </trk>\n</gpx>\n",
        encoding="utf-8",
    )
    return path


def runkeeper_gpx(path: Path) -> Path:
    """Runkeeper's GPX of a ride: the name in CDATA, a `<time>` in `<trk>`, the second point one second
    before the first (a backward step at the start), points 3 s apart at 6.6 m/s and no `<type>`."""
    t0 = datetime(2018, 5, 6, 16, 10, 30, tzinfo=UTC)
    times = [0, -1, *range(5, 900, 3)]
    ext = lambda i: (  # noqa: E731
        f"<gpxtpx:TrackPointExtension><gpxtpx:hr>{110 + min(i, 600) // 15}</gpxtpx:hr>"
        "</gpxtpx:TrackPointExtension>\n"
    )
    body = _trkpts(t0, times, LYON, lambda i: 6.6, ext, indent="")
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx\n  version="1.1"\n'
        '  creator="Runkeeper - http://www.runkeeper.com"\n'
        '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n  xmlns="http://www.topografix.com/GPX/1/1"\n'
        '  xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd"\n'
        '  xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n<trk>\n'
        "  <name><![CDATA[Cycling 5/6/18 6:10 pm]]></name>\n"
        f"  <time>{_z(t0)}</time>\n<trkseg>\n" + body + "</trkseg>\n</trk>\n</gpx>\n",
        encoding="utf-8",
    )
    return path


def movescount_gpx(path: Path) -> Path:
    """Suunto Movescount's GPX: heart rate in a gpxtpx extension that declares its own namespace,
    cadence, distance, altitude, speed and vertical speed in `gpxdata:` beside it, laps in
    `gpxdata:lap` after the track; 5 s apart, no `<type>`."""
    t0 = datetime(2017, 1, 15, 9, 30, 2, tzinfo=UTC)
    v = 2.9
    ext = lambda i: (  # noqa: E731
        '     <gpxtpx:TrackPointExtension xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f"      <gpxtpx:hr>{140 + i // 60}</gpxtpx:hr>\n     </gpxtpx:TrackPointExtension>\n"
        f"     <gpxdata:cadence>{80 + i % 4}</gpxdata:cadence>\n"
        f"     <gpxdata:distance>{round(v * i)}</gpxdata:distance>\n"
        f"     <gpxdata:altitude>{360 + (i % 60) // 10}</gpxdata:altitude>\n"
        f"     <gpxdata:speed>{v}</gpxdata:speed>\n     <gpxdata:verticalSpeed>0.1</gpxdata:verticalSpeed>\n"
    )
    body = _trkpts(t0, list(range(0, 600, 5)), GRAZ, lambda i: v, ext, iso=_ms)
    laps = "".join(
        f"    <gpxdata:lap>\n      <gpxdata:index>{k}</gpxdata:index>\n"
        f"      <gpxdata:startTime>{_ms(t0 + timedelta(seconds=200 * k))}</gpxdata:startTime>\n"
        f"      <gpxdata:elapsedTime>{200 if k < 3 else 0}</gpxdata:elapsedTime>\n"
        f"      <gpxdata:distance>{round(v * 200) if k < 3 else 0}</gpxdata:distance>\n    </gpxdata:lap>\n"
        for k in range(4)
    )
    path.write_text(
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<gpx version="1.1" '
        'creator="Movescount - http://www.movescount.com" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd '
        'http://www.cluetrust.com/XML/GPXDATA/1/0 http://www.cluetrust.com/Schemas/gpxdata10.xsd" '
        'xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0" xmlns="http://www.topografix.com/GPX/1/1">\n'
        "  <trk>\n    <name>Move</name>\n    <trkseg>\n" + body + "    </trkseg>\n  </trk>\n"
        "  <extensions>\n" + laps + "  </extensions>\n</gpx>\n",
        encoding="utf-8",
    )
    return path


def garmin_connect_tiny_gpx(path: Path) -> Path:
    """Garmin Connect's GPX of a short run start: 16 points a second apart, `ns3:` (and an unused `ns2:`)
    prefixes, atemp, hr and cad."""
    t0 = datetime(2017, 8, 2, 5, 3, 0, tzinfo=UTC)
    ext = lambda i: (  # noqa: E731
        "          <ns3:TrackPointExtension>\n            <ns3:atemp>22.0</ns3:atemp>\n"
        f"            <ns3:hr>{80 + 3 * i}</ns3:hr>\n            <ns3:cad>{60 + 2 * i}</ns3:cad>\n"
        "          </ns3:TrackPointExtension>\n"
    )
    body = _trkpts(t0, list(range(16)), GRAZ, lambda i: 2.8, ext, indent="      ", iso=_ms)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx creator="Garmin Connect" version="1.1"\n'
        '  xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/11.xsd"\n'
        '  xmlns="http://www.topografix.com/GPX/1/1"\n'
        '  xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"\n'
        '  xmlns:ns2="http://www.garmin.com/xmlschemas/GpxExtensions/v3" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '  <metadata>\n    <link href="connect.garmin.com">\n      <text>Garmin Connect</text>\n    </link>\n'
        f"    <time>{_ms(t0)}</time>\n  </metadata>\n"
        "  <trk>\n    <name>Graz Laufen</name>\n    <type>running</type>\n    <trkseg>\n"
        + body
        + "    </trkseg>\n  </trk>\n</gpx>\n",
        encoding="utf-8",
    )
    return path


# the real file's name (../shared/formats/files) -> the builder of ours
BUILDERS: dict[str, Callable[[Path], Path]] = {
    "garmin_fr70_compressed-timestamps_noGPS.fit": fr70_intervals,
    "garmin_vivoactivehr_2067489619.fit": vivoactive_run,
    "garmin_connect_2067489619.gpx": garmin_connect_gpx,
    "garmin_fr965_multisport_bike+strength_20744294788.fit": fr965_bike_strength,
    "garmin_fr965_multisport_strength+run+strength_20555050352.fit": fr965_strength_run_strength,
    "suunto_spartan_ultra_run.tcx": suunto_spartan_tcx,
    "strava_export_run.gpx": strava_export_gpx,
    "runkeeper_negative-time-step-at-start.gpx": runkeeper_gpx,
    "suunto_movescount_mixed-extensions.gpx": movescount_gpx,
    "garmin_connect_ns3-prefix_tiny.gpx": garmin_connect_tiny_gpx,
}


def write_all(folder: Path = MIRRORS / "files") -> list[Path]:
    """Write every mirror into `folder` (by default the committed ones)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [build(folder / name) for name, build in BUILDERS.items()]


if __name__ == "__main__":
    for p in write_all():
        print(f"{p.stat().st_size:>8} {p}")
