"""What a real Strava export with its files showed (issue 12): phone GPS in a city is not intervals,
rides have no pace structure, the athlete's zone comes from the files' GPS when nothing better is
known, and moving time comes from the samples when the export's row has none."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from activity_files import CAIRO, T0, VIENNA, fit_activity, gpx_track, interval_session, stop_and_go
from import_helpers import one, rows

from ingest.athlete_zone import gps_zone
from ingest.database.db import connect

START = datetime(2024, 1, 10, 4, 0, tzinfo=UTC)
# 20 min at 3 m/s, the app paused for 10 min (no points), 20 min more: 2,999 s from the first point to
# the last, of which the 601-s step across the pause moved 3 m: 2,398 s moving
PAUSED = [3.0] * 1200 + [None] * 600 + [3.0] * 1200


def _structure(db_path: Path) -> list[tuple]:
    return rows(
        db_path,
        """select a.category, f.structure from activities a join activity_files f using (activity_id)
           order by a.start_at""",
    )


def test_stop_and_go_city_run_on_a_phone_stays_steady(run_cli, db_path, tmp_path) -> None:
    # lights every 4 minutes, a lost signal and the GPS catching up after each: the old rule said
    # 'strides' (the catch-ups), stops and jumps are now left out of the judgement
    f = gpx_track(tmp_path / "city.gpx", START, stop_and_go(45), jitter_m=3.0)
    assert run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(f)).exit_code == 0
    assert _structure(db_path) == [("run", "steady")]


def test_a_real_interval_session_on_a_phone_is_still_found(run_cli, db_path, tmp_path) -> None:
    # 6 x (2 min at 4.2 m/s, 2 min jog at 2.6) between easy running at 2.9, a stop in the warm-up
    f = gpx_track(tmp_path / "reps.gpx", START, interval_session(), jitter_m=3.0)
    assert run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(f)).exit_code == 0
    assert _structure(db_path) == [("run", "intervals")]


def test_a_ride_has_no_pace_structure(run_cli, db_path, tmp_path) -> None:
    ride = [2 * v for v in interval_session()]  # surges a run would call intervals
    gpx_track(tmp_path / "ride.gpx", START, ride, sport="cycling")
    fit_activity(
        tmp_path / "spin.fit", T0, 1800, speed=lambda i: 9.0 if (i // 120) % 2 else 6.0, sport="cycling"
    )
    assert run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(tmp_path)).exit_code == 0
    assert _structure(db_path) == [("cross", None), ("cross", None)]
    listed = json.loads(run_cli("activities", "list", "--athlete", "Ana", "--json").output)
    assert [a["structure"] for a in listed] == [None, None]


def test_moving_time_of_a_paused_gpx_leaves_the_pause_out(run_cli, db_path, tmp_path) -> None:
    f = gpx_track(tmp_path / "paused.gpx", START, PAUSED)
    assert run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(f)).exit_code == 0
    assert rows(db_path, "select elapsed_s, moving_s from activities") == [(2999.0, 2398.0)]


def test_a_long_gap_that_covered_ground_is_moving_time(run_cli, db_path, tmp_path) -> None:
    # a real phone ride's shape (AhmedAldahshoury/StravaData 1173752758.gpx): five points, the signal
    # lost for 69 min while 4.6 km were ridden, four points: a recording gap, not a clock jump
    t = [0, 3, 5, 7, 9, 4167, 4168, 4169, 4172]
    north = [0, 3, 5, 8, 10, 4600, 4604, 4609, 4612]
    pts = "".join(
        f'<trkpt lat="{CAIRO[0] + n / 111_000:.7f}" lon="{CAIRO[1]:.7f}">'
        f"<time>{(START + timedelta(seconds=s)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for s, n in zip(t, north, strict=True)
    )
    f = tmp_path / "gap.gpx"
    f.write_text(
        '<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><type>cycling</type><trkseg>{pts}</trkseg></trk></gpx>"
    )
    assert run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(f)).exit_code == 0
    assert rows(
        db_path,
        "select elapsed_s, moving_s, f.clock_jumps from activities join activity_files f using (activity_id)",
    ) == [(4172.0, 4172.0, 0)]


def test_structures_of_the_first_rule_are_forgotten_on_upgrade(run_cli, db_path, tmp_path) -> None:
    f = gpx_track(tmp_path / "city.gpx", START, stop_and_go(45), jitter_m=3.0)
    assert run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(f)).exit_code == 0
    with duckdb.connect(str(db_path)) as con:  # as a database of schema 10 held it: the old rule's word
        con.execute("update activity_files set structure = 'intervals'")
        con.execute("delete from schema_version where version >= 11")  # 011 and later run again
        marker = con.execute("select version from athlete_versions").fetchall()
    with connect(db_path) as con:  # upgraded (migration 011)
        assert con.execute("select structure from activity_files").fetchall() == [(None,)]
        assert con.execute("select version from athlete_versions").fetchall() != marker
    assert run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(f)).exit_code == 0
    assert _structure(db_path) == [("run", "steady")]  # importing again brings today's rule


def _export(tmp_path: Path) -> Path:
    """An old Strava export (elapsed time only): a paused run and a ride with GPS files in Cairo, and a
    run without a file at 22:30 UTC on 12 January: 00:30 on the 13th in Cairo (UTC+2)."""
    export = tmp_path / "export_7"
    (export / "activities").mkdir(parents=True)
    (export / "activities.csv").write_text(
        "id,date,name,type,description,elapsed_time,distance,commute,gear,filename\n"
        "1001,2024-01-10 04:00:00,Morning Run,Run,,2999,7200.0,false,,activities/1001.gpx\n"
        "1002,2024-01-11 05:00:00,Morning Ride,Ride,,2639,15000.0,false,,activities/1002.gpx\n"
        "1003,2024-01-12 22:30:00,Night Run,Run,,1800,5000.0,false,,\n"
    )
    gpx_track(export / "activities" / "1001.gpx", START, PAUSED, point=CAIRO)
    ride = [2 * v for v in interval_session()]
    gpx_track(export / "activities" / "1002.gpx", START + timedelta(days=1, hours=1), ride, sport="cycling")
    return export


def _athlete(run_cli) -> tuple[str, str]:
    [a] = json.loads(run_cli("athletes", "--json").output)
    return a["timezone"], a["timezone_source"]


def test_gps_zone_replaces_the_machines_for_rows_without_a_file(
    run_cli, db_path, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    log = tmp_path / "log.csv"
    log.write_text("date,type,duration\n2024-01-01T06:30:00,Run,1800\n")
    assert run_cli("import", "--athlete", "Ahmed", str(log)).exit_code == 0
    assert _athlete(run_cli) == ("UTC", "machine")
    export = _export(tmp_path)
    result = run_cli("import", "--athlete", "Ahmed", str(export))
    assert result.exit_code == 0, result.output
    assert (
        "  time zone: Africa/Cairo, from the GPS of most recent activities, stored on Ahmed for "
        'activities without GPS (if that is wrong: crosstrain athletes set "Ahmed" --timezone ZONE'
    ) in result.stdout
    assert _athlete(run_cli) == ("Africa/Cairo", "gps")
    got = rows(db_path, "select source_id, start_local, moving_s from activities order by start_at")
    assert got == [
        (got[0][0], datetime(2024, 1, 1, 6, 30), 1800.0),  # placed before: stays
        ("1001", datetime(2024, 1, 10, 6, 0), 2398.0),  # moving time from the file (CSV has none)
        # 2,639 s less its 40-s stop at a light, whose first and last 2 s average above 0.8 m/s
        # with the moving steps around them (speeds smoothed over 5 steps)
        ("1002", datetime(2024, 1, 11, 7, 0), 2603.0),
        ("1003", datetime(2024, 1, 13, 0, 30), None),  # no file: the athlete's zone, now Cairo's
    ]
    assert _structure(db_path) == [("run", "steady"), ("cross", None)]
    again = run_cli("import", "--athlete", "Ahmed", str(export))
    assert "3 rows: 0 imported, 0 updated, 3 duplicates" in again.stdout


def test_rows_without_a_file_take_the_zone_of_gps_activities_near_them(
    run_cli, db_path, tmp_path, monkeypatch
) -> None:
    # Ahmed's shape: Cairo in January 2024, Vienna a year later (the athlete's zone); a session typed
    # in by hand between two Cairo runs keeps Cairo's clock, one far from any file takes Vienna's
    monkeypatch.setenv("TZ", "UTC")
    export = tmp_path / "export_8"
    (export / "activities").mkdir(parents=True)
    files = {1: START, 2: START + timedelta(days=4), 5: START + timedelta(days=366)}
    files |= {6: START + timedelta(days=367), 7: START + timedelta(days=368)}
    lines = [
        f"{i},{t:%Y-%m-%d %H:%M:%S},Run {i},Run,,1500,4500.0,false,,activities/{i}.gpx"
        for i, t in files.items()
    ]
    lines += [
        "3,2024-01-12 22:30:00,Gym,Workout,,1800,,false,,",
        "4,2024-11-15 22:30:00,Gym,Workout,,1800,,false,,",
    ]
    (export / "activities.csv").write_text(
        "id,date,name,type,description,elapsed_time,distance,commute,gear,filename\n"
        + "\n".join(lines)
        + "\n"
    )
    for i, t in files.items():
        gpx_track(export / "activities" / f"{i}.gpx", t, [3.0] * 1500, point=CAIRO if i < 5 else VIENNA)
    result = run_cli("import", "--athlete", "Ahmed", str(export))
    assert result.exit_code == 0, result.output
    assert _athlete(run_cli) == ("Europe/Vienna", "gps")
    assert (
        "; 1 activity without a GPS file took the zone of the export's GPS activity nearest in time"
        " (within 7 days)"
    ) in result.stdout
    got = rows(db_path, "select source_id, start_local from activities where name = 'Gym' order by 1")
    assert got == [
        ("3", datetime(2024, 1, 13, 0, 30)),  # 2 days after a Cairo run: Cairo's 00:30 on the 13th
        ("4", datetime(2024, 11, 15, 23, 30)),  # no file within 7 days: Vienna's clock (CET)
    ]


def test_a_zone_the_user_gave_is_kept(run_cli, db_path, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    export = _export(tmp_path)
    result = run_cli("import", "--athlete", "Ahmed", "--timezone", "Europe/Berlin", str(export))
    assert result.exit_code == 0, result.output
    assert _athlete(run_cli) == ("Europe/Berlin", "option")
    assert one(db_path, "select start_local from activities where source_id = '1003'") == datetime(
        2024, 1, 12, 23, 30
    )
    assert run_cli("athletes", "set", "Ahmed", "--timezone", "Asia/Tokyo").exit_code == 0
    assert run_cli("import", "--athlete", "Ahmed", str(export)).exit_code == 0
    assert _athlete(run_cli) == ("Asia/Tokyo", "set")
    assert one(db_path, "select start_local from activities where source_id = '1003'") == datetime(
        2024, 1, 13, 7, 30
    )


def test_files_without_gps_take_the_zone_of_the_others(run_cli, db_path, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    gpx_track(tmp_path / "out.gpx", START, [3.0] * 900, point=CAIRO)
    fit_activity(tmp_path / "treadmill.fit", datetime(2024, 1, 12, 22, 30, tzinfo=UTC), 900, point=None)
    result = run_cli("import", "--athlete", "Ahmed", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "  time zone: Africa/Cairo, from the GPS of most recent activities" in result.stdout
    assert _athlete(run_cli) == ("Africa/Cairo", "gps")
    assert rows(db_path, "select start_local, start_timezone from activities order by start_at") == [
        (datetime(2024, 1, 10, 6, 0), "Africa/Cairo"),
        (datetime(2024, 1, 13, 0, 30), None),
    ]


@pytest.mark.parametrize(
    ("starts", "zone"),
    [
        ([], None),
        # moved from Cairo to Vienna: the last year's GPS activities are mostly Vienna's
        (
            [(datetime(2016, 1, d), "Africa/Cairo") for d in range(1, 29)]
            + [(datetime(2017, 6, d), "Africa/Cairo") for d in range(1, 4)]
            + [(datetime(2018, 3, d), "Europe/Vienna") for d in range(1, 5)],
            "Europe/Vienna",
        ),
        # a tie goes to the zone of the latest activity
        ([(datetime(2024, 1, 1), "Asia/Riyadh"), (datetime(2024, 1, 2), "Africa/Cairo")], "Africa/Cairo"),
    ],
)
def test_the_zone_of_most_recent_gps_activities(starts, zone) -> None:
    assert gps_zone(starts) == zone


def _hill_repeats(i: int) -> float:
    """10 min flat, 4 x (2 min up 25 m, 2 min down), flat again: a barometer's smooth altitude."""
    k = i - 600
    if 0 <= k < 960:
        c = k % 240
        return 100 + (25 * c / 120 if c < 120 else 25 * (240 - c) / 120)
    return 100.0


def _phone_altitude(i: int) -> float:
    """Flat ground as phone GPS reports it: an error that jumps by up to 20 m every 15 s."""
    return 100.0 + 20 * math.sin(i // 15 * 2.4)


def _strides(i: int) -> float:
    """20 min easy at 2.8 m/s, then 6 x (20 s at 4.6, 60 s easy), then easy."""
    k = i - 1200
    return 4.6 if 0 <= k < 480 and k % 80 < 20 else 2.8


@pytest.mark.parametrize(
    ("options", "structure"),
    [
        ({"altitude": _hill_repeats}, "hills"),
        ({"altitude": _phone_altitude}, "steady"),  # the jumps are not climbs
        ({"speed": _strides}, "strides"),
    ],
)
def test_hills_and_strides_from_a_watch(run_cli, db_path, tmp_path, options, structure) -> None:
    options = {"speed": lambda i: 2.8, **options}
    f = fit_activity(tmp_path / "run.fit", START, 2160, **options)
    assert run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(f)).exit_code == 0
    assert _structure(db_path) == [("run", structure)]
