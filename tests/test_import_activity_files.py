"""Activity files through the real CLI into a real DuckDB file: formats, quirks, bad files, exports."""

from __future__ import annotations

import gzip
import io
import re
import zipfile
import zlib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from activity_files import NEW_YORK, T0, fit_activity, fit_compressed, fit_strength, gpx, strength_set, tcx
from conftest import FIXTURES, MIRRORS, SHARED_FORMATS
from import_helpers import error_lines, one, rows

from ingest.database.db import connect
from queries import engine
from queries.params import resolve

REAL = SHARED_FORMATS / "files"


def test_fit_run_lands_on_its_local_day_in_the_zone_of_its_start_point(run_cli, db_path, tmp_path) -> None:
    f = fit_activity(tmp_path / "run.fit", T0, 1800, hr=lambda i: 150)
    result = run_cli("import", "--athlete", "Ana", "--timezone", "America/New_York", str(f))
    assert result.exit_code == 0, result.output
    assert "1 activity files, 1 sessions: 1 imported" in result.stdout
    start_at, start_local, zone, category, moving = rows(
        db_path, "select start_at, start_local, start_timezone, category, moving_s from activities"
    )[0]
    # 22:30 UTC on Monday is 00:30 on Tuesday in Berlin (CEST, +2), whatever --timezone says
    assert start_at == datetime(2024, 5, 6, 22, 30)
    assert start_local == datetime(2024, 5, 7, 0, 30)
    assert (zone, category, moving) == ("Europe/Berlin", "run", 1800.0)
    assert one(db_path, "select sum(seconds) from activity_hr_seconds where bpm = 150") == 1800.0


def test_without_gps_the_athletes_zone_sets_the_local_day(run_cli, db_path, tmp_path) -> None:
    f = fit_activity(tmp_path / "treadmill.fit", T0, 600, point=None)
    assert run_cli("import", "--athlete", "Ana", "--timezone", "America/New_York", str(f)).exit_code == 0
    assert rows(db_path, "select start_local, start_timezone from activities") == [
        (datetime(2024, 5, 6, 18, 30), None)
    ]


def test_reimport_adds_nothing(run_cli, db_path, tmp_path) -> None:
    fit_activity(tmp_path / "a.fit.gz", T0, 600, gz=True)
    gpx(tmp_path / "b.gpx", T0 + timedelta(days=1), 600)
    assert run_cli("import", "--athlete", "Ana", str(tmp_path)).exit_code == 0
    again = run_cli("import", "--athlete", "Ana", str(tmp_path))
    assert "0 imported, 0 updated, 2 duplicates" in again.stdout
    assert one(db_path, "select count(*) from activities") == 2
    assert one(db_path, "select count(*) from activity_files") == 2


def test_one_session_as_fit_gpx_and_tcx_is_stored_once_with_the_richest_samples(
    run_cli, db_path, tmp_path
) -> None:
    fit_activity(tmp_path / "run.fit", T0, 1200, hr=lambda i: 150)
    gpx(tmp_path / "run.gpx", T0 + timedelta(seconds=1), 1199, hr=lambda i: 150 if i < 600 else None)
    tcx(tmp_path / "run.tcx", T0, 1200, hr=lambda i: None)
    result = run_cli("import", "--athlete", "Ana", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert one(db_path, "select count(*) from activities where twin_of is null") == 1
    assert rows(db_path, "select format, hr_s from activity_files") == [("fit", 1200.0)]


def test_one_file_twice_in_a_folder_is_one_activity_the_second_copy_an_update(
    run_cli, db_path, tmp_path
) -> None:
    # Two names for the same bytes: one key. Written in one go they would be two activities (`key`,
    # `key#2`); the batch falls back to waves, so the second copy updates the first (its file name).
    f = fit_activity(tmp_path / "a.fit", T0, 1800)
    (tmp_path / "b.fit").write_bytes(f.read_bytes())
    fit_activity(tmp_path / "c.fit", T0 + timedelta(days=1), 1200)
    result = run_cli("import", "--athlete", "Ana", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "3 sessions: 2 imported, 1 updated, 0 duplicates" in result.stdout
    assert rows(db_path, "select name from activities order by start_at") == [("b.fit",), ("c.fit",)]


def test_a_folders_new_sessions_are_numbered_by_start_and_a_tie_goes_to_the_first_file(
    run_cli, db_path, tmp_path
) -> None:
    # Two recordings alike in every ranked respect (twins.py: RPE, HR, time of day, minutes): the lower
    # id counts, i.e. the file first in the folder's order, as when each overlap was written apart.
    a = gpx(tmp_path / "a.gpx", T0, 600)
    b = gpx(tmp_path / "b.gpx", T0, 600, leading_whitespace=True)  # other bytes, the same track
    for n in range(2, 10):  # earlier sessions of three sports, their names in the opposite order
        gpx(
            tmp_path / f"c{n}.gpx", T0 - timedelta(days=n), 900, sport=("running", "cycling", "hiking")[n % 3]
        )
    result = run_cli("import", "--athlete", "Ana", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "1 double recording, counted once" in result.stdout
    found = rows(
        db_path, "select activity_id, start_at, source_id, twin_of from activities order by activity_id"
    )
    assert [r[1] for r in found] == sorted(r[1] for r in found)  # ids in the order of the starts
    key = {r[2]: r for r in found}  # source_id: the file's content (decode.py's digest) and session

    def of(path: Path) -> tuple:
        data = path.read_bytes()
        return key[f"{zlib.crc32(data):08x}{len(data):x}:0"]

    assert of(a)[3] is None and of(b)[3] == of(a)[0]


def test_quirks_of_real_devices(run_cli, db_path, tmp_path) -> None:
    day = timedelta(days=1)
    # a clock that jumps 20 days mid-activity: the run lasts 40 minutes, not 20 days
    fit_activity(tmp_path / "jump.fit", T0, 2400, clock_jump_at=1200, session=False)
    # compressed timestamps (fitdecode reads what the SDK refuses)
    fit_compressed(tmp_path / "fr70.fit", T0 + day, 900, hr=140)
    # HR and GPS written as separate records with one timestamp
    fit_activity(tmp_path / "apart.fit", T0 + 2 * day, 600, hr=lambda i: 130, hr_apart=True)
    # whitespace before the XML declaration; a TCX with a wrong UTC offset and no lap totals
    gpx(tmp_path / "space.gpx", T0 + 3 * day, 600, leading_whitespace=True)
    tcx(
        tmp_path / "offset.tcx",
        T0 + 4 * day,
        600,
        offset=timedelta(hours=-7),
        laps=False,
        leading_whitespace=True,
    )
    # HR spikes: single samples at 250 (implausible), 60 and 229 (isolated) in a run at 140
    fit_activity(
        tmp_path / "spikes.fit", T0 + 5 * day, 600, hr=lambda i: {100: 250, 200: 60, 300: 229}.get(i, 140)
    )
    result = run_cli("import", "--athlete", "Ana", str(tmp_path))
    assert result.exit_code == 0, result.output
    got = {
        r[0]: r[1:]
        for r in rows(
            db_path,
            """select f.file, a.start_at, a.elapsed_s, a.max_hr, f.hr_s, f.hr_spikes, f.clock_jumps,
                      a.start_timezone from activities a join activity_files f using (activity_id)""",
        )
    }
    by = {Path(k).name: v for k, v in got.items()}
    assert by["jump.fit"][1] == pytest.approx(2399, abs=1) and by["jump.fit"][5] == 1
    assert by["jump.fit"][3] == pytest.approx(2400, abs=1)
    assert by["fr70.fit"][0] == datetime(2024, 5, 7, 22, 30) and by["fr70.fit"][3] == pytest.approx(900)
    assert by["apart.fit"][3] == pytest.approx(600)
    assert by["space.gpx"][3] == pytest.approx(600)
    # the TCX wrote 15:30-07:00: the same instant as 22:30Z; the zone comes from GPS, not the offset
    assert by["offset.tcx"][0] == datetime(2024, 5, 10, 22, 30) and by["offset.tcx"][6] == "Europe/Berlin"
    assert by["offset.tcx"][1] == pytest.approx(599, abs=1)
    assert by["spikes.fit"][2] == 140 and by["spikes.fit"][4] == 3


def test_bad_files_are_one_line_each_and_the_rest_is_imported(run_cli, db_path, tmp_path) -> None:
    good = fit_activity(tmp_path / "good.fit", T0, 600)
    data = good.read_bytes()
    (tmp_path / "truncated.fit").write_bytes(data[: len(data) // 2])
    (tmp_path / "corrupt.fit").write_bytes(data[:200] + b"\x00" * 50 + data[250:])
    gpx(tmp_path / "empty.gpx", T0, 600, points=False)
    (tmp_path / "broken.tcx.gz").write_bytes(gzip.compress(b"<TrainingCenterDatabase><Activities>"))
    result = run_cli("import", "--athlete", "Ana", str(tmp_path))
    assert result.exit_code == 1
    lines = error_lines(result.stderr)
    assert len(lines) == 3, lines
    for name in ("corrupt.fit", "empty.gpx", "broken.tcx.gz"):
        [line] = [x for x in lines if f"{tmp_path / name}:" in x]
        assert line.endswith("; file skipped")
    assert "empty.gpx: no track points" in " ".join(lines)
    # the truncated copy keeps its complete records and says so: its first 5 minutes, whose sport (in
    # the session message at the end) was cut off: a Workout of category other, which the line says
    # how to correct (a category of its own: not linked to good.fit as its double recording)
    assert re.search(
        rf"{re.escape(str(tmp_path / 'truncated.fit'))}: truncated at byte [\d,]+: imported the first \d+"
        r" records; its sport was after the cut, so it is stored as a Workout of category other",
        result.stdout,
    )
    assert "activities set ID --category run` corrects it" in result.stdout
    assert rows(db_path, "select category from activities order by category") == [("other",), ("run",)]
    assert one(db_path, "select count(*) from activities where twin_of is null") == 2
    assert "Traceback" not in result.output


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_strava_export_rows_take_their_files_zone_and_samples(run_cli, db_path, tmp_path) -> None:
    csv_text = (FIXTURES / "strava_en_au.csv").read_text(encoding="utf-8")
    # row 1 (21 May 2024, 00:48:20 UTC, 1386 s) has activities/20000000001.fit.gz: recorded in New York
    start = datetime(2024, 5, 21, 0, 48, 20)
    run = fit_activity(
        tmp_path / "r.fit",
        start.replace(tzinfo=T0.tzinfo),
        1386,
        hr=lambda i: 155,
        point=NEW_YORK,
        gz=True,
        rpe=8,
    )
    archive = _zip(
        tmp_path / "export.zip",
        {
            "activities.csv": csv_text.encode(),
            "profile.csv": b"Athlete ID,Email Address,First Name,Last Name\n1,a@b.c,Zoe,Zhang\n",
            "activities/20000000001.fit.gz": run.read_bytes(),
            "activities/20000000002.fit.gz": b"\x1f\x8b not really",
            "../escape.gpx": b"<gpx/>",
        },
    )
    result = run_cli("import", "--timezone", "Europe/Berlin", str(archive))
    assert f"{archive}:activities.csv (strava, Zoe Zhang): 3 rows: 3 imported" in result.stdout
    lines = error_lines(result.stderr)
    assert any(
        "20000000002.fit.gz: cannot read the file" in x or "20000000002.fit.gz: not a FIT" in x for x in lines
    ), lines
    assert any("../escape.gpx: path outside the archive's folder" in x for x in lines), lines
    assert result.exit_code == 1
    local, zone, hr_s = rows(
        db_path,
        """select a.start_local, a.start_timezone, f.hr_s from activities a
           join activity_files f using (activity_id) where a.source_id = '20000000001'""",
    )[0]
    # 00:48:20 UTC is 20:48:20 the day before in New York (EDT, -4): the run's local day
    assert (local, zone, hr_s) == (datetime(2024, 5, 20, 20, 48, 20), "America/New_York", 1386.0)
    # the row without a file keeps the athlete's zone: 06:10:14 UTC is 08:10:14 in Berlin (CEST)
    assert one(db_path, "select start_local from activities where source_id = '20000000003'") == datetime(
        2024, 5, 23, 8, 10, 14
    )
    # the watch's RPE 8 gives the CSV row its load: 8 x 1374 s of moving time (Foster 2001)
    with connect(db_path, read_only=True) as con:
        params = resolve({})
        engine.prepare_scope(con, None, params)
        engine.prepare_sessions(con, params, engine.EPOCH, date(2024, 6, 1))
        load = con.execute(
            """select l.load, l.load_source from q_session_load l join activities a using (activity_id)
               where a.source_id = '20000000001'"""
        ).fetchone()
    assert load == (pytest.approx(8 * 1374 / 60), "rpe")
    again = run_cli("import", "--timezone", "Europe/Berlin", str(archive))
    assert "3 rows: 0 imported, 0 updated, 3 duplicates" in again.stdout


def test_an_unzipped_strava_export_folder_is_read_like_the_zip(run_cli, db_path, tmp_path) -> None:
    export = tmp_path / "export_1"
    (export / "activities").mkdir(parents=True)
    (export / "activities.csv").write_text((FIXTURES / "strava_en_au.csv").read_text(encoding="utf-8"))
    (export / "profile.csv").write_text("Athlete ID,Email Address,First Name,Last Name\n1,a@b.c,Zoe,Zhang\n")
    start = datetime(2024, 5, 21, 0, 48, 20, tzinfo=T0.tzinfo)
    fit_activity(export / "activities" / "20000000001.fit.gz", start, 1386, point=NEW_YORK, gz=True)
    result = run_cli("import", str(export))
    assert result.exit_code == 0, result.output
    assert f"{export}/activities.csv (strava, Zoe Zhang): 3 rows: 3 imported" in result.stdout
    assert f"{export}: 1 activity files: samples of 1 activities, 0 rejected" in result.stdout
    assert one(db_path, "select start_timezone from activities where source_id = '20000000001'") == (
        "America/New_York"
    )


def test_garmin_connect_export_reads_nested_zips_and_skips_non_activities(run_cli, db_path, tmp_path) -> None:
    run = fit_activity(tmp_path / "run.fit", T0, 600).read_bytes()
    lift = fit_strength(
        tmp_path / "lift.fit",
        T0 + timedelta(days=1),
        1200,
        rpe=7,
        sets=[strength_set("squat", 2, 8, 60.0, T0 + timedelta(days=1, minutes=i)) for i in range(3)],
    ).read_bytes()
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("a@b.c_1.fit", run)
        z.writestr("a@b.c_2.fit", lift)
    from garmin_fit_sdk import Encoder, Profile

    e = Encoder()
    e.write_mesg(
        {"mesg_num": Profile["mesg_num"]["FILE_ID"], "type": "monitoring_b", "manufacturer": "garmin"}
    )
    monitoring = e.close()
    archive = _zip(
        tmp_path / "garmin.zip",
        {
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": inner.getvalue(),
            "DI_CONNECT/DI-Connect-Uploaded-Files/monitor.fit": monitoring,
            "DI_CONNECT/DI-Connect-Fitness/summarizedActivities.json": b"[]",
        },
    )
    result = run_cli("import", "--athlete", "Ana", str(archive))
    assert result.exit_code == 0, result.output
    assert "2 activity files, 2 sessions: 2 imported" in result.stdout
    assert "1 not activities (skipped)" in result.stdout
    assert rows(db_path, "select category, rpe from activities order by start_at") == [
        ("run", None),
        ("strength", 7.0),
    ]
    assert one(db_path, "select rpe from activity_files where format = 'fit' and rpe is not null") == 7.0
    assert rows(db_path, "select category, name, reps, weight_kg from activity_sets")[0] == (
        "squat",
        "back_squats",
        8,
        60.0,
    )


REAL_NAMES = (
    "garmin_vivoactivehr_2067489619.fit",
    "garmin_connect_2067489619.gpx",
    "garmin_fr965_multisport_bike+strength_20744294788.fit",
    "garmin_fr70_compressed-timestamps_noGPS.fit",
    "suunto_spartan_ultra_run.tcx",
)
OURS_EXPECTED = (
    [
        (
            "Run",
            datetime(2014, 6, 3, 19, 20, 15),
            None,
            "intervals",
            None,
        ),  # Forerunner 70, no GPS: --timezone
        # FIT + GPX once; a walk (1.45 m/s) with three jogs: mixed, not intervals
        ("Run", datetime(2018, 9, 16, 9, 12, 40), "Europe/Vienna", "mixed", None),
        ("Run", datetime(2019, 4, 16, 19, 5, 10), "Europe/Brussels", "steady", None),  # Suunto TCX
        # no GPS: the watch's own clock (activity.local_timestamp, UTC+3) places them, not --timezone
        # (Helsinki is UTC+2 that day); structure: runs only
        ("Indoor Cycling", datetime(2026, 2, 9, 7, 40), "Etc/GMT-3", None, None),
        ("Strength Training", datetime(2026, 2, 9, 7, 51, 40), "Etc/GMT-3", None, 4.0),
    ],
    9,  # set messages whose first guess is squat, deadlift, lunge or hip_raise (tests/mirror_files.py)
)
REAL_EXPECTED = (
    [
        ("Run", datetime(2013, 5, 27, 9, 52, 34), None, "intervals", None),  # FR70, no GPS: --timezone
        ("Run", datetime(2017, 5, 9, 20, 11, 26), "Europe/Amsterdam", "steady", None),
        # FIT + GPX once; a walk (median 5.5 km/h) with three jogs: mixed, not intervals
        ("Run", datetime(2017, 10, 8, 16, 54, 11), "Europe/Paris", "mixed", None),
        # no GPS: the watch's own clock (activity.local_timestamp, UTC+3) places them, not --timezone
        # (Helsinki is UTC+3 that day too); structure: runs only
        ("Indoor Cycling", datetime(2025, 10, 20, 13, 9, 48), "Etc/GMT-3", None, None),
        ("Strength Training", datetime(2025, 10, 20, 13, 21, 30), "Etc/GMT-3", None, 4.0),
    ],
    12,  # counted by hand from the file's set messages (first guess of each active set)
)


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        pytest.param(MIRRORS / "files", OURS_EXPECTED, id="ours"),
        *([pytest.param(REAL, REAL_EXPECTED, id="real")] if REAL.exists() else []),
    ],
)
def test_real_files(run_cli, db_path, tmp_path, folder: Path, expected: tuple) -> None:
    """The real files of ../shared/formats/files (when beside the checkout) and our mirrors of them
    (tests/mirror_files.py): FIT with compressed timestamps, a multisport FIT without GPS, a run as FIT
    and as Garmin Connect's GPX, Suunto's TCX."""
    sessions, hip_sets = expected
    for name in REAL_NAMES:
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    result = run_cli("import", "--athlete", "Ana", "--timezone", "Europe/Helsinki", str(tmp_path))
    assert result.exit_code == 0, result.output
    got = rows(
        db_path,
        """select a.sport_type, a.start_local, a.start_timezone, f.structure, f.rpe
           from activities a left join activity_files f using (activity_id)
           where a.twin_of is null order by a.start_at""",
    )
    # the Garmin Connect GPX of the vivoactive run is stored as the FIT's second recording
    assert rows(db_path, "select source, twin_of is not null from activities where source = 'gpx'") == [
        ("gpx", True)
    ]
    assert got == sessions
    hip = one(
        db_path,
        "select count(*) from activity_sets where category in ('squat', 'deadlift', 'lunge', 'hip_raise')",
    )
    assert hip == hip_sets
