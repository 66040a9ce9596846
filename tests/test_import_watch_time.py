"""A FIT file's own local time (issue 19 item 4) and the watch's RPE in `activities list` (item 6).

Garmin watches write `activity.local_timestamp`, the clock the athlete saw; without GPS it is the only
sign of where a session happened. Real files behind this: treadmill runs in Asia that landed 6-7 hours
off, and ../shared/formats/files/garmin_fr965_multisport_bike+strength_20744294788.fit (indoor cycling
and strength, no GPS, local_timestamp 3 hours ahead of UTC); the Forerunner 70 file there writes one
6.7 days off, which must be ignored.
"""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from activity_files import fit_activity
from conftest import FIXTURES, ours_and_real
from import_helpers import one, rows

BANGKOK_RUN = datetime(2024, 3, 5, 23, 30, tzinfo=UTC)  # 06:30 on 6 March in Bangkok (UTC+7)


def test_a_treadmill_run_without_gps_takes_the_watchs_local_time(run_cli, db_path, tmp_path) -> None:
    f = fit_activity(
        tmp_path / "treadmill.fit", BANGKOK_RUN, 1800, point=None, sub_sport="treadmill",
        utc_offset=timedelta(hours=7),
    )  # fmt: skip
    # the athlete lives in Berlin, and says so: the watch's clock still wins for this session
    result = run_cli("import", "--athlete", "Ana", "--timezone", "Europe/Berlin", str(f))
    assert result.exit_code == 0, result.output
    assert rows(db_path, "select start_local, start_timezone from activities") == [
        (datetime(2024, 3, 6, 6, 30), "Etc/GMT-7")
    ]
    assert one(db_path, "select timezone from athletes") == "Europe/Berlin"


def test_a_half_hour_offset_takes_a_zone_that_keeps_it(run_cli, db_path, tmp_path) -> None:
    f = fit_activity(
        tmp_path / "t.fit", BANGKOK_RUN, 600, point=None, utc_offset=timedelta(hours=5, minutes=30)
    )
    run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(f))
    assert rows(db_path, "select start_local, start_timezone from activities") == [
        (datetime(2024, 3, 6, 5, 0), "Asia/Kolkata")
    ]


def test_gps_still_comes_first_and_a_garbage_clock_is_ignored(run_cli, db_path, tmp_path) -> None:
    # GPS in New York (UTC-5 in March) beats a watch clock left on UTC+7
    gps = fit_activity(
        tmp_path / "gps.fit", BANGKOK_RUN, 600, utc_offset=timedelta(hours=7), point=(40.7, -74.0)
    )
    # a clock 6.7 days off (the Forerunner 70's) is no UTC offset: the athlete's zone places the run
    odd = fit_activity(
        tmp_path / "odd.fit",
        BANGKOK_RUN + timedelta(days=1),
        600,
        point=None,
        utc_offset=timedelta(seconds=-576963),
    )
    run_cli("import", "--athlete", "Ana", "--timezone", "Europe/Berlin", str(gps), str(odd))
    assert rows(db_path, "select start_local, start_timezone from activities order by start_at") == [
        (datetime(2024, 3, 5, 18, 30), "America/New_York"),
        (datetime(2024, 3, 7, 0, 30), None),
    ]


def test_activities_list_shows_the_watchs_rpe_that_set_the_load(run_cli, db_path, tmp_path) -> None:
    # a Strava export row without RPE whose FIT file carries the watch's RPE 8: the load is 8 x minutes,
    # and the list said `rpe: null`
    csv_text = (FIXTURES / "strava_en_au.csv").read_text(encoding="utf-8")
    start = datetime(2024, 5, 21, 0, 48, 20, tzinfo=UTC)
    run = fit_activity(tmp_path / "r.fit", start, 1386, point=(40.7, -74.0), gz=True, rpe=8)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("activities.csv", csv_text)
        z.writestr("profile.csv", "Athlete ID,Email Address,First Name,Last Name\n1,a@b.c,Zoe,Zhang\n")
        z.writestr("activities/20000000001.fit.gz", run.read_bytes())
    run_cli("import", "--timezone", "Europe/Berlin", str(archive))
    assert one(db_path, "select rpe from activities where source_id = '20000000001'") is None
    listed = {
        a["id"]: a
        for a in json.loads(run_cli("activities", "list", "--athlete", "Zoe Zhang", "--json").stdout)
    }
    run_id = one(db_path, "select activity_id from activities where source_id = '20000000001'")
    assert listed[run_id]["rpe"] == 8.0
    assert listed[run_id]["load_source"] == "rpe"
    assert listed[run_id]["load"] == round(8 * 1374 / 60, 1)
    table = run_cli("activities", "list", "--athlete", "Zoe Zhang").stdout
    assert any(f" {run_id} " in line and " 8 " in line for line in table.splitlines())


def test_a_correction_rpe_is_the_one_shown(run_cli, db_path, tmp_path) -> None:
    f = fit_activity(tmp_path / "run.fit", BANGKOK_RUN, 1800, rpe=5)
    run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(f))
    activity_id = one(db_path, "select activity_id from activities")
    run_cli("activities", "set", str(activity_id), "--rpe", "7")
    [listed] = json.loads(run_cli("activities", "list", "--athlete", "Ana", "--json").stdout)
    assert (listed["rpe"], listed["load"]) == (7.0, 210.0)


@pytest.mark.parametrize(
    ("path", "expected"),
    ours_and_real(
        "files/garmin_fr965_multisport_bike+strength_20744294788.fit",
        # ours (tests/mirror_files.py): the same shape, 04:40 UTC, the watch at UTC+3
        ours=[
            ("Indoor Cycling", datetime(2026, 2, 9, 7, 40), "Etc/GMT-3"),
            ("Strength Training", datetime(2026, 2, 9, 7, 51, 40), "Etc/GMT-3"),
        ],
        real=[
            ("Indoor Cycling", datetime(2025, 10, 20, 13, 9, 48), "Etc/GMT-3"),
            ("Strength Training", datetime(2025, 10, 20, 13, 21, 30), "Etc/GMT-3"),
        ],
    ),
)
def test_a_real_indoor_file_keeps_the_watchs_clock(run_cli, db_path, tmp_path, path, expected) -> None:
    # Forerunner 965, indoor cycling then strength, no GPS; local_timestamp is UTC+3 (the real file of
    # ../shared/formats/files, and our mirror of it). Imported for an athlete in New York, it stayed at
    # New York's 06:09.
    f = tmp_path / path.name
    f.write_bytes(path.read_bytes())
    run_cli("import", "--athlete", "Ana", "--timezone", "America/New_York", str(f))
    assert (
        rows(db_path, "select sport_type, start_local, start_timezone from activities order by start_at")
        == expected
    )
