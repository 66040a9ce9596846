"""Warnings a coach can trust (issue 10), each rule on a hand-computed case in a real DuckDB file."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta

import pytest
from activity_rows import write
from click.testing import CliRunner

import queries
from crosstrain.cli import cli
from ingest.database.db import connect

D = date(2026, 11, 22)


def at(days_before: int, hour: int = 7) -> datetime:
    return datetime.combine(D - timedelta(days=days_before), datetime.min.time()).replace(hour=hour)


def run(days_before: int, minutes: float = 30, km: float | None = None, **extra) -> dict:
    return {
        "start_local": at(days_before),
        "sport_type": "Run",
        "minutes": minutes,
        "km": km if km is not None else minutes / 6,
        **extra,
    }


def session(days_before: int, sport: str, minutes: float = 60, **extra) -> dict:
    return {"start_local": at(days_before, 18), "sport_type": sport, "minutes": minutes, **extra}


def report(db, athlete: str, settings: dict | None = None, as_of: date = D) -> dict:
    with connect(db, read_only=True) as con:
        return queries.report(con, athlete, as_of, settings or {})


def codes(rep: dict) -> dict[str, str]:
    return {w["code"]: w["severity"] for w in rep["warnings"]}


def loads(db, athlete: str, start: date, end: date = D) -> dict[int, float]:
    with connect(db, read_only=True) as con:
        df = queries.sessions(con, athlete, start, end, {})
    return {int(r.activity_id): float(r.load) for r in df.itertuples()}


def set_athlete(db, name: str, **values) -> None:
    """What `crosstrain athletes set` stores (helper "store" owns the command); here in plain SQL."""
    with connect(db) as con:
        for column, value in values.items():
            con.execute(f"update athletes set {column} = ? where name = ?", [value, name])


# 1. Load for support work ------------------------------------------------------------------------


def test_strength_session_with_heart_rate_gets_its_srpe_or_default_load(db_path):
    # 58 min of strength at an average of 122 bpm, no RPE: minutes x strength's default intensity,
    # 58 x 5 = 290 (average-HR TRIMP would give ~103). With RPE 6: 6 x 58 = 348. A run with the same
    # heart rate keeps its TRIMP: HRmax 190 (no reading), HRrest 60, HRr = 62 / 130 = 0.476923,
    # 58 x 0.476923 x 0.64 x e^(1.92 x 0.476923) x 2.5 = 110.58.
    write(
        db_path,
        "Sam",
        [
            session(2, "WeightTraining", 58, avg_hr=122),
            session(1, "Pilates", 50, avg_hr=110),
            session(0, "WeightTraining", 58, avg_hr=122, rpe=6),
            run(0, 58, avg_hr=122),
        ],
    )
    with connect(db_path, read_only=True) as con:
        df = queries.sessions(con, "Sam", D - timedelta(days=2), D, {})
    got = sorted((r.category, round(r.load, 2)) for r in df.itertuples())
    hrr = 62 / 130
    assert got == [
        ("pilates", 200.0),  # 50 x 4: heart rate ignored
        ("run", round(58 * hrr * 0.64 * math.exp(1.92 * hrr) * 2.5, 2)),
        ("strength", 290.0),
        ("strength", 348.0),
    ]
    assert got[1][1] == pytest.approx(110.58, abs=0.01)


# 2. Heart-rate settings per athlete ---------------------------------------------------------------


def test_womens_trimp_constants_and_the_athletes_own_hr_settings(db_path):
    # Fay: sex f, HRmax 180, HRrest 50 (set). HRr = (150 - 50) / (180 - 50) = 0.769231.
    # Banister's women's constants: 40 x 0.769231 x 0.86 x e^(1.67 x 0.769231) x 2.5 = 239.03
    # (men's 0.64, 1.92 would give 215.60; the defaults HRrest 60, HRmax = max_hr 195 something else).
    write(db_path, "Fay", [run(0, 40, avg_hr=150, max_hr=195)])
    set_athlete(db_path, "Fay", sex="f", hr_max=180.0, hr_rest=50.0)
    [load] = loads(db_path, "Fay", D).values()
    assert load == pytest.approx(239.03, abs=0.01)
    set_athlete(db_path, "Fay", sex="m")
    [load] = loads(db_path, "Fay", D).values()
    assert load == pytest.approx(215.60, abs=0.01)


@pytest.mark.parametrize("glitch", [250, 215])
def test_one_glitchy_max_hr_reading_changes_no_other_load(db_path, glitch):
    # Runs of 40 min at 150 bpm with max HR 180, 178, 175: HRmax = 180 (178 is within 10 bpm of it).
    # HRr = (150 - 60) / (180 - 60) = 0.75 -> 40 x 0.75 x 0.64 x e^1.44 x 2.5 = 202.59 each.
    # A glitch (250: above 220, ignored; 215: 35 bpm above every other session, unconfirmed) must
    # change no other session's load by more than 1% (here: not at all).
    write(db_path, "Gil", [run(d, 40, avg_hr=150, max_hr=m) for d, m in ((9, 180), (6, 178), (3, 175))])
    before = loads(db_path, "Gil", D - timedelta(days=9))
    assert list(before.values()) == pytest.approx([202.59] * 3, abs=0.01)
    write(db_path, "Gil", [run(1, 40, avg_hr=150, max_hr=glitch)])
    after = loads(db_path, "Gil", D - timedelta(days=9))
    assert len(after) == 4
    for activity_id, load in before.items():
        assert after[activity_id] == pytest.approx(load, rel=0.01)
        assert after[activity_id] == pytest.approx(202.59, abs=0.01)


def test_a_new_confirmed_maximum_does_count(db_path):
    # 186 and 184 come within 10 bpm of each other: HRmax 186. HRr = 90 / 126 = 0.714286,
    # 40 x 0.714286 x 0.64 x e^(1.92 x 0.714286) x 2.5 = 180.16.
    write(db_path, "Hal", [run(d, 40, avg_hr=150, max_hr=m) for d, m in ((5, 186), (2, 184), (1, 170))])
    hrr = 90 / 126
    expected = 40 * hrr * 0.64 * math.exp(1.92 * hrr) * 2.5
    assert list(loads(db_path, "Hal", D - timedelta(days=5)).values()) == pytest.approx([expected] * 3)
    assert expected == pytest.approx(180.16, abs=0.01)


# 3. ACWR after a break ----------------------------------------------------------------------------


def test_a_single_jog_after_two_months_off_is_not_a_spike(db_path):
    # Runs of 30 min every other day from day -120 to -60, then one 23-minute jog on as_of.
    # 7-day load 23 x 5 = 115 = the 28-day load: ACWR 115 / (115 / 4) = 4.0, but 1 active day of the
    # 28 is below the floor (8): no acwr_spike; the first week back gets an info note instead.
    write(db_path, "Jo", [run(d) for d in range(60, 121, 2)] + [run(0, 23)])
    rep = report(db_path, "Jo")
    assert rep["summary"]["acwr"] == 4.0
    assert codes(rep) == {"return_after_break": "info"}
    note = rep["warnings"][0]
    assert "60 days" in note["message"] and "gradually" in note["advice"]
    assert rep["summary"]["risk"] == "green"


def test_a_real_spike_above_the_floor_is_still_flagged(db_path):
    # 10 runs of 30 min (load 150) on days -27, -25, ..., -9, then 5 runs of 60 min (300) in the last
    # week: 7-day 1500, 28-day 3000 -> ACWR 1500 / 750 = 2.0 > 1.5 (warn; high only above 2.0);
    # 15 active days >= 8.
    rows = [run(d, 30, km=0) for d in range(9, 28, 2)] + [run(d, 60, km=0) for d in (0, 1, 2, 4, 5)]
    write(db_path, "Kim", rows)
    rep = report(db_path, "Kim")
    assert rep["summary"]["acwr"] == 2.0
    assert codes(rep)["acwr_spike"] == "warn"
    assert "return_after_break" not in codes(rep)


def test_ewma_acwr_setting(db_path):
    # Williams et al. 2017's EWMAs, alpha = 2 / (N + 1): acute a = 2/8, chronic c = 2/29, each divided by
    # the weight its zero seed leaves out after n days, 1 - (1 - a)^n. Runs with RPE 5: 20 min (load 100)
    # the day before as_of, the athlete's first day, and 40 min (200) on as_of (n = 2):
    # acute = 0.25 x (0.75 x 100 + 200) / (1 - 0.75^2) = 68.75 / 0.4375 = 157.142857;
    # chronic = c x ((1 - c) x 100 + 200) / (1 - (1 - c)^2) = 151.785714; ratio 1.035294.
    write(db_path, "Eve", [run(1, 20, rpe=5), run(0, 40, rpe=5)])
    rep = report(db_path, "Eve", {"acwr_model": "ewma"})
    assert rep["summary"]["acwr"] == pytest.approx(1.035294, abs=0.006)
    assert rep["thresholds"]["acwr_model"] == "ewma"
    assert report(db_path, "Eve")["summary"]["acwr"] == 4.0  # rolling: 300 / (300 / 4)


@pytest.mark.parametrize("days", [1, 28, 90])
def test_ewma_acwr_of_a_constant_load_reads_one(db_path, days):
    # The same 30-minute run at RPE 5 (load 150) every day for `days` days: acute and chronic seeded
    # from the first day, so the ratio is 1.0 from day one (unseeded it read 1.16 on day 28).
    write(db_path, "Cal", [run(d, 30, rpe=5) for d in range(days)])
    rep = report(db_path, "Cal", {"acwr_model": "ewma"})
    assert rep["summary"]["acwr"] == 1.0
    with connect(db_path, read_only=True) as con:
        [row] = queries.compare(con, D, {"acwr_model": "ewma"})["athletes"]
    assert row["acwr"] == 1.0


def test_ewma_acwr_compare_equals_report(db_path):
    rows = [run(d, 30 + d % 5 * 10) for d in range(0, 90, 2)] + [
        session(d, "Pilates") for d in range(1, 90, 5)
    ]
    write(db_path, "Ann", rows)
    settings = {"acwr_model": "ewma"}
    with connect(db_path, read_only=True) as con:
        [row] = queries.compare(con, D, settings)["athletes"]
    assert row["acwr"] == report(db_path, "Ann", settings)["summary"]["acwr"]
    assert row["acwr"] is not None and row["acwr"] != report(db_path, "Ann")["summary"]["acwr"]


# 4. Support-work warnings are for runners ---------------------------------------------------------


def test_a_cyclist_who_runs_now_and_then_gets_no_support_warning(db_path):
    # 12 rides of 60 min and 2 runs of 30 min in 28 days: 2 runs < 4 and running is
    # 60 / 780 = 7.7% of the minutes < 25%: not a runner, so neither support warning.
    rides = [session(d, "Ride", 60) for d in range(0, 28) if d % 7 not in (2, 5)][:12]
    write(db_path, "Cy", rides + [run(3), run(17)])
    rep = report(db_path, "Cy")
    assert rep["summary"]["sessions"]["cross"] == 12 and rep["summary"]["sessions"]["run"] == 2
    assert "no_support_work" not in codes(rep) and "low_support_share" not in codes(rep)


def test_a_runner_who_rides_gets_them(db_path):
    # 4 runs of 45 min and 12 rides of 30 min: 4 runs and 180 / 540 = 33% of the minutes: a runner.
    rides = [session(d, "Ride", 30) for d in range(0, 28) if d % 7 not in (2, 5)][:12]
    write(db_path, "Ru", rides + [run(d, 45) for d in (2, 9, 16, 23)])
    assert {"no_support_work", "low_support_share"} <= set(codes(report(db_path, "Ru")))


# 5. Inactive athletes and unlabelled sessions ------------------------------------------------------


def test_inactive_athlete_is_never_green_and_comes_last(db_path, run_cli):
    # Gone ran every other day until day -20: no activity in the last 14 days -> inactive, since
    # 2026-11-02, no warnings; Ann ran on day 1 and is active.
    write(db_path, "Gone", [run(d) for d in range(20, 60, 2)])
    write(db_path, "Ann", [run(1), session(2, "Pilates")])
    s = report(db_path, "Gone")["summary"]
    assert (s["last_activity"], s["active"], s["risk"]) == ("2026-11-02", False, "inactive")
    assert report(db_path, "Gone")["warnings"] == []
    # 13 days after the last run it is still active (14 days counting as_of)
    assert report(db_path, "Gone", as_of=date(2026, 11, 15))["summary"]["active"] is True
    out = json.loads(run_cli("compare", "--as-of", "2026-11-22", "--json").output)
    assert [(a["athlete"], a["risk"]) for a in out["athletes"]] == [("Ann", "green"), ("Gone", "inactive")]
    text = run_cli("compare", "--as-of", "2026-11-22").output
    assert "inactive since 2026-11-02" in text and text.index("Ann") < text.index("Gone")
    assert (
        "inactive since 2026-11-02" in run_cli("report", "--athlete", "Gone", "--as-of", "2026-11-22").output
    )
    # history that starts after --as-of: no data yet
    early = run_cli("report", "--athlete", "Ann", "--as-of", "2026-01-01").output
    assert "no data yet" in early and "risk inactive" in early


def test_inactive_days_is_a_setting(db_path):
    write(db_path, "Gone", [run(20)])
    assert report(db_path, "Gone", {"thresholds": {"inactive_days": 30}})["summary"]["active"] is True


def test_unlabelled_gym_classes_are_named_and_counted(db_path):
    # A runner (6 runs of 30 min) who went to 8 gym classes typed "Workout" with a name that matches
    # no keyword: they land in `other`, so no support work is seen; one "Workout" named "Glutes and
    # squats" is strength, so it is labelled. unlabelled_sessions (info) names and counts the 8, and
    # while they are unlabelled neither no_support_work nor low_support_share is raised (we don't know).
    classes = [
        session(d, "Workout", 45, name="M\u201dA\u201dDabolic Tuesday") for d in (0, 3, 7, 10, 14, 17, 21, 24)
    ]
    runs = [run(d) for d in (1, 5, 9, 13, 19, 25)]
    write(db_path, "Mo", classes + runs + [session(40, "Workout", 30, name="Glutes and squats")])
    rep = report(db_path, "Mo")
    assert rep["summary"]["sessions"]["other"] == 8
    found = {w["code"]: w for w in rep["warnings"]}
    assert found["unlabelled_sessions"]["severity"] == "info"
    message = found["unlabelled_sessions"]["message"]
    assert message.startswith("8 sessions of the last 28 days")
    assert '"M\u201dA\u201dDabolic Tuesday" x8' in message
    assert "crosstrain activities set ID --category" in found["unlabelled_sessions"]["advice"]
    assert "[category_keywords]" in found["unlabelled_sessions"]["advice"]
    assert "recategorise" in found["unlabelled_sessions"]["advice"]
    assert "no_support_work" not in found and "low_support_share" not in found
    assert rep["summary"]["risk"] != "red"
    # the same runs without the classes: nothing to ask about, and no support work in the 25 days since
    # the first run (warn from 14, high from 28)
    write(db_path, "Ned", runs)
    assert codes(report(db_path, "Ned"))["no_support_work"] == "warn"
    # the sessions frame marks them, for the dashboard's category picker
    with connect(db_path, read_only=True) as con:
        df = queries.sessions(con, "Mo", D - timedelta(days=40), D, {})
    assert df["unlabelled"].sum() == 8 and set(df[df["unlabelled"]]["name"]) == {
        "M\u201dA\u201dDabolic Tuesday"
    }
    assert not df[df["name"] == "Glutes and squats"]["unlabelled"].any()


# 7. Thresholds in force, returned with the report ---------------------------------------------------


def test_report_and_compare_return_the_thresholds_in_force(db_path):
    write(db_path, "Ann", [run(1)])
    rep = report(db_path, "Ann", {"thresholds": {"support_share_low": 0.2, "monotony_warn": 1.7}})
    t = rep["thresholds"]
    assert (t["support_share_target"], t["monotony_warn"], t["monotony_high"]) == (0.2, 1.7, 2.0)
    assert (t["acwr_low"], t["acwr_high"], t["acwr_model"]) == (0.8, 1.5, "rolling")
    with connect(db_path, read_only=True) as con:
        assert queries.compare(con, D, {})["thresholds"]["support_share_target"] == 0.1


def test_report_text_never_formats_a_null(db_path, run_cli):
    # An infinite distance (stored before the plausibility rules, which now refuse it on the way in)
    # gives a non-finite run km: the JSON says null and the text prints a dash instead of crashing.
    write(db_path, "Inf", [run(1, 30), run(3)])
    with connect(db_path) as con:
        con.execute("update activities set distance_m = 'inf'::double where start_local = ?", [at(1)])
    rep = json.loads(run_cli("report", "--athlete", "Inf", "--as-of", "2026-11-22", "--json").output)
    assert rep["summary"]["run_km"] is None
    result = run_cli("report", "--athlete", "Inf", "--as-of", "2026-11-22")
    assert result.exit_code == 0 and "run distance" in result.output
    assert run_cli("compare", "--as-of", "2026-11-22").exit_code == 0


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "1969-12-31", "9999-12-31"])
def test_as_of_out_of_range_is_one_line(db_path, run_cli, day):
    # issue 11: dates from 1970 to a year ahead; far outside, date arithmetic would overflow
    write(db_path, "Ann", [run(1)])
    for args in (["report", "--athlete", "Ann"], ["compare"]):
        result = CliRunner().invoke(cli, ["--db", str(db_path), *args, "--as-of", day])
        assert result.exit_code != 0 and "Traceback" not in result.output
        assert f"date {day} is out of range" in result.output and len(result.output.strip().splitlines()) == 1
    assert run_cli("report", "--athlete", "Ann", "--as-of", "1970-01-01").exit_code == 0


# 8. Intensity of runs from RPE or heart rate (issue 18 item 7) --------------------------------------


def test_hard_every_run(db_path):
    # Runs with an RPE: load per minute = the RPE, hard from 5 (hard_run_intensity). 8 rated runs in
    # 28 days, 5 at RPE 6 and 3 at RPE 3: 5 / 8 = 62.5% >= 60% (hard_runs_share) and 8 >= 6 rated ->
    # hard_every_run (info). Runs without RPE or HR (4 here) are not rated.
    days = (1, 4, 7, 10, 13, 16, 19, 22)
    unrated = [run(d) for d in (2, 5, 8, 11)]
    write(db_path, "Hal", [run(d, rpe=6 if i < 5 else 3) for i, d in enumerate(days)] + unrated)
    rep = report(db_path, "Hal")
    assert codes(rep)["hard_every_run"] == "info"
    message = next(w["message"] for w in rep["warnings"] if w["code"] == "hard_every_run")
    assert message.startswith("5 of the 8 runs with an RPE or heart rate")
    # 4 of 8 hard: 50% < 60% -> nothing
    write(db_path, "Ida", [run(d, rpe=6 if i < 4 else 3) for i, d in enumerate(days)])
    assert "hard_every_run" not in codes(report(db_path, "Ida"))
    # every run hard, but only 5 rated (< 6): too few to say
    write(db_path, "Jon", [run(d, rpe=7) for d in days[:5]])
    assert "hard_every_run" not in codes(report(db_path, "Jon"))


def test_easy_runs_that_are_not_easy(db_path):
    # Runs named easy (easy_run_keywords) with an RPE: 2 of 4 at RPE 6 (>= 5: not easy) -> 50% >=
    # easy_runs_hard_share (0.5), 4 >= 3 rated -> easy_runs_hard (info). A German "Lockerer Lauf" is easy
    # by name too.
    named = ["Easy run", "Recovery jog", "Lockerer Lauf", "Easy run"]
    rpes = [6, 6, 3, 3]
    write(
        db_path, "Kai", [run(d, name=n, rpe=r) for d, n, r in zip((2, 6, 10, 14), named, rpes, strict=True)]
    )
    rep = report(db_path, "Kai")
    assert codes(rep)["easy_runs_hard"] == "info"
    message = next(w["message"] for w in rep["warnings"] if w["code"] == "easy_runs_hard")
    assert message.startswith("2 of the 4 runs named easy or recovery")
    # 1 of 4: 25% -> nothing; 2 easy runs both hard: too few (< 3)
    write(db_path, "Lee", [run(d, name="Easy run", rpe=6 if d == 2 else 3) for d in (2, 6, 10, 14)])
    assert "easy_runs_hard" not in codes(report(db_path, "Lee"))
    write(db_path, "Max", [run(d, name="Easy run", rpe=6) for d in (2, 6)])
    assert "easy_runs_hard" not in codes(report(db_path, "Max"))


def test_no_acwr_flag_over_weeks_with_almost_no_training(db_path):
    # RPE 5 runs: one 10-min run (load 50) on days -27 and -17, 30 min a day on days -13..-7 (1050),
    # 60 min a day in the last 7 (2100). 28-day load 3250, mean week 812.5: two of the 3 weeks before the
    # last 7 hold under 25% of it (acwr_thin_week_share; acwr_thin_weeks = 2) -> not established. ACWR
    # 2100 / 812.5 = 2.58 would be a high spike; instead return_after_break (info) names the weeks. The
    # longest gap is 9 days (-26..-18).
    rows = [run(27, 10, rpe=5), run(17, 10, rpe=5)] + [run(d, 30, rpe=5) for d in range(7, 14)]
    rows += [run(d, 60, rpe=5) for d in range(7)]
    write(db_path, "Ola", rows)
    rep = report(db_path, "Ola")
    assert rep["summary"]["acwr"] == pytest.approx(2.585, abs=0.005)
    found = codes(rep)
    assert "acwr_spike" not in found and found["return_after_break"] == "info"
    note = next(w["message"] for w in rep["warnings"] if w["code"] == "return_after_break")
    assert "2 weeks of the 3 before the last 7 held almost no training" in note
    # one empty week and a ramp back (a January challenge after a run on day -40: 0, 1050, 1050, 2100):
    # 28-day load 4200, ACWR 2100 / 1050 = 2.0, 7 empty days at the window's start (no 10-day gap): a
    # real spike (warn)
    full = (
        [run(40, 30, rpe=5)]
        + [run(d, 30, rpe=5) for d in range(7, 21)]
        + [run(d, 60, rpe=5) for d in range(7)]
    )
    write(db_path, "Pam", full)
    rep = report(db_path, "Pam")
    assert rep["summary"]["acwr"] == 2.0
    assert codes(rep)["acwr_spike"] == "warn" and "return_after_break" not in codes(rep)


def test_no_monotony_warning_on_a_light_week(db_path):
    # A 20-minute walk at RPE 2 every day: daily load 40, SD 0 -> monotony 10, but the 7-day load 280 is
    # under monotony_min_load_7d (600): no warning. 30 minutes at RPE 5 a day (1050): high.
    write(db_path, "Wil", [session(d, "Walk", 20, rpe=2) for d in range(7)])
    rep = report(db_path, "Wil")
    assert rep["summary"]["monotony"] == 10.0 and "high_monotony" not in codes(rep)
    write(db_path, "Xan", [session(d, "Walk", 30, rpe=5) for d in range(7)])
    assert codes(report(db_path, "Xan"))["high_monotony"] == "high"


def test_support_share_just_under_the_target_never_reads_as_met(db_path):
    # 9 runs of 50 min and one 49-min strength session: 49 / 499 = 9.82% < 10% -> "9.8%", not "10%".
    write(db_path, "Yul", [run(d, 50) for d in range(1, 27, 3)] + [session(2, "WeightTraining", 49)])
    [w] = [w for w in report(db_path, "Yul")["warnings"] if w["code"] == "low_support_share"]
    assert w["message"].startswith(
        "Support work (strength, Pilates, mobility) was 9.8% of 499 training minutes"
    )
