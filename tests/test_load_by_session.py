"""Load that depends on the session, not on its label: default intensities by activity type, support-work
candidates as gym sessions, and the athlete's own median; hand-computed cases in a real DuckDB file."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from activity_rows import write

import queries
from ingest.database.db import connect

D = date(2026, 11, 10)


def at(days_before: int, hour: int = 7) -> str:
    return f"{D - timedelta(days=days_before)}T{hour:02d}:00"


def scored(db, athlete: str, start: date = D, settings=None) -> dict[str, tuple[float, str, bool]]:
    """name -> (load, load_source, unlabelled) for the athlete's sessions from `start` to D."""
    with connect(db, read_only=True) as con:
        df = queries.sessions(con, athlete, start, D, settings or {})
    return {r.name: (round(r.load, 3), r.load_source, bool(r.unlabelled)) for r in df.itertuples()}


def test_light_activity_types_score_by_their_own_intensity(db_path):
    # Without RPE or heart rate: golf 110 min x 2 = 220 (not cross-training's 4: 440); a walk 60 x 2 = 120;
    # a ride 60 x 4 = 240 (cross); yoga 30 x 2 = 60 (mobility); an unknown type 30 x 3 = 90 (other);
    # a hike 200 x 3 = 600 (not 800).
    write(
        db_path,
        "Gil",
        [
            {"start_local": at(0, 6), "sport_type": "Golf", "name": "Afternoon Golf", "minutes": 110},
            {"start_local": at(0, 10), "sport_type": "Walk", "name": "Walk", "minutes": 60},
            {"start_local": at(0, 13), "sport_type": "Ride", "name": "Ride", "minutes": 60},
            {"start_local": at(0, 16), "sport_type": "Yoga", "name": "Yoga", "minutes": 30},
            {"start_local": at(0, 19), "sport_type": "Breathwork", "name": "Breathe", "minutes": 30},
            {"start_local": at(1, 8), "sport_type": "Hike", "name": "Hike", "minutes": 200},
        ],
    )
    got = {name: load for name, (load, _, _) in scored(db_path, "Gil", D - timedelta(days=1)).items()}
    assert got == {
        "Afternoon Golf": 220.0,
        "Walk": 120.0,
        "Ride": 240.0,
        "Yoga": 60.0,
        "Breathe": 90.0,
        "Hike": 600.0,
    }
    # the table is the settings': [intensity] golf = 3 -> 110 x 3 = 330
    assert scored(db_path, "Gil", settings={"intensity": {"golf": 3}})["Afternoon Golf"][0] == 330.0


def test_the_same_gym_session_scores_the_same_whatever_its_name(db_path):
    # Strava "Workout", 50 min, no RPE: "Treino academia" is strength by its keyword, "Afternoon Workout"
    # says nothing (a support-work candidate, category other). Both score as a gym session: 50 x 5 = 250
    # (before: 250 and 50 x 3 = 150). Garmin's "Gym & Fitness Equipment" likewise.
    write(
        db_path,
        "Bea",
        [
            {"start_local": at(0, 7), "sport_type": "Workout", "name": "Treino academia", "minutes": 50},
            {"start_local": at(0, 12), "sport_type": "Workout", "name": "Afternoon Workout", "minutes": 50},
            {
                "start_local": at(0, 18),
                "sport_type": "Gym & Fitness Equipment",
                "name": "HomeWorkout",
                "minutes": 50,
            },
        ],
    )
    got = scored(db_path, "Bea")
    assert got == {
        "Treino academia": (250.0, "default", False),
        "Afternoon Workout": (250.0, "default", True),
        "HomeWorkout": (250.0, "default", True),
    }


def test_the_athletes_own_median_replaces_the_table_after_enough_sessions(db_path):
    # Strength sessions of 40 min with RPE 3, 4, 4, 4, 4, 5, 5, 6, 7, 8 on days -20 .. -11 (one a day).
    # A strength session without RPE on day -15 has 5 RPE sessions before it (fewer than 10): the table,
    # 40 x 5 = 200. On day 0, 10 came before: their median (4 + 5) / 2 = 4.5 -> 40 x 4.5 = 180. An
    # unlabelled gym class on day 0 (50 min) scores the same way: 50 x 4.5 = 225. Strength never uses
    # heart rate: the day-0 session's average HR 170 changes nothing.
    rpes = [3, 4, 4, 4, 4, 5, 5, 6, 7, 8]
    rows = [
        {
            "start_local": at(20 - i),
            "sport_type": "Weight Training",
            "name": f"Lift {i}",
            "minutes": 40,
            "rpe": r,
        }
        for i, r in enumerate(rpes)
    ]
    rows += [
        {"start_local": at(15, 18), "sport_type": "Weight Training", "name": "Early", "minutes": 40},
        {
            "start_local": at(0, 7),
            "sport_type": "Weight Training",
            "name": "Late",
            "minutes": 40,
            "avg_hr": 170,
        },
        {"start_local": at(0, 18), "sport_type": "Workout", "name": "Evening class", "minutes": 50},
    ]
    write(db_path, "Cy", rows)
    got = scored(db_path, "Cy", D - timedelta(days=20))
    assert got["Early"] == (200.0, "default", False)
    assert got["Late"] == (180.0, "default", False)
    assert got["Evening class"] == (225.0, "default", True)
    # [load] own_median_sessions = 0 turns it off: the table again
    off = scored(db_path, "Cy", D - timedelta(days=20), {"load": {"own_median_sessions": 0}})
    assert (off["Late"][0], off["Evening class"][0]) == (200.0, 250.0)
    # ... and a later session with an RPE changes no earlier session's default
    write(
        db_path,
        "Cy",
        [
            {
                "start_local": at(0, 21),
                "sport_type": "Weight Training",
                "name": "Max",
                "minutes": 40,
                "rpe": 10,
            }
        ],
    )
    again = scored(db_path, "Cy", D - timedelta(days=20))
    assert (again["Late"], again["Evening class"]) == (got["Late"], got["Evening class"])


def test_runs_without_heart_rate_score_at_the_athletes_heart_rate_median(db_path):
    # 10 runs of 30 min at average HR 150 with HRmax set to 180 (HRrest 60): HRr 0.75, TRIMP per minute
    # 0.75 x 0.64 x e^1.44 x 2.5 = 5.06484; their median is that. A 30-min run without HR after them:
    # 30 x 5.06484 = 151.95 (the table would give 30 x 5 = 150). A golf round keeps its own table row.
    rows = [
        {"start_local": at(12 - i), "sport_type": "Run", "name": f"Run {i}", "minutes": 30, "avg_hr": 150}
        for i in range(10)
    ]
    rows.append({"start_local": at(0), "sport_type": "Run", "name": "No strap", "minutes": 30})
    rows.append({"start_local": at(0, 15), "sport_type": "Golf", "name": "Golf", "minutes": 60})
    write(db_path, "Dee", rows)
    with connect(db_path) as con:
        con.execute("update athletes set hr_max = 180 where name = 'Dee'")
    per_minute = 0.75 * 0.64 * math.exp(1.44) * 2.5
    got = scored(db_path, "Dee")
    assert got["No strap"][0] == pytest.approx(30 * per_minute, abs=1e-3)
    assert got["No strap"][0] == pytest.approx(151.945, abs=1e-3)
    assert got["Golf"][0] == 120.0


def test_no_session_counts_as_zero_for_lack_of_heart_rate(db_path):
    # 10 rides whose average HR (55) is below resting (60): HRr 0, each scores 0 by heart rate and measures
    # nothing, so none counts toward the own median. A 60-minute ride without HR keeps the table's
    # 60 x 4 = 240, never 0; a Pilates class without HR 45 x 4 = 180.
    rows = [
        {"start_local": at(12 - i), "sport_type": "Ride", "name": f"Spin {i}", "minutes": 30, "avg_hr": 55}
        for i in range(10)
    ]
    rows.append({"start_local": at(0), "sport_type": "Ride", "name": "No strap", "minutes": 60})
    rows.append({"start_local": at(0, 18), "sport_type": "Pilates", "name": "Mat class", "minutes": 45})
    write(db_path, "Eve", rows)
    got = scored(db_path, "Eve")
    assert got["No strap"] == (240.0, "default", False)
    assert got["Mat class"] == (180.0, "default", False)


def test_the_own_median_follows_the_last_20_sessions(db_path):
    # 20 Pilates classes rated 8, then 20 rated 3 (40 min each, one a day), then one unrated class of
    # 40 min: the median of the last 20 is 3 -> 40 x 3 = 120 (over all 40 it would be (3 + 8) / 2 = 5.5).
    rows = [
        {"start_local": at(45 - i), "sport_type": "Pilates", "name": f"Class {i}", "minutes": 40, "rpe": r}
        for i, r in enumerate([8] * 20 + [3] * 20)
    ]
    rows.append({"start_local": at(0), "sport_type": "Pilates", "name": "Unrated", "minutes": 40})
    write(db_path, "Flo", rows)
    assert scored(db_path, "Flo")["Unrated"] == (120.0, "default", False)
    wider = scored(db_path, "Flo", settings={"load": {"own_median_last": 40}})
    assert wider["Unrated"][0] == 40 * 5.5


def test_a_fractional_own_median_last_counts_the_next_whole_number_of_sessions(db_path):
    # 10 Pilates classes rated 8, then one rated 2 and one rated 4, then one unrated class of 40 min:
    # the last 2.5 sessions are the last 3 (8, 2, 4: median 4 -> 160), the last 2 are (2, 4): 3 -> 120.
    rows = [
        {"start_local": at(20 - i), "sport_type": "Pilates", "name": f"Class {i}", "minutes": 40, "rpe": r}
        for i, r in enumerate([8] * 10 + [2, 4])
    ]
    rows.append({"start_local": at(0), "sport_type": "Pilates", "name": "Unrated", "minutes": 40})
    write(db_path, "Gus", rows)
    for last, load in ((2.5, 160.0), (3, 160.0), (2, 120.0), (1, 160.0)):
        got = scored(db_path, "Gus", settings={"load": {"own_median_last": last}})
        assert got["Unrated"] == (load, "default", False), last
