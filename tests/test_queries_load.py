"""Session load and the local-day calendar, on hand-computed cases in a real DuckDB file."""

from __future__ import annotations

import math
from datetime import date

import pytest
from activity_rows import write

import queries
from ingest.database.db import connect

DAY = date(2026, 11, 10)


def loads(db, athlete="Ann", start=DAY, end=DAY, settings=None) -> list[tuple]:
    with connect(db, read_only=True) as con:
        df = queries.sessions(con, athlete, start, end, settings or {})
    return [
        (r.day.date().isoformat(), r.category, round(r.minutes, 3), round(r.load, 3)) for r in df.itertuples()
    ]


def test_srpe_is_rpe_times_minutes(db_path):
    # Foster 2001: 40 min at RPE 5 -> 5 x 40 = 200
    write(db_path, "Ann", [{"start_local": "2026-11-10T07:00", "sport_type": "Run", "minutes": 40, "rpe": 5}])
    assert loads(db_path) == [("2026-11-10", "run", 40.0, 200.0)]


def test_trimp_uses_highest_recorded_max_hr(db_path):
    # HRmax = 180 (recorded), HRrest 60: HRr = (150 - 60) / (180 - 60) = 0.75
    # TRIMP/min = 0.75 x 0.64 x e^(1.92 x 0.75) = 0.48 x e^1.44 = 0.48 x 4.22070 = 2.02593; x 2.5 = 5.06484
    # 40 min -> 202.594
    write(
        db_path,
        "Ann",
        [
            {
                "start_local": "2026-11-10T07:00",
                "sport_type": "Run",
                "minutes": 40,
                "avg_hr": 150,
                "max_hr": 180,
            }
        ],
    )
    assert loads(db_path)[0][3] == pytest.approx(40 * 0.75 * 0.64 * math.exp(1.44) * 2.5, abs=1e-3)
    assert loads(db_path)[0][3] == pytest.approx(202.5935, abs=1e-3)


def test_trimp_default_hr_max_and_settings(db_path):
    # No max_hr recorded: HRmax 190. HRr = (150 - 60) / 130 = 0.692308
    # 30 min x 0.692308 x 0.64 x e^(1.92 x 0.692308) x 2.5 = 30 x 0.443077 x 3.78017 x 2.5 = 125.62
    write(
        db_path,
        "Ann",
        [{"start_local": "2026-11-10T07:00", "sport_type": "Ride", "minutes": 30, "avg_hr": 150}],
    )
    hrr = 90 / 130
    assert loads(db_path)[0][3] == pytest.approx(30 * hrr * 0.64 * math.exp(1.92 * hrr) * 2.5, abs=1e-3)
    # [load] hr_rest = 50, hr_max = 200: HRr = 100 / 150 = 0.666667
    hrr = 100 / 150
    got = loads(db_path, settings={"load": {"hr_rest": 50, "hr_max": 200}})[0][3]
    assert got == pytest.approx(30 * hrr * 0.64 * math.exp(1.92 * hrr) * 2.5, abs=1e-3)


def test_rpe_wins_over_hr(db_path):
    write(
        db_path,
        "Ann",
        [{"start_local": "2026-11-10T07:00", "sport_type": "Run", "minutes": 30, "rpe": 7, "avg_hr": 170}],
    )
    assert loads(db_path)[0][3] == 210.0  # 7 x 30


def test_pilates_without_hr_is_never_a_rest_day(db_path):
    # default intensity: pilates 4 -> 50 min x 4 = 200; strength 5 -> 30 x 5 = 150; mobility 2 -> 20 x 2 = 40
    write(
        db_path,
        "Ann",
        [
            {"start_local": "2026-11-10T18:00", "sport_type": "Pilates", "minutes": 50},
            {"start_local": "2026-11-10T07:00", "sport_type": "WeightTraining", "minutes": 30},
            {"start_local": "2026-11-10T21:00", "sport_type": "Yoga", "minutes": 20},
        ],
    )
    assert loads(db_path) == [
        ("2026-11-10", "strength", 30.0, 150.0),
        ("2026-11-10", "pilates", 50.0, 200.0),
        ("2026-11-10", "mobility", 20.0, 40.0),
    ]
    # [intensity] pilates = 6 -> 50 x 6 = 300
    assert loads(db_path, settings={"intensity": {"pilates": 6}})[1][3] == 300.0


def test_minutes_fall_back_to_elapsed_time(db_path):
    # moving time missing: elapsed 3600 s = 60 min x run intensity 5 = 300
    write(db_path, "Ann", [{"start_local": "2026-11-10T07:00", "sport_type": "Run", "elapsed_s": 3600}])
    assert loads(db_path) == [("2026-11-10", "run", 60.0, 300.0)]


def test_two_sessions_on_one_day_add_up(db_path):
    # 200 + 150 = 350 on the day
    write(
        db_path,
        "Ann",
        [
            {"start_local": "2026-11-10T07:00", "sport_type": "Run", "minutes": 40, "rpe": 5},
            {"start_local": "2026-11-10T18:00", "sport_type": "Run", "minutes": 30, "rpe": 5},
        ],
    )
    with connect(db_path, read_only=True) as con:
        df = queries.daily_metrics(con, "Ann", DAY, DAY, {})
    assert df["load"].tolist() == [350.0]


def test_session_across_midnight_and_dst_belongs_to_its_local_start_day(db_path):
    # Europe/London: clocks go forward at 01:00 UTC on 2026-03-29. A 90-minute run starting 23:30 local
    # (= UTC) on the 28th ends after the change on the 29th; its load (90 x 5 = 450) stays on the 28th.
    write(
        db_path,
        "Ann",
        [{"start_local": "2026-03-28T23:30", "sport_type": "Run", "minutes": 90}],
        timezone="Europe/London",
    )
    with connect(db_path, read_only=True) as con:
        df = queries.daily_metrics(con, "Ann", date(2026, 3, 28), date(2026, 3, 29), {})
    assert df["load"].tolist() == [450.0, 0.0]


def test_far_from_utc_uses_local_date(db_path):
    # Pacific/Auckland (UTC+13 in November): 06:00 local on the 10th is 17:00 UTC on the 9th.
    write(
        db_path,
        "Kiri",
        [
            {
                "start_local": "2026-11-10T06:00",
                "start_at": "2026-11-09T17:00",
                "sport_type": "Run",
                "minutes": 40,
                "rpe": 5,
            }
        ],
        timezone="Pacific/Auckland",
    )
    with connect(db_path, read_only=True) as con:
        df = queries.daily_metrics(con, "Kiri", date(2026, 11, 9), date(2026, 11, 10), {})
        weekly = queries.weekly_balance(con, ["Kiri"], date(2026, 11, 9), date(2026, 11, 10), {})
    assert df["load"].tolist() == [0.0, 200.0]
    run = weekly[weekly.category == "run"]
    assert run["week"].dt.date.tolist() == [date(2026, 11, 9)] and run["minutes"].tolist() == [40.0]


def test_weekly_balance_is_zero_filled_long_format(db_path):
    # Two ISO weeks x six categories for each of two athletes = 24 rows; run_km only on run rows.
    write(
        db_path,
        "Ann",
        [
            {
                "start_local": "2026-11-08T07:00",
                "sport_type": "Run",
                "minutes": 50,
                "km": 10,
                "rpe": 4,
            },  # Sun
            {"start_local": "2026-11-09T07:00", "sport_type": "Run", "minutes": 30, "km": 6, "rpe": 4},  # Mon
            {"start_local": "2026-11-10T07:00", "sport_type": "Pilates", "minutes": 45},
        ],
    )
    write(db_path, "Bob", [])
    with connect(db_path, read_only=True) as con:
        df = queries.weekly_balance(con, ["Ann", "Bob"], date(2026, 11, 3), date(2026, 11, 15), {})
    assert list(df.columns) == ["athlete", "week", "category", "minutes", "sessions", "run_km", "load"]
    assert len(df) == 24
    df["week"] = df["week"].dt.date  # DuckDB dates arrive as pandas timestamps
    ann = df[df.athlete == "Ann"].set_index(["week", "category"])
    assert ann.loc[(date(2026, 11, 2), "run"), "run_km"] == 10.0  # Sunday the 8th is in the week of the 2nd
    assert ann.loc[(date(2026, 11, 9), "run"), "load"] == 120.0  # 4 x 30
    assert ann.loc[(date(2026, 11, 9), "pilates"), "sessions"] == 1
    assert ann.loc[(date(2026, 11, 9), "pilates"), "run_km"] == 0.0
    assert df[df.athlete == "Bob"][["minutes", "sessions", "run_km", "load"]].to_numpy().sum() == 0
