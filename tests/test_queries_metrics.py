"""Daily metrics on hand-computed cases: monotony, strain, ACWR, fitness/fatigue/form, support share."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta

import pytest
from activity_rows import write

import queries
from ingest.database.db import connect

D = date(2026, 11, 22)  # a Sunday


def at(days_before: int, hour: int = 7) -> datetime:
    return datetime.combine(D - timedelta(days=days_before), datetime.min.time()).replace(hour=hour)


def run(days_before: int, load: float, **extra) -> dict:
    """A run of `load` units: RPE 5 x load/5 minutes."""
    return {"start_local": at(days_before), "sport_type": "Run", "minutes": load / 5, "rpe": 5} | extra


def daily(db, start=D, end=D, athlete="Ann"):
    with connect(db, read_only=True) as con:
        return queries.daily_metrics(con, athlete, start, end, {})


def summary(db, as_of=D, athlete="Ann", settings=None):
    with connect(db, read_only=True) as con:
        return queries.report(con, athlete, as_of, settings or {})


def test_monotony_and_strain_alternate_days(db_path):
    # loads over the last 7 days: 100, 0, 100, 0, 100, 0, 100 -> mean = 400/7 = 57.143
    # population SD = sqrt(mean(x^2) - mean^2) = sqrt(40000/7 - (400/7)^2) = sqrt(2448.98) = 49.487
    # monotony = 57.143 / 49.487 = 1.1547 (= 2/sqrt(3)); strain = 400 x 1.1547 = 461.88
    write(db_path, "Ann", [run(d, 100) for d in (6, 4, 2, 0)])
    row = daily(db_path).iloc[0]
    assert row.monotony == pytest.approx(2 / math.sqrt(3))
    assert row.strain == pytest.approx(400 * 2 / math.sqrt(3))


def test_monotony_is_10_when_sd_is_0(db_path):
    # 100 every day: SD 0, mean 100 > 0 -> monotony 10, strain 700 x 10 = 7000
    write(db_path, "Ann", [run(d, 100) for d in range(7)])
    row = daily(db_path).iloc[0]
    assert (row.monotony, row.strain) == (10.0, 7000.0)


def test_one_session(db_path):
    # loads 0,0,0,0,0,0,L: mean L/7, SD L sqrt(6)/7 -> monotony 1/sqrt(6) = 0.408; strain L/sqrt(6)
    # ACWR: 7-day 150 / (28-day 150 / 4) = 4.0
    write(db_path, "Ann", [run(0, 150)])
    row = daily(db_path).iloc[0]
    assert row.monotony == pytest.approx(1 / math.sqrt(6))
    assert row.strain == pytest.approx(150 / math.sqrt(6))
    assert row.acwr == pytest.approx(4.0)


def test_no_sessions_in_window_gives_zeros_and_null_acwr(db_path):
    # one run 60 days earlier: nothing in the 28-day window -> monotony 0, strain 0, acwr null
    write(db_path, "Ann", [run(60, 100)])
    row = daily(db_path).iloc[0]
    assert (row.load, row.monotony, row.strain, row.support_share) == (0, 0, 0, 0)
    assert math.isnan(row.acwr)
    rep = summary(db_path)["summary"]
    assert rep["acwr"] is None and rep["monotony"] == 0.0 and rep["sessions"]["run"] == 0


def test_acwr(db_path):
    # 100 on days -21, -14, -7 and 300 today: 7-day (days -6..0) = 300, 28-day = 600
    # ACWR = 300 / (600 / 4) = 2.0
    write(db_path, "Ann", [run(21, 100), run(14, 100), run(7, 100), run(0, 300)])
    assert daily(db_path).iloc[0].acwr == pytest.approx(2.0)
    # on day -1 the 7-day load is 100 (day -7), 28-day 300: 100 / 75 = 1.333
    assert daily(db_path, D - timedelta(days=1), D - timedelta(days=1)).iloc[0].acwr == pytest.approx(4 / 3)


def test_fitness_fatigue_form_by_hand(db_path):
    # One session of 100 on day -1, nothing before. alpha7 = 1 - e^(-1/7) = 0.133122,
    # alpha42 = 1 - e^(-1/42) = 0.023528.
    # day -1: fatigue = 0.133122 x 100 = 13.3122, fitness = 2.3528
    # day  0: fatigue = 13.3122 x e^(-1/7) = 11.5400, fitness = 2.3528 x e^(-1/42) = 2.2974
    # form(day 0) = fitness(-1) - fatigue(-1) = 2.3528 - 13.3122 = -10.9594
    write(db_path, "Ann", [run(1, 100)])
    df = daily(db_path, D - timedelta(days=1), D)
    a7, a42 = 1 - math.exp(-1 / 7), 1 - math.exp(-1 / 42)
    assert df.fatigue.tolist() == pytest.approx([100 * a7, 100 * a7 * (1 - a7)])
    assert df.fitness.tolist() == pytest.approx([100 * a42, 100 * a42 * (1 - a42)])
    assert df.form.iloc[1] == pytest.approx(100 * a42 - 100 * a7)
    assert df.form.iloc[1] == pytest.approx(-10.9594, abs=1e-4)


def test_ewma_matches_the_recursion_across_blocks(db_path):
    # 1,300 days of random loads: the closed-form blocks (700 days) must equal the plain recursion
    # F(t) = (1 - a) F(t - 1) + a L(t), seeded at 0 before the first day.
    rng = random.Random(4)
    days = sorted(rng.sample(range(1, 1400), 700))
    rows = [run(d, rng.randint(20, 400)) for d in days]
    write(db_path, "Ann", rows)
    first = D - timedelta(days=max(days))
    loads = {D - timedelta(days=d): r["minutes"] * 5 for d, r in zip(days, rows, strict=True)}
    start = D - timedelta(days=1300)
    df = daily(db_path, start, D)
    for n, column in ((42, "fitness"), (7, "fatigue")):
        a, value, expected = 1 - math.exp(-1 / n), 0.0, []
        day = first
        while day <= D:
            value = (1 - a) * value + a * loads.get(day, 0.0)
            if day >= start:
                expected.append(value)
            day += timedelta(days=1)
        assert df[column].tolist() == pytest.approx(expected, rel=1e-9)


def test_short_time_constants_do_not_overflow(db_path):
    # [load] fatigue_days = 1: alpha = 1 - e^-1 = 0.632; blocks of 100 days keep factors below e^100
    write(db_path, "Ann", [run(d, 100) for d in range(0, 400, 3)])
    with connect(db_path, read_only=True) as con:
        df = queries.daily_metrics(con, "Ann", D - timedelta(days=300), D, {"load": {"fatigue_days": 1}})
    assert df["fatigue"].notna().all() and df["fatigue"].max() < 100
    a = 1 - math.exp(-1)
    # a run of 100 every 3rd day, today included, long past the seed: a geometric series
    # F = a x 100 x (1 + e^-3 + e^-6 + ...) = 63.212 / (1 - e^-3) = 63.212 / 0.950213 = 66.524
    assert df["fatigue"].iloc[-1] == pytest.approx(100 * a / (1 - math.exp(-3)))


def test_support_share_and_days_since_support(db_path):
    # 28 days: run 120 min, pilates 30 (day -9), yoga 30 -> (30 + 30) / 180 = 0.333
    # strength 200 days ago is outside the window; last strength/Pilates = day -9 -> 9 days
    write(
        db_path,
        "Ann",
        [
            run(3, 600),  # 120 min
            {"start_local": at(9), "sport_type": "Pilates", "minutes": 30},
            {"start_local": at(20), "sport_type": "Yoga", "minutes": 30},
            {"start_local": at(200), "sport_type": "WeightTraining", "minutes": 45},
        ],
    )
    assert daily(db_path).iloc[0].support_share == pytest.approx(1 / 3)
    s = summary(db_path)["summary"]
    assert s["support_share"] == 0.333
    assert s["days_since_support"] == 9
    assert s["strength_sessions_per_week"] == 0.25  # 1 strength/Pilates session in 28 days / 4


def test_weeks_of_the_report(db_path):
    # The report's last week is the ISO week of as_of (Mon 2026-11-16 .. Sun 11-22): 12 weeks back to
    # Monday 2026-08-31 (11-16 minus 77 days).
    # Week of the 16th: runs of 100 on Mon and Wed and 200 on Sun = 400 load.
    write(db_path, "Ann", [run(6, 100, km=5), run(4, 100, km=5), run(0, 200, km=10), run(7, 50)])
    weeks = summary(db_path)["weeks"]
    assert len(weeks) == 12
    assert weeks[0]["week"] == "2026-08-31" and weeks[-1]["week"] == "2026-11-16"
    last = weeks[-1]
    assert (last["load"], last["run_km"], last["sessions"]["run"], last["minutes"]["run"]) == (400, 20, 3, 80)
    # monotony of the week: loads 100,0,100,0,0,0,200: mean 57.143, SD = sqrt(60000/7 - 3265.31) = 72.843
    # -> 0.7845; strain 400 x 0.7845 = 313.8
    assert last["monotony"] == pytest.approx(0.78, abs=0.005)
    assert last["strain"] == pytest.approx(313.8, abs=0.1)
    assert weeks[-2]["load"] == 50.0  # Sunday the 15th belongs to the week of the 9th


def test_rolling_metrics_match_a_direct_computation(db_path):
    # 90 days of random sessions (some days two, some none): monotony, strain, ACWR and support share
    # from the SQL windows equal a plain Python computation over the zero-filled daily series.
    rng = random.Random(7)
    rows = []
    for d in range(90):
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            sport = rng.choice(["Run", "Run", "Pilates", "WeightTraining", "Ride"])
            rows.append(
                {
                    "start_local": at(d, rng.randint(5, 21)),
                    "sport_type": sport,
                    "minutes": rng.randint(20, 90),
                }
            )
    write(db_path, "Ann", rows)
    intensity = {"Run": 5, "Pilates": 4, "WeightTraining": 5, "Ride": 4}
    load = {d: 0.0 for d in range(90)}
    minutes = {d: 0.0 for d in range(90)}
    support = {d: 0.0 for d in range(90)}
    for r in rows:
        d = (D - r["start_local"].date()).days
        load[d] += r["minutes"] * intensity[r["sport_type"]]
        minutes[d] += r["minutes"]
        support[d] += r["minutes"] if r["sport_type"] in ("Pilates", "WeightTraining") else 0
    df = daily(db_path, D - timedelta(days=59), D)
    for i, row in enumerate(df.itertuples()):
        d = 59 - i  # days before D
        week = [load[d + k] for k in range(7)]
        mean = sum(week) / 7
        sd = math.sqrt(sum((x - mean) ** 2 for x in week) / 7)
        monotony = 0.0 if sum(week) == 0 else (10.0 if sd == 0 else min(mean / sd, 10.0))
        assert row.monotony == pytest.approx(monotony)
        assert row.strain == pytest.approx(sum(week) * monotony)
        month = sum(load[d + k] for k in range(28))
        assert row.acwr == pytest.approx(sum(week) / (month / 4))
        share = sum(support[d + k] for k in range(28)) / sum(minutes[d + k] for k in range(28))
        assert row.support_share == pytest.approx(share)
