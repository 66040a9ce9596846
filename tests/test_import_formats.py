"""Round trips of each export format through `crosstrain import` into a real DuckDB file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import FIXTURES
from import_helpers import error_lines, one, rows

BERLIN = ["--timezone", "Europe/Berlin"]


def activity(db_path: Path, where: str) -> dict:
    cols = (
        "source, source_id, strava_id, start_at, start_local, has_time, sport_type, category, name, "
        "description, moving_s, elapsed_s, distance_m, elevation_gain_m, avg_hr, max_hr, rpe, relative_effort"
    )
    found = rows(db_path, f"select {cols} from activities where {where}")
    assert len(found) == 1, found
    return dict(zip([c.strip() for c in cols.split(",")], found[0], strict=True))


def test_strava_export_round_trip(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Ana", *BERLIN, str(FIXTURES / "strava_activities.csv"))
    assert result.exit_code == 1  # two rows are rejected (see test_import_rejects)
    assert "8 rows: 6 imported, 0 updated, 0 duplicates, 2 rejected" in result.stdout
    run = activity(db_path, "strava_id = 10000000001")
    assert run["source"] == "strava" and run["source_id"] == "10000000001"
    # the export's date is UTC; the local time follows the athlete's zone
    assert run["start_at"] == dt.datetime(2024, 1, 5, 6, 30)
    assert run["start_local"] == dt.datetime(2024, 1, 5, 7, 30)
    assert run["category"] == "run"
    # the second Distance / Elapsed Time columns (metres, float seconds) win over the first
    assert run["distance_m"] == pytest.approx(10020.5)
    assert (run["elapsed_s"], run["moving_s"]) == (3000, 2950)
    assert (run["avg_hr"], run["max_hr"], run["relative_effort"]) == (pytest.approx(148.2), 171, 55)
    gym = activity(db_path, "strava_id = 10000000002")
    assert gym["category"] == "strength" and gym["rpe"] == 6
    assert gym["name"] == "Glutes, squats & lunges 💪"
    assert gym["description"] == 'Hip thrusts 3x10\nclamshells, "monster walks"\nstep-ups'
    assert gym["start_at"] == dt.datetime(2024, 1, 6, 17, 10)  # 5:10 PM
    swim = activity(db_path, "strava_id = 10000000003")
    assert swim["distance_m"] == pytest.approx(1609.3) and swim["category"] == "cross"
    assert activity(db_path, "strava_id = 10000000004")["category"] == "mobility"
    kite = activity(db_path, "strava_id = 10000000008")
    assert kite["category"] == "other" and kite["distance_m"] is None  # unknown types are kept


@pytest.mark.parametrize(
    ("fixture", "strava_id", "start_at", "distance_m", "elapsed_s"),
    [
        ("strava_en_au.csv", 20000000001, dt.datetime(2024, 5, 21, 0, 48, 20), 3049.35, 1386),
        ("strava_de.csv", 30000000001, dt.datetime(2022, 12, 9, 15, 24, 49), 9600.5, 3009),
        ("strava_2018.csv", 193500002, dt.datetime(2017, 9, 13, 5, 40), 10012.0, 3120),
    ],
)
def test_strava_locales_and_old_header(
    run_cli,
    db_path: Path,
    fixture: str,
    strava_id: int,
    start_at: dt.datetime,
    distance_m: float,
    elapsed_s: float,
) -> None:
    result = run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(FIXTURES / fixture))
    assert result.exit_code == 0, result.output
    run = activity(db_path, f"strava_id = {strava_id}")
    assert run["start_at"] == start_at
    assert run["distance_m"] == pytest.approx(distance_m)
    assert run["elapsed_s"] == elapsed_s
    assert run["category"] == "run"


def test_strava_crlf_file_with_multiline_name(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Ana", str(FIXTURES / "strava_en_au.csv"))
    assert result.exit_code == 0
    assert activity(db_path, "strava_id = 20000000003")["name"] == "Speed work:\nfirst session"


def test_german_export_reads_decimal_commas(run_cli, db_path: Path) -> None:
    assert run_cli("import", "--athlete", "Ana", str(FIXTURES / "strava_de.csv")).exit_code == 0
    run = activity(db_path, "strava_id = 30000000001")
    assert run["avg_hr"] == pytest.approx(151.5) and run["elevation_gain_m"] == pytest.approx(110.1)
    assert activity(db_path, "strava_id = 30000000002")["category"] == "strength"


def test_old_strava_workout_is_strength_by_name(run_cli, db_path: Path) -> None:
    assert run_cli("import", "--athlete", "Ana", str(FIXTURES / "strava_2018.csv")).exit_code == 0
    assert activity(db_path, "strava_id = 193500003")["category"] == "strength"


def test_garmin_export_round_trip(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Ana", *BERLIN, str(FIXTURES / "garmin_activities.csv"))
    assert "8 rows: 6 imported, 0 updated, 0 duplicates, 2 rejected" in result.stdout
    run = activity(db_path, "sport_type = 'Running'")
    assert run["source"] == "garmin" and len(run["source_id"]) == 32  # content hash
    assert run["start_local"] == dt.datetime(2024, 1, 5, 7, 30, 40)  # Garmin's Date is local
    assert run["start_at"] == dt.datetime(2024, 1, 5, 6, 30, 40)
    assert (run["distance_m"], run["moving_s"], run["elapsed_s"]) == (10020, 2950, 3000)
    swim = activity(db_path, "sport_type = 'Pool Swimming'")
    # pool swims are in metres with a thousands comma; a 0 HR and moving time mean "not measured"
    assert swim["distance_m"] == 1500 and swim["avg_hr"] is None
    assert (swim["moving_s"], swim["elapsed_s"]) == (35 * 60 + 12, 41 * 60 + 2)
    gym = activity(db_path, "sport_type = 'Strength Training'")
    assert gym["category"] == "strength" and gym["distance_m"] is None and gym["moving_s"] == 3723
    assert activity(db_path, "sport_type = 'Pilates'")["category"] == "pilates"
    trail = activity(db_path, "sport_type = 'Trail Running'")
    assert trail["name"] == 'Long trail, "hilly"' and trail["elevation_gain_m"] == 1020
    assert trail["moving_s"] == 7500  # H:MM:SS


def test_garmin_decimal_comma_locale(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Ana", *BERLIN, str(FIXTURES / "garmin_decimal_comma.csv"))
    assert result.exit_code == 0, result.output
    assert activity(db_path, "name = 'Z2'")["distance_m"] == pytest.approx(9330)
    assert activity(db_path, "name = '100 wall balls'")["moving_s"] == pytest.approx(222.5)
    assert activity(db_path, "name = 'Bahnen'")["distance_m"] == 1250  # dot thousands, metres


def test_generic_file_with_many_athletes(run_cli, db_path: Path) -> None:
    result = run_cli("import", *BERLIN, str(FIXTURES / "generic_team.csv"))
    assert "10 rows: 6 imported" in result.stdout
    assert rows(db_path, "select name from athletes order by name") == [("Ana Alves",), ("Ben Brown",)]
    easy = activity(db_path, "name = 'Easy run'")
    assert easy["has_time"] is False and easy["start_local"] == dt.datetime(2024, 3, 1)
    assert (easy["moving_s"], easy["distance_m"], easy["rpe"]) == (2700, 8500, 4)
    gym = activity(db_path, "name = 'Glutes, hips & core'")
    assert gym["has_time"] is True and gym["category"] == "strength"
    assert gym["start_at"] == dt.datetime(2024, 3, 1, 17, 30)  # Berlin local -> UTC
    ride = activity(db_path, "name = 'Commute'")  # explicit offset wins over the zone
    assert ride["start_at"] == dt.datetime(2024, 3, 2, 6, 15) and ride["start_local"] == dt.datetime(
        2024, 3, 2, 7, 15
    )
    assert (ride["moving_s"], ride["avg_hr"], ride["max_hr"]) == (5400, 132, 160)
    assert activity(db_path, "name = 'Circuit'")["category"] == "strength"  # a category name as type
    assert activity(db_path, "name = 'Squats and lunges'")["category"] == "strength"  # Workout by name
    assert one(db_path, "select count(*) from athletes where timezone = 'Europe/Berlin'") == 2


def test_generic_rows_without_athlete_take_the_option(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Coach Default", str(FIXTURES / "generic_team.csv"))
    assert "7 imported" in result.stdout
    sql = "select count(*) from activities a join athletes t using (athlete_id) where t.name = ?"
    assert one(db_path, sql, ["Coach Default"]) == 1


def test_strava_export_zip(run_cli, db_path: Path, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "export_12345.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURES / "strava_en_au.csv", "activities.csv")
        z.writestr("profile.csv", "Athlete ID,Email Address,First Name,Last Name\n123,a@b.c,Zoe,Zhang\n")
        z.writestr("activities/20000000001.fit.gz", b"\x1f\x8b not really")
        z.writestr("media/photo.jpg", b"\xff\xd8")
    result = run_cli("import", str(archive))
    assert result.exit_code == 1, result.output  # its one activity file is not a FIT file
    assert f"{archive}:activities/20000000001.fit.gz: cannot read the file" in result.stderr
    assert f"{archive}:activities.csv (strava, Zoe Zhang): 3 rows: 3 imported" in result.stdout
    assert one(db_path, "select count(*) from activities") == 3
    assert one(db_path, "select kind from imports") == "zip"


def test_zip_without_activities_is_one_clear_error(run_cli, db_path: Path, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "hello")
    result = run_cli("import", "--athlete", "Ana", str(archive))
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        f"error: {archive}: no activities.csv in this archive: not a Strava export"
    ]


def test_unknown_format_is_one_clear_line(run_cli, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("when,what\n2024-01-01,run\n")
    result = run_cli("import", "--athlete", "Ana", str(odd))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {odd}: unknown CSV format (header starts 'when,what')")


def test_explicit_format_names_missing_columns(run_cli, tmp_path: Path) -> None:
    f = tmp_path / "g.csv"
    f.write_text("date,type\n2024-01-01,Run\n")
    result = run_cli("import", "--athlete", "Ana", "--format", "generic", str(f))
    assert result.stderr.strip() == f"error: {f}: not a generic CSV: missing column(s) duration"


def test_missing_athlete_is_a_clear_error(run_cli, db_path: Path) -> None:
    result = run_cli("import", str(FIXTURES / "garmin_activities.csv"))
    assert result.exit_code == 1
    assert "whose activities are these? pass --athlete NAME" in result.stderr
    assert not db_path.exists() or one(db_path, "select count(*) from activities") == 0


def test_bad_timezone_is_a_clear_error(run_cli) -> None:
    result = run_cli(
        "import", "--athlete", "A", "--timezone", "Mars/Olympus", str(FIXTURES / "strava_2018.csv")
    )
    assert result.exit_code == 1 and "unknown time zone 'Mars/Olympus'" in result.stderr


def test_stored_timezone_is_used_next_time(run_cli, db_path: Path) -> None:
    run_cli("import", "--athlete", "Ana", "--timezone", "America/New_York", str(FIXTURES / "strava_2018.csv"))
    run_cli("import", "--athlete", "Ana", str(FIXTURES / "garmin_decimal_comma.csv"))
    z2 = activity(db_path, "name = 'Z2'")
    assert z2["start_at"] - z2["start_local"] == dt.timedelta(hours=5)


def test_toml_category_override_from_the_readme(run_cli, db_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[categories]\n"Kitesurf Foiling Deluxe" = "cross"\n"Walk" = "other"\n')
    log = tmp_path / "log.csv"
    log.write_text(
        "date,type,duration,name\n2024-01-01,Walk,30:00,w\n2024-01-02,Kitesurf Foiling Deluxe,3600,k\n"
    )
    assert run_cli("--config", str(config), "import", "--athlete", "Ana", str(log)).exit_code == 0
    assert dict(rows(db_path, "select name, category from activities")) == {"w": "other", "k": "cross"}
    # without the override, re-importing updates the stored categories
    again = run_cli("import", "--athlete", "Ana", str(log))
    assert "2 rows: 0 imported, 2 updated" in again.stdout
    assert dict(rows(db_path, "select name, category from activities")) == {"w": "cross", "k": "other"}
