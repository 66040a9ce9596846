"""compare reads only the last 28 days of sessions and carries older fitness and fatigue in one
aggregate; its rows must still say exactly what each athlete's report says."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from activity_rows import write

import queries
from ingest.database.db import connect

D = date(2026, 11, 22)
SPORTS = ["Run", "Run", "Run", "Pilates", "WeightTraining", "Yoga", "Ride", "Workout"]


def history(seed: int, days: int) -> list[dict]:
    """A varied, seeded history: runs and support work with and without RPE or heart rate, some days
    after D (compare and report must both ignore them)."""
    rng = random.Random(seed)
    rows = []
    for back in range(-10, days):
        if rng.random() < 0.45:
            continue
        row = {
            "start_local": datetime.combine(D - timedelta(days=back), datetime.min.time()).replace(
                hour=rng.choice([0, 6, 12, 18, 23])
            ),
            "sport_type": rng.choice(SPORTS),
            "minutes": rng.uniform(10, 120),
            "name": rng.choice(["Easy run", "Hill repeats", None, "Tempo"]),
        }
        if row["sport_type"] == "Run":
            row["km"] = row["minutes"] / rng.uniform(4.5, 6.5)
        if rng.random() < 0.3:
            row["rpe"] = rng.choice([0, 3, 6, 9, 11])
        if rng.random() < 0.5:
            row["avg_hr"] = rng.uniform(90, 175)
            row["max_hr"] = rng.uniform(150, 205)
        rows.append(row)
    return rows


@pytest.mark.parametrize(
    "settings",
    [{}, {"load": {"fitness_days": 3, "fatigue_days": 1, "hr_max": 200}}],
    ids=["defaults", "short time constants"],
)
def test_compare_rows_equal_each_athletes_report(db_path, settings):
    # Histories longer than an EWMA block (700 days at N = 7), shorter than the windows, and empty.
    for i, days in enumerate([900, 400, 60, 20, 3]):
        write(db_path, f"Athlete {i}", history(i, days))
    write(db_path, "Nobody", [])
    with connect(db_path, read_only=True) as con:
        rows = queries.compare(con, D, settings)["athletes"]
        assert len(rows) == 6
        for row in rows:
            rep = queries.report(con, row["athlete"], D, settings)
            assert {k: row[k] for k in rep["summary"]} == rep["summary"], row["athlete"]
            assert row["warnings"] == [w["code"] for w in rep["warnings"]], row["athlete"]
    busy = next(r for r in rows if r["athlete"] == "Athlete 0")
    assert busy["fitness"] > 0 and busy["fatigue"] > 0  # the carried history counts


def test_overview_equals_compare_and_weekly_balance(db_path):
    for i, days in enumerate([120, 30, 5]):
        write(db_path, f"Athlete {i}", history(10 + i, days))
    write(db_path, "Nobody", [])
    start = D - timedelta(weeks=8) + timedelta(days=1)
    settings = {"intensity": {"pilates": 6}}
    with connect(db_path, read_only=True) as con:
        names = [r[0] for r in con.execute("select name from athletes").fetchall()]
        rows, weekly = queries.overview(con, D, start, settings)
        assert rows == queries.compare(con, D, settings)
        expected = queries.weekly_balance(con, names, start, D, settings)
    assert (
        len(weekly) == 4 * 8 * 6
    )  # four athletes, eight ISO weeks (D is a Sunday), six categories and weekly["sessions"].sum() > 0
    assert weekly.equals(expected)
