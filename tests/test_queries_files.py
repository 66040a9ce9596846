"""What activity files add to the analytics: load from HR samples, zones, hip sets, the moderate-zone
warning. Files are generated, imported with the real CLI, and the report read from the real DuckDB file."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta

import pytest
from activity_files import fit_activity, fit_strength, strength_set

import queries
from ingest.database.db import connect
from queries import engine
from queries.params import resolve

START = datetime(2026, 11, 16, 7, 0, tzinfo=UTC)  # a Monday, 08:00 in Berlin
AS_OF = date(2026, 11, 22)


def _trimp_min(minutes: float, hrr: float) -> float:
    """Banister 1991, men's constants, crosstrain's scale 2.5 (queries/params.py)."""
    return minutes * hrr * 0.64 * math.exp(1.92 * hrr) * 2.5


def _load(db, settings=None) -> dict[int, tuple]:
    with connect(db, read_only=True) as con:
        params = resolve(settings or {})
        engine.prepare_scope(con, None, params)
        engine.prepare_sessions(con, params, engine.EPOCH, AS_OF)
        return {
            r[0]: r[1:]
            for r in con.execute(
                "select activity_id, category, load, load_source from q_session_load"
            ).fetchall()
        }


def _report(db, athlete="Ana"):
    with connect(db, read_only=True) as con:
        return queries.report(con, athlete, AS_OF, {})


def test_load_is_banister_trimp_summed_over_the_samples_and_follows_the_settings(run_cli, db_path, tmp_path):
    # 10 min at 190 bpm, then 20 min at 150: HRmax 190 (the athlete's highest), HRrest 60 (default)
    f = fit_activity(tmp_path / "run.fit", START, 1800, hr=lambda i: 190 if i < 600 else 150)
    assert run_cli("import", "--athlete", "Ana", str(f)).exit_code == 0
    [(category, load, source)] = _load(db_path).values()
    assert (category, source) == ("run", "hr_samples")
    assert load == pytest.approx(_trimp_min(10, 1.0) + _trimp_min(20, 90 / 130))  # 109.1 + 83.7
    # a new resting HR recomputes the load from the stored samples, without the file
    f.unlink()
    [(_, load50, _)] = _load(db_path, {"load": {"hr_rest": 50}}).values()
    assert load50 == pytest.approx(_trimp_min(10, 1.0) + _trimp_min(20, 100 / 140))


def test_watch_rpe_gives_session_rpe_load_and_strength_never_uses_heart_rate(run_cli, db_path, tmp_path):
    lift = fit_strength(
        tmp_path / "lift.fit",
        START,
        2400,
        hr=lambda i: 120,
        rpe=6,
    )
    plain = fit_strength(
        tmp_path / "gym.fit",
        START + timedelta(days=1),
        1200,
        hr=lambda i: 170,
    )
    assert run_cli("import", "--athlete", "Ana", str(lift), str(plain)).exit_code == 0
    loads = sorted(_load(db_path).values(), key=lambda r: r[1])
    assert loads[1] == ("strength", 6 * 40.0, "rpe")  # RPE 6 x 40 min (Foster 2001)
    assert loads[0][0] == "strength" and loads[0][2] != "hr_samples"


def test_hip_sets_zones_and_the_support_advice(run_cli, db_path, tmp_path):
    day = timedelta(days=1)
    sets = [strength_set("squat", 2, 8, 60.0, START + day + timedelta(minutes=i)) for i in range(3)]
    sets += [strength_set("hip_raise", 0, 12, 40.0, START + day + timedelta(minutes=5))]
    sets += [strength_set("curl", 0, 10, 10.0, START + day + timedelta(minutes=8))]
    fit_strength(
        tmp_path / "lift.fit",
        START + day,
        1200,
        hr=lambda i: 110,
        sets=sets,
    )
    # 10 min at 190 (zone 5: >= 92% of HRmax 190), 20 min at 150 (79%: zone 2)
    fit_activity(tmp_path / "run.fit", START, 1800, hr=lambda i: 190 if i < 600 else 150)
    assert run_cli("import", "--athlete", "Ana", str(tmp_path)).exit_code == 0
    assert (
        run_cli("import", "--athlete", "Bo", str(fit_activity(tmp_path / "bo.fit", START, 600))).exit_code
        == 0
    )
    with connect(db_path) as con:  # the athlete's HRmax, as `athletes set --hr-max 190` stores it
        con.execute("update athletes set hr_max = 190 where name = 'Ana'")
    rep = _report(db_path)
    assert rep["summary"]["hip_sets"] == 4  # 3 squats + 1 hip raise; the curl is not hip work
    week = [w for w in rep["weeks"] if w["week"] == "2026-11-16"][0]
    # 20 min low and 10 high from the run; the strength session's heart rate is not endurance intensity
    assert week["intensity"] == {"low": 20.0, "moderate": 0.0, "high": 10.0}
    assert _report(db_path, "Bo")["summary"]["hip_sets"] is None  # no set data: unknown, not 0
    with connect(db_path, read_only=True) as con:
        rows = {r["athlete"]: r for r in queries.compare(con, AS_OF, {})["athletes"]}
    assert rows["Ana"]["hip_sets"] == 4 and rows["Bo"]["hip_sets"] is None


def test_support_advice_counts_hip_sets(run_cli, db_path, tmp_path):
    sets = [strength_set("lunge", 0, 10, 20.0, START - timedelta(days=20))]
    fit_strength(
        tmp_path / "lift.fit",
        START - timedelta(days=20),
        600,
        sets=sets,
    )
    for d in range(7):
        fit_activity(
            tmp_path / f"run{d}.fit", START + timedelta(days=d) - timedelta(days=7), 3000, hr=lambda i: 140
        )
    assert run_cli("import", "--athlete", "Ana", str(tmp_path)).exit_code == 0
    rep = _report(db_path)
    [support] = [w for w in rep["warnings"] if w["code"] == "low_support_share"]
    assert support["message"].endswith(
        "1 hip and glute sets in 28 days; about 48 is crosstrain's suggestion "
        "(a convention, not a tested dose)."
    )


def test_almost_everything_moderate_is_flagged(run_cli, db_path, tmp_path):
    # HRmax 190 from one minute; 160 bpm is 84% of it: Seiler 2010's zone 3, moderate (82-87%)
    for d in range(3):
        fit_activity(
            tmp_path / f"r{d}.fit", START + timedelta(days=d), 3600, hr=lambda i: 190 if i < 60 else 160
        )
    assert run_cli("import", "--athlete", "Ana", str(tmp_path)).exit_code == 0
    rep = _report(db_path)
    [w] = [w for w in rep["warnings"] if w["code"] == "moderate_intensity"]
    assert w["severity"] == "info" and w["message"].startswith("98% of 180 minutes")
    assert "Seiler" in w["advice"]
    with connect(db_path, read_only=True) as con:
        assert "moderate_intensity" in queries.compare(con, AS_OF, {})["athletes"][0]["warnings"]
        # its thresholds are settings: 98% is under a share of 0.99, 180 minutes under a floor of 200
        for setting in ({"moderate_share": 0.99}, {"moderate_min_minutes": 200}):
            rep = queries.report(con, "Ana", AS_OF, {"thresholds": setting})
            assert "moderate_intensity" not in {w["code"] for w in rep["warnings"]}


def _interval_speed(i: int) -> float:
    """3 m/s, with five 90-s bouts at 3.6 each followed by 90 s at 2.4 (mean speed still 3.0)."""
    if 600 <= i < 2400 and ((i - 600) // 90) % 2 == 0 and (i - 600) // 180 < 5:
        return 3.6
    if 600 <= i < 2400 and (i - 600) // 180 < 5:
        return 2.4
    return 3.0


def test_pace_structure_from_the_samples_counts_as_a_quality_run(run_cli, db_path, tmp_path):
    # four steady 50-min runs at 3 m/s ("Easy run" by name): all alike -> monotone_runs
    for d in range(4):
        fit_activity(tmp_path / f"r{d}.fit", START + timedelta(days=d), 3000)
    assert run_cli("import", "--athlete", "Ana", str(tmp_path)).exit_code == 0
    assert "monotone_runs" in [w["code"] for w in _report(db_path)["warnings"]]
    # the same distance and time, but intervals in the samples: no longer monotone
    f = fit_activity(tmp_path / "intervals.fit", START + timedelta(days=5), 3000, speed=_interval_speed)
    assert run_cli("import", "--athlete", "Ana", str(f)).exit_code == 0
    with connect(db_path, read_only=True) as con:
        assert con.execute(
            "select structure, count(*) from activity_files group by 1 order by 1"
        ).fetchall() == [
            ("intervals", 1),
            ("steady", 4),
        ]
    assert "monotone_runs" not in [w["code"] for w in _report(db_path)["warnings"]]


def test_activity_fields_for_the_listing(run_cli, db_path, tmp_path):
    sets = [strength_set("deadlift", 0, 6, 100.0, START + timedelta(days=1))]
    fit_strength(
        tmp_path / "lift.fit",
        START + timedelta(days=1),
        600,
        hr=lambda i: 100,
        sets=sets,
    )
    fit_activity(tmp_path / "run.fit", START, 1800, hr=lambda i: 190 if i < 600 else 150)
    assert run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(tmp_path)).exit_code == 0
    listed = run_cli("activities", "list", "--athlete", "Ana", "--json")
    assert listed.exit_code == 0, listed.output
    keys = ("timezone", "load_source", "zones_s", "structure", "exercises")
    run, lift = ({k: a[k] for k in keys} for a in json.loads(listed.output))
    assert run == {
        "timezone": "Europe/Berlin",
        "load_source": "hr_samples",
        "zones_s": [0.0, 1200.0, 0.0, 0.0, 600.0],
        "structure": "steady",
        "exercises": [],
    }
    assert lift["timezone"] is None and lift["structure"] is None and lift["load_source"] != "hr_samples"
    assert lift["exercises"] == [
        {"category": "deadlift", "name": "barbell_deadlift", "reps": 6, "weight_kg": 100.0}
    ]
