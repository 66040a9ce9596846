"""Units, day/month orders and languages told from a file's own rows, stated in the summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import FIXTURES
from import_helpers import error_lines, rows

from ingest.exports.formats import garmin_languages, strava_languages

UTC = ["--timezone", "UTC"]
MILE, FOOT, YARD = 1609.344, 0.3048, 0.9144


def imported(db_path: Path, order: str = "start_local") -> list[tuple]:
    return rows(
        db_path,
        f"select start_local, sport_type, category, distance_m, moving_s, elevation_gain_m, avg_hr, rpe "
        f"from activities order by {order}",
    )


def test_garmin_miles_and_feet_from_cadence_and_stride(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Ana", *UTC, str(FIXTURES / "garmin_imperial.csv"))
    assert result.exit_code == 0, result.output
    assert (
        "  units: miles, feet (from 2 runs with cadence and stride length: speeds agree within"
        in result.stdout
    )
    run, swim, trail, gym = imported(db_path)
    assert run[3] == pytest.approx(5.02 * MILE) and run[5] == pytest.approx(52 * FOOT)
    assert trail[3] == pytest.approx(6.47 * MILE) and trail[5] == pytest.approx(341 * FOOT)
    assert swim[2] == "cross" and swim[3] == pytest.approx(1000 * YARD)  # pool swims in yards
    assert gym[2] == "strength" and gym[3] is None


def test_units_option_overrides_and_says_the_file_disagrees(run_cli, db_path: Path) -> None:
    result = run_cli(
        "import", "--athlete", "Ana", *UTC, "--units", "metric", str(FIXTURES / "garmin_imperial.csv")
    )
    assert (
        "  units: km, metres (--units metric; "
        "the file's runs with cadence and stride length suggest miles, feet)" in (result.stdout)
    )
    assert rows(db_path, "select max(distance_m) from activities where category = 'run'") == [(6470.0,)]


def test_units_assumed_when_nothing_tells(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Ana", *UTC, str(FIXTURES / "garmin_activities.csv"))
    assert (
        "  units: km, metres assumed (no runs with cadence and stride length to tell); "
        "pass --units imperial if the account uses miles" in result.stdout
    )


def test_strava_miles_in_display_distance_from_speed(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Ana", *UTC, str(FIXTURES / "strava_imperial_display.csv"))
    assert result.exit_code == 0, result.output
    assert "  units: miles, feet (from 2 activities' average speed x moving time" in result.stdout
    found = dict(rows(db_path, "select source_id, distance_m from activities"))
    assert found["32000000001"] == pytest.approx(6.23 * MILE)
    assert found["32000000003"] == pytest.approx(1094 * YARD)


def test_strava_metres_column_wins(run_cli, db_path: Path) -> None:
    result = run_cli(
        "import", "--athlete", "Ana", *UTC, "--units", "imperial", str(FIXTURES / "strava_activities.csv")
    )
    assert "  units: distances from the export's Distance column in metres" in result.stdout
    assert rows(db_path, "select distance_m from activities where strava_id = 10000000001") == [(10020.5,)]


def test_excel_resaved_garmin_month_first_from_the_column(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Kit", *UTC, str(FIXTURES / "garmin_excel_mdy.csv"))
    assert result.exit_code == 0, result.output
    assert "  dates: month/day/year (a day above 12 comes second, e.g. line 2)" in result.stdout
    assert "  units: miles, feet (from 2 runs" in result.stdout
    first, second, gym = imported(db_path)
    assert first[0] == dt.datetime(2019, 1, 23, 20, 15) and first[3] == pytest.approx(6.5 * MILE)
    assert second[0] == dt.datetime(2019, 1, 24, 19, 11) and second[4] == 5013  # 1:23:33
    assert second[5] == pytest.approx(2377 * FOOT) and second[6] == 151
    assert gym[0] == dt.datetime(2019, 2, 3, 8, 5) and gym[2] == "strength" and gym[6] is None


def test_excel_resaved_strava_day_first_from_the_column(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Ana", *UTC, str(FIXTURES / "strava_excel_dmy.csv"))
    assert result.exit_code == 0, result.output
    assert "  dates: day/month/year (a day above 12 comes first, e.g. line 2)" in result.stdout
    assert [r[0] for r in imported(db_path)] == [
        dt.datetime(2024, 1, 13, 6, 30),
        dt.datetime(2024, 2, 5, 18, 10),
        dt.datetime(2024, 4, 3, 7, 0),
    ]


def test_ambiguous_dates_say_what_was_assumed_and_the_option_overrides(run_cli, db_path: Path) -> None:
    path = str(FIXTURES / "strava_excel_ambiguous.csv")
    result = run_cli("import", "--athlete", "Ana", *UTC, path)
    assert (
        "  dates: month/day/year assumed (no day above 12 tells the order in 2 dates); "
        "pass --date-order dmy if they are day/month/year" in result.stdout
    )
    assert [r[0] for r in imported(db_path)] == [
        dt.datetime(2024, 1, 5, 6, 30),
        dt.datetime(2024, 2, 3, 17, 10),
    ]
    again = run_cli("import", "--athlete", "Ana", *UTC, "--date-order", "dmy", path)
    assert "  dates: day/month/year (--date-order dmy)" in again.stdout
    assert "2 rows: 0 imported, 2 updated" in again.stdout  # the same Strava ids, moved to the right days
    assert [r[0] for r in imported(db_path)] == [
        dt.datetime(2024, 3, 2, 17, 10),
        dt.datetime(2024, 5, 1, 6, 30),
    ]


GARMIN_LANGUAGES = sorted(set(garmin_languages.HEADERS) - {"en"})


def test_every_garmin_language_has_a_fixture_and_types() -> None:
    assert len(GARMIN_LANGUAGES) >= 12
    for language in GARMIN_LANGUAGES:
        assert (FIXTURES / f"garmin_lang_{language}.csv").is_file()
        english = set(garmin_languages.TYPES[language].values())
        assert {"Running", "Strength Training", "Yoga", "Pilates", "Pool Swimming"} <= english


@pytest.mark.parametrize("language", GARMIN_LANGUAGES)
def test_garmin_export_in_each_language(run_cli, db_path: Path, language: str) -> None:
    result = run_cli("import", "--athlete", "Ana", *UTC, str(FIXTURES / f"garmin_lang_{language}.csv"))
    assert result.exit_code == 0, result.output
    assert "3 rows: 3 imported" in result.stdout
    assert f"  language: {language} (header and type names)" in result.stdout
    assert "  units: km, metres (from 1 runs with cadence and stride length" in result.stdout
    run, gym, yoga = imported(db_path)
    assert run[:7] == (dt.datetime(2024, 3, 4, 7, 15), "Running", "run", 8020.0, 2710.0, 64.0, 150.0)
    assert gym[1:3] == ("Strength Training", "strength") and gym[3] is None
    assert yoga[1:3] == ("Yoga", "mobility")


STRAVA_LANGUAGES = sorted(set(strava_languages.HEADERS) - {"en", "de"})


@pytest.mark.parametrize("language", STRAVA_LANGUAGES)
def test_strava_export_in_each_language(run_cli, db_path: Path, language: str) -> None:
    result = run_cli("import", "--athlete", "Ana", *UTC, str(FIXTURES / f"strava_lang_{language}.csv"))
    assert result.exit_code == 0, result.output
    assert f"  language: {language} (header and type names)" in result.stdout
    gym, run = imported(db_path)
    assert run[:5] == (dt.datetime(2024, 1, 5, 6, 30), "Run", "run", 10020.5, 2950.0)
    assert gym[:3] == (dt.datetime(2023, 12, 13, 17, 10), "Weight Training", "strength") and gym[7] == 7


def test_auckland_instant_lands_on_the_next_local_day(run_cli, db_path: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("date,type,duration\n2024-06-01T18:30:00Z,Run,1800\n2024-06-01T18:30:00+02:00,Run,900\n")
    result = run_cli("import", "--athlete", "Kiri", "--timezone", "Pacific/Auckland", str(log))
    assert result.exit_code == 0, result.output
    assert rows(db_path, "select start_at, start_local from activities order by start_at") == [
        (dt.datetime(2024, 6, 1, 16, 30), dt.datetime(2024, 6, 2, 4, 30)),
        (dt.datetime(2024, 6, 1, 18, 30), dt.datetime(2024, 6, 2, 6, 30)),
    ]
    # another zone later: the same rows move, none is added
    again = run_cli("import", "--athlete", "Kiri", "--timezone", "Europe/London", str(log))
    assert "2 rows: 0 imported, 2 updated" in again.stdout
    assert rows(db_path, "select min(start_local) from activities") == [(dt.datetime(2024, 6, 1, 17, 30),)]


def test_dates_before_1970_or_in_the_future_are_rejected(run_cli, db_path: Path, tmp_path: Path) -> None:
    tomorrow_plus = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).strftime("%Y-%m-%d")
    log = tmp_path / "log.csv"
    log.write_text(
        f"date,type,duration\n0204-04-10,Run,1800\n2024-04-10,Run,1800\n{tomorrow_plus},Run,1800\n"
    )
    result = run_cli("import", "--athlete", "Ana", *UTC, str(log))
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        f"error: {log}:2: column 'date': '0204-04-10' is before 1970; row skipped",
        f"error: {log}:4: column 'date': '{tomorrow_plus}' is more than a day in the future; row skipped",
    ]
    assert rows(db_path, "select count(*) from activities") == [(1,)]


def test_rpe_is_cr10_with_zero_and_halves(run_cli, db_path: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "date,type,duration,rpe\n2024-04-10,Run,1800,0\n2024-04-11,Run,1800,0.5\n2024-04-12,Run,1800,10\n"
        "2024-04-13,Run,1800,7.3\n2024-04-14,Run,1800,11\n"
    )
    result = run_cli("import", "--athlete", "Ana", *UTC, str(log))
    reason = "is not a perceived exertion on the CR-10 scale (0 to 10, in steps of 0.5); row skipped"
    assert error_lines(result.stderr) == [
        f"error: {log}:5: column 'rpe': '7.3' {reason}",
        f"error: {log}:6: column 'rpe': '11' {reason}",
    ]
    assert [r[7] for r in imported(db_path)] == [0.0, 0.5, 10.0]


def test_english_strava_export_resaved_with_decimal_commas(run_cli, db_path: Path, tmp_path: Path) -> None:
    export = tmp_path / "activities.csv"
    export.write_text(
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Elapsed Time,"
        "Moving Time,Distance\n"
        '33000000001,13/01/2024 06:30,Run,Run,3000,"10,02",3000,"2950,5","10020,5"\n'
        '33000000002,14/01/2024 06:30,Run,Run,1800,"5,01",1800,"1790,0","5010,2"\n'
    )
    result = run_cli("import", "--athlete", "Ana", *UTC, str(export))
    assert result.exit_code == 0, result.output
    assert rows(db_path, "select distance_m, moving_s from activities order by 1") == [
        (5010.2, 1790.0),
        (10020.5, 2950.5),
    ]


def test_german_garmin_export_resaved_by_excel_with_semicolons(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Jo", *UTC, str(FIXTURES / "garmin_excel_de_semicolons.csv"))
    assert result.exit_code == 0, result.output
    assert "  columns: separated by semicolons (a file re-saved by Excel)" in result.stdout
    assert "  language: de (header and type names)" in result.stdout
    assert rows(
        db_path, "select start_local, category, name, distance_m, moving_s from activities order by 1"
    ) == [
        (dt.datetime(2024, 3, 4, 7, 15), "run", "Morgenlauf", 8020.0, 2710.0),
        (dt.datetime(2024, 3, 5, 18, 0), "strength", "Hüfte; Gesäß", None, 2400.0),  # a quoted semicolon
        (dt.datetime(2024, 3, 13, 6, 50), "run", "Intervalle", 10400.0, 3040.0),
    ]
