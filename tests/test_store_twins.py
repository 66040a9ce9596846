"""No lost sessions, no double counts: in-file duplicates, double recordings, and the report."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import FIXTURES, ours_and_real
from import_helpers import rows
from strava_csv import write_strava_csv

WATCH = {
    "id": 501,
    "date": "Mar 4, 2024, 6:30:00 AM",
    "name": "Afternoon Run",
    "type": "Run",
    "seconds": 2700,
    "km": 8.0,
    "hr": 150,
}
PHONE = {
    "id": 502,
    "date": "Mar 4, 2024, 6:30:41 AM",
    "name": "Nike Run Club: Recovery Run",
    "type": "Run",
    "seconds": 2640,
    "km": 7.8,
}
SINGLE = {
    "id": 503,
    "date": "Mar 5, 2024, 6:30:00 AM",
    "name": "Easy",
    "type": "Run",
    "seconds": 1800,
    "km": 5.0,
    "hr": 140,
}


def garmin_csv(values: dict[str, str]) -> str:
    """A Garmin Connect Activities.csv of one row: our fixture's header, `--` where `values` says nothing."""
    head = (FIXTURES / "garmin_activities.csv").read_text(encoding="utf-8").splitlines()[0]
    names = [n.strip('"') for n in head.split('","')]
    return head + "\n" + ",".join(f'"{values.get(n, "--")}"' for n in names) + "\n"


def report(run_cli, as_of: str = "2024-03-06") -> dict:
    result = run_cli("report", "--athlete", "Ana", "--as-of", as_of, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def week_load(rep: dict, week: str) -> float:
    return next(w["load"] for w in rep["weeks"] if w["week"] == week)


def counted(db_path: Path) -> list[tuple]:
    return rows(db_path, "select source, source_id from activities where twin_of is null order by all")


def test_two_date_only_sessions_with_different_rpe_are_both_kept(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "date,type,duration,rpe\n"
        "2024-03-04,Run,45:00,3\n"
        "2024-03-04,Run,45:00,8\n"
        "2024-03-04,Run,45:00,3\n"  # equal in every field: the same row twice
    )
    first = run_cli("import", "--athlete", "Ana", str(log))
    assert "3 rows: 2 imported, 0 updated, 1 duplicates, 0 rejected" in first.stdout
    assert "double" not in first.stdout  # two rows of one log on one day are two sessions
    assert rows(db_path, "select rpe, twin_of from activities order by rpe") == [(3.0, None), (8.0, None)]
    rep = report(run_cli, "2024-03-04")
    assert rep["summary"]["sessions"]["run"] == 2 and rep["summary"]["minutes"]["run"] == 90.0
    assert week_load(rep, "2024-03-04") == 45 * 3 + 45 * 8  # sRPE x minutes, both sessions
    again = run_cli("import", "--athlete", "Ana", str(log))
    assert "3 rows: 0 imported, 0 updated, 3 duplicates" in again.stdout


def test_phone_and_watch_on_one_strava_account_count_once(run_cli, db_path: Path, tmp_path: Path) -> None:
    export = write_strava_csv(tmp_path / "activities.csv", [WATCH, PHONE, SINGLE])
    result = run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(export))
    assert "3 rows: 3 imported, 0 updated, 0 duplicates, 0 rejected; 1 double recording, counted once" in (
        result.stdout
    )
    # both stored; the watch's (it has heart rate) counts, the phone's points at it
    links = dict(rows(db_path, "select strava_id, twin_of from activities"))
    watch_id = rows(db_path, "select activity_id from activities where strava_id = 501")[0][0]
    assert links == {501: None, 502: watch_id, 503: None}
    s = report(run_cli)["summary"]
    assert s["sessions"]["run"] == 2  # not 3
    assert s["minutes"]["run"] == 45.0 + 30.0
    assert s["run_km"] == 13.0


def test_three_recordings_of_one_run_count_once_and_point_at_one(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    """A watch, a phone and a third app on one run: two second recordings (not three pairs), each
    pointing at the watch's row (not at each other), and the week counts one run."""
    third = {**PHONE, "id": 504, "date": "Mar 4, 2024, 6:31:02 AM", "name": "Runkeeper run", "seconds": 2610}
    export = write_strava_csv(tmp_path / "activities.csv", [WATCH, PHONE, third, SINGLE])
    result = run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(export))
    assert "4 rows: 4 imported, 0 updated, 0 duplicates, 0 rejected; 2 double recordings, counted once" in (
        result.stdout
    )
    links = dict(rows(db_path, "select strava_id, twin_of from activities"))
    watch_id = rows(db_path, "select activity_id from activities where strava_id = 501")[0][0]
    assert links == {501: None, 502: watch_id, 504: watch_id, 503: None}
    s = report(run_cli)["summary"]
    assert s["sessions"]["run"] == 2 and s["minutes"]["run"] == 45.0 + 30.0


def test_a_second_source_with_rpe_takes_over_and_reimports_keep_the_links(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    export = write_strava_csv(tmp_path / "activities.csv", [WATCH, PHONE, SINGLE])
    run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(export))
    log = tmp_path / "log.csv"
    # the 5 March run logged by hand 20 s later with an RPE (richer: session RPE is the load's first
    # choice), and a date-only ride that no other source has
    log.write_text("date,type,duration,rpe\n2024-03-05T06:30:20,Run,30:00,6\n2024-03-05,Ride,60:00,4\n")
    result = run_cli("import", "--athlete", "Ana", str(log))
    assert (
        "2 imported, 0 updated, 0 duplicates, 0 rejected; 1 double recording, counted once" in result.stdout
    )
    assert set(counted(db_path)) == {
        ("generic", _id(db_path, 6.0)),
        ("generic", _id(db_path, 4.0)),
        ("strava", "501"),
    }
    rep = report(run_cli)
    assert rep["summary"]["sessions"]["run"] == 2 and rep["summary"]["minutes"]["run"] == 75.0
    # week of 4 March: the watch run by heart rate, the 5 March run by sRPE 6 x 30, the ride 4 x 60
    links_before = rows(db_path, "select activity_id, twin_of from activities order by 1")
    for path in (export, log, export):
        again = run_cli("import", "--athlete", "Ana", str(path))
        assert "0 imported, 0 updated" in again.stdout and "double" not in again.stdout
    assert rows(db_path, "select activity_id, twin_of from activities order by 1") == links_before
    assert report(run_cli) == rep


def _id(db_path: Path, rpe: float) -> str:
    return rows(db_path, "select source_id from activities where rpe = ?", [rpe])[0][0]


def test_which_recording_counts_does_not_depend_on_import_order(run_cli, tmp_path: Path) -> None:
    export = write_strava_csv(tmp_path / "activities.csv", [WATCH, PHONE, SINGLE])
    garmin = tmp_path / "garmin.csv"
    # the watch's run, via Garmin Connect
    garmin.write_text(
        garmin_csv(
            {
                "Activity Type": "Running",
                "Date": "2024-03-04 06:30:05",
                "Title": "Run",
                "Distance": "8.01",
                "Time": "00:45:10",
                "Avg HR": "151",
            }
        )
    )
    results = []
    for order in ((export, garmin), (garmin, export)):
        db = tmp_path / f"{order[0].stem}.duckdb"
        for path in order:
            assert (
                run_cli(
                    "--db", str(db), "import", "--athlete", "Ana", "--timezone", "UTC", str(path)
                ).exit_code
                == 0
            )
        results.append(counted(db))
    # the Garmin copy is 10 s longer: it counts, whichever came first; the Strava watch and phone rows don't
    assert results[0] == results[1]
    assert [source for source, _ in results[0]] == ["garmin", "strava"]


def test_date_only_row_and_timed_row_from_two_sources_count_once(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    export = write_strava_csv(tmp_path / "activities.csv", [SINGLE])
    run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(export))
    log = tmp_path / "log.csv"
    log.write_text("date,type,duration\n2024-03-05,Run,30:30\n2024-03-05,Run,50:00\n")
    result = run_cli("import", "--athlete", "Ana", str(log))
    assert "2 imported" in result.stdout and "1 double recording" in result.stdout
    # the 30:30 row is within 5% of Strava's 30:00 on the same day; the 50:00 one is another session
    assert report(run_cli)["summary"]["sessions"]["run"] == 2


@pytest.mark.parametrize(
    ("path", "expected"),
    ours_and_real(
        "strava_2025_en_AU_dates.csv",
        # ours: 45 s, 35 s and 2 min 50 s apart; the watch's run is longer in the first two, the app's in
        # the third
        ours=(10, [(12800000104, 12800000103), (12800000105, 12800000106), (12800000108, 12800000107)]),
        real=(32, [(11498781598, 11498777386), (11537951108, 11537956241), (11560190199, 11559938586)]),
    ),
)
def test_real_strava_export_with_nike_run_club_and_watch_recordings(
    run_cli, db_path: Path, path: Path, expected: tuple
) -> None:
    """A real en-AU Strava export (and our mirror of it): three runs recorded by Nike Run Club and a
    watch (50 s, 31 s and 2 min 45 s apart, overlapping 96-99%); the longer recording of each counts."""
    count, twins = expected
    result = run_cli("import", "--athlete", "Real", "--timezone", "Australia/Sydney", str(path))
    assert (
        f"{count} rows: {count} imported, 0 updated, 0 duplicates, 0 rejected; 3 double recordings"
        in result.stdout
    )
    pairs = rows(
        db_path,
        """select a.strava_id, t.strava_id from activities a join activities t on t.activity_id = a.twin_of
           order by a.strava_id""",
    )
    assert pairs == twins


def test_strava_rows_in_different_zones_match_on_utc_only(run_cli, db_path: Path, tmp_path: Path) -> None:
    """A morning ride with a Cairo GPX (06:51-08:51 UTC, 08:51-10:51 Cairo time) and a file-less ride
    logged at 09:07 UTC, placed in the machine zone UTC: on the wall clock they overlap, in time they do
    not (as in a real export, issue 12), so both count."""
    from activity_files import gpx

    export = tmp_path / "export"
    (export / "activities").mkdir(parents=True)
    gpx(
        export / "activities/77.gpx",
        datetime(2018, 1, 15, 6, 51, tzinfo=UTC),
        7200,
        point=(29.96, 31.45),
        sport="cycling",
        hr=lambda i: None,
    )
    (export / "activities.csv").write_text(
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename\n"
        '701,"Jan 15, 2018, 6:51:00 AM",Morning Ride,Ride,7200,40.0,activities/77.gpx\n'
        '702,"Jan 15, 2018, 9:07:00 AM",Afternoon Ride,Ride,2880,13.0,\n',
        encoding="utf-8",
    )
    result = run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(export))
    assert result.exit_code == 0, result.output
    assert "double" not in result.stdout
    assert rows(db_path, "select strava_id, start_timezone, twin_of from activities order by 1") == [
        (701, "Africa/Cairo", None),
        (702, None, None),
    ]
