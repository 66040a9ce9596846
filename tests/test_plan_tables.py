"""Plan CSVs in their own columns (ingest/plans/table.py): tables we wrote in the shapes of real ones
(tests/fixtures/plans/table_*.csv; tests/fixtures/README.md names the real files), every session counted
by hand from the file, and the one-line errors of a table that can't be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.database.db import connect

PLANS = Path(__file__).parent / "fixtures" / "plans"


def stored(db_path: Path) -> list[tuple]:
    with connect(db_path, read_only=True) as con:
        return con.execute(
            """select start_local::date::varchar, category, name, round(moving_s / 60), distance_m, intensity
               from planned_sessions order by start_local, name"""
        ).fetchall()


def by_category(rows: list[tuple]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in rows:
        out[r[1]] = out.get(r[1], 0) + 1
    return out


# (fixture, --as-of, sessions by category, rest days skipped) counted by hand from the file:
# dated rows: 14 rows, 3 "Rest"; runs Mon/Wed/Fri/Sun + Mon/Thu/Sat/Sun = 8, "Strength A/B" 3.
# day-first dates: 15 rows over two weeks; "Rest"/"Recovery rest" 4; "SE pushups" and "SE split squats"
# name no training crosstrain knows (2 skipped); runs "commute lss run", "lss run" x3, the hills and
# the repeats = 6; "Strength" x3.
# week grid: 3 weeks x 7 days, 6 "Rest"; yoga 3 (mobility); "Kettlebell Strength + Nm Rouvy" twice
# (2 strength, 2 rides) and the third week's spin (3 rides) and the first week's bike intervals (4);
# runs: 3 easy, 2 Z2, the 8x300m, the shakeout and the race = 8.
# countdown in miles (underscored column names, quotes written as &quot;): 14 rows, 4 "Rest"; 10 runs
# (two quality days a week, easy days, the race); refused at b561b1d as "not a generic CSV".
TABLES = [
    ("table_dated_rows.csv", "2027-05-03", {"run": 8, "strength": 3}, 3),
    ("table_dmy.csv", "2027-04-05", {"run": 6, "strength": 3}, 4),
    ("table_week_grid.csv", "2027-05-03", {"run": 8, "cross": 4, "mobility": 3, "strength": 2}, 6),
    ("table_countdown_miles.csv", "2027-05-03", {"run": 10}, 4),
]


@pytest.mark.parametrize(("name", "as_of", "kinds", "rest"), TABLES, ids=[t[0] for t in TABLES])
def test_a_plan_table_is_read_like_a_calendar(db_path, run_cli, name, as_of, kinds, rest):
    result = run_cli("plan", "import", str(PLANS / name), "--athlete", "Ann", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert by_category(stored(db_path)) == kinds
    assert sum(": rest day, skipped" in line for line in result.output.splitlines()) == rest
    check = run_cli("plan", "check", "--athlete", "Ann", "--as-of", as_of, "--json")
    assert check.exit_code == 0, check.output


def test_dated_rows_take_the_distance_at_the_written_pace_not_the_warm_up(db_path, run_cli):
    """ "6km" at "5:40-6:10/km" is about 36 min: the description's "Walk 10 min to warm up" is a part of
    the session, not its length (it was 10 min: a 6 km run at 1:40/km). A strength session's "3x10"
    reps are no intervals (it was a hard day, RPE 8)."""
    path = str(PLANS / "table_dated_rows.csv")
    run_cli("plan", "import", path, "--athlete", "Ann", "--as-of", "2027-05-03")
    rows = {(r[0], r[1]): r for r in stored(db_path)}
    easy = rows[("2027-05-03", "run")]
    assert easy[3] == 36  # 6 km x 5:55/km (the middle of the written range)
    assert easy[4] == 6000 and easy[5] == "easy"
    assert rows[("2027-05-13", "run")][3] == 30  # 7 km x 4:20/km, not the "2 min jog"
    assert rows[("2027-05-09", "run")][3] == 62  # 11 km x 5:40/km, not "every 30 min"
    assert rows[("2027-05-04", "strength")][3] == 38  # "35-40 min"
    assert rows[("2027-05-04", "strength")][5] is None


def test_a_week_grid_reads_minutes_and_splits_a_day(db_path, run_cli):
    """A grid that writes km and never miles means minutes by "25m Yoga" (it was 25 miles: 40 km of
    yoga for 4 hours); week 1 starts on the Monday of --as-of."""
    run_cli("plan", "import", str(PLANS / "table_week_grid.csv"), "--athlete", "Ann", "--as-of", "2027-05-03")
    rows = stored(db_path)
    assert ("2027-05-03", "mobility", "25 min Yoga", 25.0, None, None) in rows
    tuesday = [r for r in rows if r[0] == "2027-05-04"]
    assert [(r[1], r[3]) for r in tuesday] == [("cross", 30.0), ("strength", 30.0)]
    race = [r for r in rows if r[0] == "2027-05-22"]
    assert race == [("2027-05-22", "run", "RACE DAY (10km)", 60.0, 10000.0, "race")]


def test_day_first_dates_are_decided_by_the_file(db_path, run_cli):
    run_cli("plan", "import", str(PLANS / "table_dmy.csv"), "--athlete", "Ann", "--as-of", "2027-04-05")
    days = [r[0] for r in stored(db_path)]
    assert days[0] == "2027-04-05" and days[-1] == "2027-04-17"


def test_dates_either_way_are_one_line(tmp_path, db_path, run_cli):
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "Date,Type,Workout\n01/02/2027,run,Easy run 5km\n03/02/2027,run,Tempo 6km\n", encoding="utf-8"
    )
    result = run_cli("plan", "import", str(plan), "--athlete", "Ann", "--as-of", "2026-12-01")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (
        f"{plan}:2: dates like '01/02/2027' could be day/month or month/day and no date in the file "
        "decides it: write them as YYYY-MM-DD"
    ) in result.output
    assert not db_path.exists() or stored(db_path) == []


def test_a_row_without_a_date_is_one_line_and_the_rest_imported(tmp_path, db_path, run_cli):
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "Date,Type,Workout,Distance\n2027-01-04,run,Easy run,5km\nnext Monday,run,Tempo,6km\n"
        "2027-02-30,run,Long run,12km\n2027-01-08,strength,Strength 30 min,\n",
        encoding="utf-8",
    )
    result = run_cli("plan", "import", str(plan), "--athlete", "Ann", "--as-of", "2027-01-01")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{plan}:3: column 'Date': 'next Monday' is not a date (YYYY-MM-DD or D/M/YYYY)" in result.output
    assert f"{plan}:4: column 'Date': '2027-02-30' is not a date (YYYY-MM-DD or D/M/YYYY)" in result.output
    assert by_category(stored(db_path)) == {"run": 1, "strength": 1}


def test_a_csv_that_is_neither_says_what_it_lacks(tmp_path, run_cli):
    plan = tmp_path / "plan.csv"
    plan.write_text("when,what\n2027-01-04,Easy run\n", encoding="utf-8")
    result = run_cli("plan", "import", str(plan), "--athlete", "Ann", "--as-of", "2027-01-01")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "not a generic CSV: missing column(s)" in result.output


def test_a_spreadsheet_is_one_line_saying_what_to_do(tmp_path, run_cli):
    """A coach's .xlsx (ntustison/MoreThanAFeeling's marathon plan) was "not a generic CSV: missing
    column(s) date, type, duration": true of no CSV, and no hint that the file is a spreadsheet."""
    plan = tmp_path / "Marathon Plan.xlsx"
    plan.write_bytes(b"PK\x03\x04" + bytes(60))  # a zip file's first bytes, as an .xlsx starts
    result = run_cli("plan", "import", str(plan), "--athlete", "Ann", "--as-of", "2027-01-01")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{plan}: a spreadsheet (.xlsx) is not read: save its plan sheet as CSV" in result.output
