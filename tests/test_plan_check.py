"""`crosstrain plan check`: hand-computed projections over a real database, and the same numbers as the
report gives once the planned sessions are done."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from activity_rows import write

from ingest.database.db import connect
from queries import report

S = date(2026, 11, 1)  # a Sunday: the last day of done history (--as-of)


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour)


def history(db: Path, weeks: int, km: float = 8.0, minutes: float = 40.0, strength_days=(1,)) -> None:
    """`weeks` weeks up to S: runs Mon/Wed/Fri (`km`, `minutes`), 30 min strength on `strength_days`."""
    rows = []
    for d in range(weeks * 7):
        day = S - timedelta(days=d)
        if day.weekday() in (0, 2, 4):
            rows.append(
                {"start_local": at(day), "sport_type": "Run", "minutes": minutes, "km": km, "name": "Run"}
            )
        if day.weekday() in strength_days:
            rows.append({"start_local": at(day, 18), "sport_type": "Weight Training", "minutes": 30})
    write(db, "Ann", rows)


def hr160_runs(db: Path) -> None:
    """Ann's six weeks of done runs: 40 min, 8 km at HR 160 on Mondays, Wednesdays and Fridays."""
    rows = [
        {"start_local": at(S - timedelta(days=d)), "sport_type": "Run", "minutes": 40, "km": 8, "name": "Run"}
        | {"avg_hr": 160}
        for d in range(42)
        if (S - timedelta(days=d)).weekday() in (0, 2, 4)
    ]
    write(db, "Ann", rows)


def plan_csv(tmp_path: Path, rows: list[tuple]) -> Path:
    """A plan CSV: rows of (day offset from S, type, minutes, km or None, name)."""
    lines = ["date,type,duration,distance_km,name"]
    for offset, kind, minutes, km, name in rows:
        lines.append(f"{S + timedelta(days=offset)},{kind},{minutes * 60},{'' if km is None else km},{name}")
    path = tmp_path / "plan.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def check(run_cli) -> dict:
    result = run_cli("plan", "check", "--athlete", "Ann", "--as-of", str(S), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


RUNS_ONLY = [(o, "Run", 40, 8, "Easy run") for o in (1, 3, 5, 8, 10, 12, 15, 17, 19)]


def test_a_plan_that_only_runs(tmp_path, db_path, run_cli):
    history(db_path, 4)
    assert (
        run_cli(
            "plan", "import", str(plan_csv(tmp_path, RUNS_ONLY)), "--athlete", "Ann", "--as-of", str(S)
        ).exit_code
        == 0
    )
    out = check(run_cli)
    assert list(out) == ["athlete", "from", "to", "findings", "days"]
    assert (out["athlete"], out["from"], out["to"]) == ("Ann", "2026-11-02", "2026-11-20")
    assert len(out["days"]) == 19 and out["days"][0]["date"] == "2026-11-02"
    # The last strength session was Tue S-5; 14 days without one on Tue S+9 (warn), 28 not reached;
    # one finding per ISO week, so again on the Monday of the next week.
    support = [f for f in out["findings"] if f["code"] == "no_support_work"]
    assert [(f["date"], f["severity"]) for f in support] == [
        ("2026-11-10", "warn"),
        ("2026-11-16", "warn"),
    ]
    # Behind it: the planned runs of the 14 days up to that day (S+1, S+3, S+5, S+8).
    assert [s["date"] for s in support[0]["sessions"]] == [
        "2026-11-02",
        "2026-11-04",
        "2026-11-06",
        "2026-11-09",
    ]
    assert support[0]["sessions"][0] | {"planned_id": None} == {
        "date": "2026-11-02",
        "planned_id": None,
        "type": "Run",
        "category": "run",
        "duration_min": 40.0,
        "distance_km": 8.0,
        "name": "Easy run",
    }
    # Last day S+19 (Fri): the 28 days [S-8, S+19] hold done runs S-6, S-4, S-2 and 9 planned runs:
    # 12 x 8 km = 96 km, 480 run minutes, and the one 30-minute strength session of S-5.
    last = out["days"][-1]
    assert last["date"] == "2026-11-20"
    assert last["run_km"] == 96.0
    assert last["minutes"]["run"] == 480.0 and last["minutes"]["strength"] == 30.0
    assert last["sessions"]["run"] == 12 and last["sessions"]["strength"] == 1
    assert last["support_share"] == round(30 / 510, 3)
    assert last["days_since_support"] == 24
    assert "low_support_share" in {f["code"] for f in out["findings"]}


def test_projection_equals_the_report_once_the_plan_is_done(tmp_path, db_path, run_cli):
    """The same SQL: each projected day's summary is the report's summary on that day when the planned
    sessions are stored as done activities, with the load per minute the projection gave them: the
    athlete's own for runs (plan_sessions.sql), 5 a minute (the done runs have neither RPE nor heart
    rate: the run default), not the 3 the plan's words "Easy run" give."""
    history(db_path, 4)
    run_cli("plan", "import", str(plan_csv(tmp_path, RUNS_ONLY)), "--athlete", "Ann", "--as-of", str(S))
    out = check(run_cli)
    done = tmp_path / "done.duckdb"
    history(done, 4)
    write(
        done,
        "Ann",
        [
            {
                "start_local": at(S + timedelta(days=o)),
                "sport_type": k,
                "minutes": m,
                "km": km,
                "name": n,
                "rpe": 5,
            }
            for o, k, m, km, n in RUNS_ONLY
        ],
    )
    with connect(done, read_only=True) as con:
        for day in out["days"][::3]:
            rep = report(con, "Ann", date.fromisoformat(day["date"]), {})
            assert {k: v for k, v in day.items() if k != "date"} == rep["summary"], day["date"]


def test_a_plan_that_jumps_volume(tmp_path, db_path, run_cli):
    # 30 km a week (3 x 10 km, 60 min each) and strength Tue/Thu; the plan runs 3 x 14 km in the same time.
    history(db_path, 5, km=10, minutes=60, strength_days=(1, 3))
    plan = [(1, "Run", 60, 14, "Run"), (2, "Strength", 30, None, "Hips"), (3, "Run", 60, 14, "Run")]
    plan += [(4, "Strength", 30, None, "Hips"), (5, "Run", 60, 14, "Run")]
    run_cli("plan", "import", str(plan_csv(tmp_path, plan)), "--athlete", "Ann", "--as-of", str(S))
    out = check(run_cli)
    jumps = [f for f in out["findings"] if f["code"] == "run_volume_jump"]
    # S+1: 34 km against 30 (the largest of the 3 weeks before: +13%); S+3: 38 (+27%); S+5: 42 km
    # against 30: +40%, above the +30% a week the report flags (warn), and 12 km more (at least 3).
    assert [(f["date"], f["severity"]) for f in jumps] == [("2026-11-06", "warn")]
    assert jumps[0]["message"].startswith(
        "Ran 42.0 km in the last 7 days, +40% on the largest of the 3 weeks before (30.0 km; their mean 30.0"
    )
    assert [s["date"] for s in jumps[0]["sessions"]] == ["2026-11-02", "2026-11-04", "2026-11-06"]
    days = {d["date"]: d for d in out["days"]}
    assert days["2026-11-02"]["run_km"] == 12 * 10 - 10 + 14  # 28 days: 12 runs, the oldest gone, one of 14
    assert not {"no_support_work", "low_support_share", "acwr_spike"} & {f["code"] for f in out["findings"]}


def test_back_to_back_hard_days(tmp_path, db_path, run_cli):
    history(db_path, 4)
    plan = [
        (1, "Run", 40, 8, "Easy run"),
        (2, "Run", 50, 10, "Intervals 6 x 800 m"),
        (3, "Run", 45, 9, "Tempo run"),
        (4, "Run", 40, 8, "Easy run"),
        (5, "Strength", 30, None, "Hips"),
        (6, "Run", 90, 16, "Easy long"),
    ]
    run_cli("plan", "import", str(plan_csv(tmp_path, plan)), "--athlete", "Ann", "--as-of", str(S))
    out = check(run_cli)
    hard = [f for f in out["findings"] if f["code"] == "back_to_back_hard"]
    assert [(f["date"], f["severity"]) for f in hard] == [("2026-11-04", "warn")]
    assert [s["name"] for s in hard[0]["sessions"]] == ["Intervals 6 x 800 m", "Tempo run"]
    text = run_cli("plan", "check", "--athlete", "Ann", "--as-of", str(S)).output
    assert "hard days back to back" in text and "Tempo run" in text and "back_to_back_hard" not in text


def test_check_without_a_plan_is_one_line_error(db_path, run_cli):
    history(db_path, 1)
    result = run_cli("plan", "check", "--athlete", "Ann", "--as-of", str(S))
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: Ann has no planned sessions after 2026-11-01: import a plan (crosstrain plan import --help)"
    )


def test_reading_renames_only_the_tables_read():
    from queries import engine

    text = (
        "select a.activities from activities a join athletes t on true -- from activities\nfrom q_activities"
    )
    assert engine.render(text) == text  # nothing renamed outside `reading`
    with engine.reading(activities="q_x"), engine.reading(athletes="q_y"):
        assert engine.render(text) == (
            "select a.activities from q_x a join q_y t on true -- from q_x\nfrom q_activities"
        )
    assert engine.render(text) == text


def test_plan_as_of_is_checked_like_the_reports(db_path, run_cli):
    history(db_path, 1)
    for value, line in [
        ("0001-01-01", "error: date 0001-01-01 is out of range: use a day from 1970-01-01 to"),
        ("10000-01-01", "error: --as-of '10000-01-01' is not a date (YYYY-MM-DD)"),
    ]:
        for command in ("check", "suggest"):
            result = run_cli("plan", command, "--athlete", "Ann", "--as-of", value)
            assert result.exit_code == 1 and result.output.strip().startswith(line), result.output


def test_plan_judged_on_the_intensity_and_structure_the_coach_planned(tmp_path, db_path, run_cli):
    # Runs all alike for 4 weeks (monotone_runs). The plan names its kinds only in words crosstrain's
    # run keywords don't hold ("Run 5 x 1 km", "Run 6 km"); the plan import reads what they mean.
    history(db_path, 4)
    plan = [(1, "Run", 50, 10, "Run 5 x 1 km"), (2, "Run", 35, 6, "Run 6 km"), (4, "Run", 40, 8, "Run 8 km")]
    assert (
        run_cli(
            "plan", "import", str(plan_csv(tmp_path, plan)), "--athlete", "Ann", "--as-of", str(S)
        ).exit_code
        == 0
    )
    with connect(db_path) as con:
        read = dict(con.execute("select name, structure from planned_sessions").fetchall())
        assert read["Run 5 x 1 km"] == "intervals"  # the import read "5 x 1 km" as intervals
        # as a plan stored before migration 012 holds it: nothing read from the words
        con.execute("update planned_sessions set intensity = null, structure = null, rpe = null")
    # read by nothing but their names, the planned runs are as alike as the done ones (5:00/km, no keyword)
    words_only = check(run_cli)
    assert "monotone_runs" in {f["code"] for f in words_only["findings"] if f["date"] >= "2026-11-02"}
    with connect(db_path) as con:
        for name, intensity, structure, rpe in (
            ("Run 5 x 1 km", "intervals", "intervals", 8),
            ("Run 6 km", "tempo", "steady", 7),
            ("Run 8 km", "easy", "steady", 3),
        ):
            con.execute(
                "update planned_sessions set intensity = ?, structure = ?, rpe = ? where name = ?",
                [intensity, structure, rpe, name],
            )
    out = check(run_cli)
    codes = {f["code"]: f for f in out["findings"]}
    # intervals then tempo: back to back hard, from the planned intensities alone
    assert codes["back_to_back_hard"]["date"] == "2026-11-03"
    # the planned intervals are a quality run: monotone_runs stops once they are in the window, and no
    # finding that says "no interval" lists them
    for f in out["findings"]:
        if f["code"] == "monotone_runs":
            assert f["date"] < "2026-11-02"
            assert "Run 5 x 1 km" not in {s["name"] for s in f["sessions"]}
    assert "monotone_runs" not in {f["code"] for f in out["findings"] if f["date"] >= "2026-11-02"}
    # the load follows the planned RPEs (8 x 50 and 7 x 35 against the run default 5 x minutes)
    strain = {d["date"]: d["strain"] for d in out["days"]}
    assert strain["2026-11-03"] > {d["date"]: d["strain"] for d in words_only["days"]}["2026-11-03"]


def test_a_plan_that_repeats_the_athletes_weeks_scores_like_them(tmp_path, db_path, run_cli):
    """Like with like (plan_sessions.sql): six weeks of 40-minute runs Mon/Wed/Fri at average HR 160
    score by heart rate, the plan's "Easy run" by its words (RPE 3). Hand-computed: HRrest 60 and
    HRmax 190 (the defaults: no max_hr recorded), HRr = 100 / 130 = 0.7692, Banister TRIMP per minute
    0.7692 x 0.64 x e^(1.92 x 0.7692) = 2.156, x trimp_scale 2.5 = 5.39 a minute, 215.6 a run. Scored
    at RPE 3 (120 a run) the same weeks would read ACWR 360 / ((3 x 646.8 + 360) / 4) = 0.63 a week in,
    an acwr_low; on the athlete's own 5.39 a minute the plan that repeats the weeks reads 1.0 every day
    (any 7 days hold 3 of the runs, any 28 days 12) and raises no load warning."""
    hr160_runs(db_path)
    plan = [
        (o, "Run", 40, 8, "Easy run") for o in range(1, 27) if (S + timedelta(days=o)).weekday() in (0, 2, 4)
    ]
    assert len(plan) == 12
    path = plan_csv(tmp_path, plan)
    assert run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", str(S)).exit_code == 0
    with connect(db_path) as con:  # the plan keeps its own RPE (hard days and suggestions read it)
        assert con.execute("select distinct intensity, rpe from planned_sessions").fetchall() == [
            ("easy", 3.0)
        ]
    out = check(run_cli)
    assert [d["acwr"] for d in out["days"]] == [1.0] * 26
    loads = {"acwr_low", "acwr_spike", "high_monotony"}
    assert [f for f in out["findings"] if f["code"] in loads] == []
    # strain of a week of 3 runs: load 3 x 215.6 = 646.8 x monotony (mean / sd of the 7 daily loads)
    run = 0.7692308 * 0.64 * 2.718281828 ** (1.92 * 0.7692308) * 2.5 * 40
    daily = [run, 0, run, 0, run, 0, 0]
    mean = sum(daily) / 7
    sd = (sum((x - mean) ** 2 for x in daily) / 7) ** 0.5
    last = out["days"][-1]
    assert abs(last["strain"] - 3 * run * mean / sd) < 1.0


def test_a_planned_session_is_hard_by_its_intensity_not_its_names_words(tmp_path, db_path, run_cli):
    """mmichelli/training's weekend: "Easy 60 min OR long run" plans the easy run (the import reads it
    easy, RPE 3); the hard-day check read the name's "long run" and flagged it with Sunday's long run
    every week (docs/plan_judgements.csv). A tempo on Saturday before the long run is still flagged; a
    20-minute "long run" after a tempo is none (alexteal's deload week: plan_rules.LONG_MIN_S)."""
    history(db_path, 4)
    events = [
        (20, "Tempo 40 min"),
        (21, "Long run 20 min"),
        (6, "Easy 60 min OR long run"),
        (7, "Long run 90 min"),
        (13, "Tempo 45 min"),
        (14, "Long run 90 min"),
    ]
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:e{o}@t\r\nDTSTART;VALUE=DATE:{S + timedelta(days=o):%Y%m%d}\r\n"
        f"SUMMARY:{name}\r\nEND:VEVENT\r\n"
        for o, name in events
    )
    path = tmp_path / "weekends.ics"
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n", encoding="utf-8")
    run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", str(S))
    hard = [f["date"] for f in check(run_cli)["findings"] if f["code"] == "back_to_back_hard"]
    assert hard == ["2026-11-15"]


def low_weeks(after: str) -> list[tuple]:
    """Two weeks of 5 x 60 min, a week of 3 x 30 min, then: a 10K race ("race"), two weeks of 5 x 60
    ("back"), or another low week before them ("low")."""
    full = [(o, "Run", 60, None, "Easy run") for o in (1, 2, 3, 5, 6)]
    rows = full + [(o + 7, *r) for o, *r in full] + [(o, "Run", 30, None, "Easy run") for o in (15, 17, 19)]
    if after == "race":
        return [*rows, (21, "Run", 60, 10.0, "10K race")]
    if after == "low":
        rows += [(o, "Run", 30, None, "Easy run") for o in (22, 24, 26)]
        return rows + [(o + 28, *r) for o, *r in full] + [(o + 35, *r) for o, *r in full]
    return rows + [(o + 21, *r) for o, *r in full] + [(o + 28, *r) for o, *r in full]


def test_load_well_below_usual_is_the_plan_in_a_taper_or_a_recovery_week(tmp_path, db_path, run_cli):
    """A week of 90 min after weeks of 300 raises acwr_low; before a planned race it is the taper,
    followed by a return to 300 it is a recovery week (crosstrain's conventions, queries/plan.py:
    TAPER_DAYS, RECOVERY_SHARE). Of two low weeks in the middle of a plan the first is a recovery week
    too, cut from the full week before it (plans4: raxdne's recovery blocks, judged by hand); the second
    stays a finding."""
    history(db_path, 6, minutes=60.0)
    for after, expected in (("race", 0), ("back", 0), ("low", 1)):
        rows = low_weeks(after)
        run_cli("plan", "import", str(plan_csv(tmp_path, rows)), "--athlete", "Ann", "--as-of", str(S))
        low = [f["date"] for f in check(run_cli)["findings"] if f["code"] == "acwr_low"]
        assert len(low) == expected, (after, low)


def test_a_recovery_week_the_rolling_days_cut_across_and_a_block_end_are_the_plan(tmp_path, db_path, run_cli):
    """Load well below usual that the plan's shape explains, as real calendars showed it (plans4,
    acwr_low re-read by hand): a recovery week (120 min after weeks of 300) before a week whose runs
    start on Wednesday, so the 7 days after the recovery week's Wednesday hold less than it (the old
    "more planned in the 7 after" test missed it; raxdne's and Behobia's every fourth week); and a
    block that ends with one run, the calendar empty for weeks after it (bendecoste's first block,
    raxdne's season end)."""
    history(db_path, 6, minutes=60.0)
    full = [(o, "Run", 60, None, "Easy run") for o in (1, 2, 3, 5, 6)]
    recovery = [(o, "Run", 40, None, "Easy run") for o in (2, 4, 7)]
    late = [(o, "Run", 75, None, "Easy run") for o in (3, 5, 6, 7)]
    shapes = {
        "recovery week": full
        + [(o + 7, *r) for o, *r in full]
        + [(o + 14, *r) for o, *r in recovery]
        + [(o + 21, *r) for o, *r in late]
        + [(o + 28, *r) for o, *r in full],
        "block end": full
        + [(o + 7, *r) for o, *r in full]
        + [(15, "Run", 60, None, "Easy run")]
        + [(o + 42, *r) for o, *r in full]
        + [(o + 49, *r) for o, *r in full],
    }
    for shape, rows in shapes.items():
        run_cli("plan", "import", str(plan_csv(tmp_path, rows)), "--athlete", "Ann", "--as-of", str(S))
        low = [f["date"] for f in check(run_cli)["findings"] if f["code"] == "acwr_low"]
        assert low == [], (shape, low)


def test_a_plan_after_no_history_does_not_jump_from_nothing(tmp_path, db_path, run_cli):
    """Checked for an athlete with no done session, a plan's second week "jumped" from its first
    (15 -> 24 km) and its first from nothing (docs/plan_judgements.csv: 20 findings, all false): the 28
    days the rule reads hold nothing before the plan. After 4 weeks of 12 km the second week's 24 km
    still jumps (the rule is not switched off)."""
    rows = [(o, "Run", 30, 5.0, "Easy run") for o in (1, 3, 5)]
    rows += [(o, "Run", 48, 8.0, "Easy run") for o in (8, 10, 12, 15, 17, 19)]
    plan = plan_csv(tmp_path, rows)

    def jumps() -> list[str]:
        run_cli("plan", "import", str(plan), "--athlete", "Ann", "--as-of", str(S))
        return [f["date"] for f in check(run_cli)["findings"] if f["code"] == "run_volume_jump"]

    assert jumps() == []  # the plan import makes the athlete: no done session
    db_path.unlink()
    history(db_path, 4, km=4.0, strength_days=())
    assert jumps() != []


def test_a_support_gap_the_plan_closes_is_the_historys(tmp_path, db_path, run_cli):
    """Four weeks of runs and no strength, then a plan with a strength session every Wednesday: the
    days before it said "no strength work" and "little support work" over 28 days (lennee's and
    Armaan-Mangat's plans with real athletes, docs/plan_judgements.csv: 16 findings, all false), though
    the plan's own week holds 30 of 150 minutes. A plan without strength still gets both."""
    history(db_path, 4, strength_days=())
    runs = [(o, "Run", 40, 8, "Easy run") for o in (1, 5, 8, 12, 15, 19)]
    strength = [(o, "Weight Training", 30, None, "Strength") for o in (3, 10, 17)]
    codes = {"no_support_work", "low_support_share"}
    for rows, expected in ((runs + strength, set()), (runs, codes)):
        run_cli("plan", "import", str(plan_csv(tmp_path, rows)), "--athlete", "Ann", "--as-of", str(S))
        assert {f["code"] for f in check(run_cli)["findings"]} & codes == expected


INTENSITY_RULES = ("hard_every_run", "easy_runs_hard")


def test_a_run_the_plan_names_easy_counts_easy_for_the_intensity_rules(tmp_path, db_path, run_cli):
    """hard_every_run / easy_runs_hard (summary.sql) on a plan: an athlete whose runs score 5.39 a minute
    by heart rate (hard: hard_run_intensity 5; see the test above) is planned 12 "Easy run"s and 2 long
    runs in 26 days. Scored at the athlete's rate (its load, unchanged) every planned run was hard, so on
    the plan's last day (window [S - 1, S + 26]: no done run) 14 of 14 rated runs were hard and 12 of 12
    named easy too: both rules raised against what the plan says (docs/plan_judgements.csv: alexteal,
    lennee, duarteocarmo with real athletes). Now a run the plan names easy, recovery or long at an RPE
    under 5 counts as easy: 0 of 14 hard. A run the plan names easy at "RPE 6" keeps the athlete's rate."""
    hr160_runs(db_path)
    plan = [
        (o, "Run", 40, 8, "Easy run") for o in range(1, 27) if (S + timedelta(days=o)).weekday() in (0, 2, 4)
    ] + [(o, "Run", 60, 12, "Long run") for o in (13, 20)]
    path = plan_csv(tmp_path, plan)
    assert run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", str(S)).exit_code == 0
    found = [(f["date"], f["code"]) for f in check(run_cli)["findings"] if f["code"] in INTENSITY_RULES]
    # weeks 1 and 2: the 28 days hold 9 done runs (hard) and 1 or 4 planned: 9 of 10, 9 of 13 hard
    # (>= 60%): the history's; from week 3 (6 done, 8 planned, 6 of 14) no more
    assert found == [("2026-11-02", "hard_every_run"), ("2026-11-09", "hard_every_run")]
    # the same plan writing its easy runs at RPE 6: not easy by the plan's own number, so they keep the
    # athlete's rate: hard_every_run every week, easy_runs_hard once 3 such runs are in the 28 days
    path = plan_csv(
        tmp_path, [(o, k, m, km, n.replace("Easy run", "Easy run RPE 6")) for o, k, m, km, n in plan]
    )
    assert run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", str(S)).exit_code == 0
    found = [(f["date"], f["code"]) for f in check(run_cli)["findings"] if f["code"] in INTENSITY_RULES]
    assert [d for d, c in found if c == "hard_every_run"] == [
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
        "2026-11-23",
    ]
    assert "easy_runs_hard" in {c for _, c in found}


def test_a_planned_race_is_no_training_jump(tmp_path, db_path, run_cli):
    """Four weeks of 3 x 8 km (24 km a week), then a plan of the same week and a week of 2 x 8 km and a
    21.1 km half marathon: 37.1 km, +55% on 24 and 13.1 km more (run_jump_week 30%, run_jump_min_km 3):
    run_volume_jump on done data. The race's km are out of a plan's jump: 16 km, none (matthewbeckler's
    plan: each race week judged false). The same week with a 21.1 km long run instead still jumps."""
    history(db_path, 4, km=8.0, minutes=40.0)
    week = [(o, "Run", 40, 8, "Easy run") for o in (1, 3, 5)]
    for name, found in (("Half Marathon race", []), ("Long run", ["2026-11-15"])):
        plan = week + [
            (8, "Run", 40, 8, "Easy run"),
            (10, "Run", 40, 8, "Easy run"),
            (14, "Run", 120, 21.1, name),
        ]
        path = plan_csv(tmp_path, plan)
        assert run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", str(S)).exit_code == 0
        with connect(db_path) as con:
            kinds = con.execute("select intensity from planned_sessions where distance_m > 20000").fetchall()
        assert kinds == [("race" if "race" in name else "long",)]
        jumps = [f["date"] for f in check(run_cli)["findings"] if f["code"] == "run_volume_jump"]
        assert jumps == found, name


def test_a_jump_is_said_once_not_again_from_the_week_before(tmp_path, db_path, run_cli):
    """13 weeks of 3 x 8 km (Mon, Wed, Fri: 24 km a week, the usual level), then a plan week of 3 x 8 km
    and a 14 km long run on Sunday 8 Nov: the 7 days to it hold 38 km, +58% on 24 and 14 km more
    (run_jump_week 30%, run_jump_min_km 3): a jump, said on Sun 8 Nov. The next week is 3 x 8 km again
    (Wed, Fri, Sun): no 7 days of it reach 31.2 km (24 x 1.3; 30 km at most, with Sunday's 14), so the
    rule's first branch is silent; its second ("the 7 days before") holds only on Sun 15 Nov, whose 7 days
    before are the same 2-8 Nov: the same jump again (docs/plan_judgements.csv: "repeats the week
    before's jump", judged false), not a second finding. The week's message named the same 38 km."""
    history(db_path, 13, km=8.0, minutes=40.0, strength_days=())
    rows = [(o, "Run", 40, 8, "Easy run") for o in (1, 3, 5)] + [(7, "Run", 80, 14, "Long run")]
    rows += [(o, "Run", 40, 8, "Easy run") for o in (10, 12, 14)]
    run_cli("plan", "import", str(plan_csv(tmp_path, rows)), "--athlete", "Ann", "--as-of", str(S))
    jumps = [f for f in check(run_cli)["findings"] if f["code"] == "run_volume_jump"]
    assert [f["date"] for f in jumps] == ["2026-11-08"]
    assert "Ran 38.0 km in the last 7 days" in jumps[0]["message"]


def test_two_long_runs_back_to_back_are_the_plans_long_weekend(tmp_path, db_path, run_cli):
    """An ultra plan's weekend: "Long run" 150 min on Saturday 7 Nov and 120 min on Sunday 8 Nov (each
    hard only by being long: intensity long, the import's RPE 4 for it, under HARD_RPE 7) is the plan's
    back-to-back long runs, no hard pair (mmichelli's ultra weekends, 30 findings judged false). Hill
    repeats on Saturday 14 Nov before Sunday's long run are two hard days: found on Sun 15 Nov."""
    history(db_path, 4, km=8.0, minutes=40.0)
    rows = [(o, "Run", 40, 8, "Easy run") for o in (1, 3)] + [(6, "Run", 150, 25, "Long run")]
    rows += [(7, "Run", 120, 20, "Long run"), (9, "Run", 40, 8, "Easy run")]
    rows += [(13, "Run", 50, 9, "Hill repeats 8 x 60 s"), (14, "Run", 120, 20, "Long run")]
    run_cli("plan", "import", str(plan_csv(tmp_path, rows)), "--athlete", "Ann", "--as-of", str(S))
    with connect(db_path) as con:
        kinds = con.execute("select intensity, rpe from planned_sessions where name = 'Long run'").fetchall()
    assert set(kinds) == {("long", 4.0)}
    hard = [f for f in check(run_cli)["findings"] if f["code"] == "back_to_back_hard"]
    assert [f["date"] for f in hard] == ["2026-11-15"]
    assert [s["name"] for s in hard[0]["sessions"]] == ["Hill repeats 8 x 60 s", "Long run"]


def test_a_planned_race_is_no_load_spike(tmp_path, db_path, run_cli):
    """Four weeks of 3 x 40 min runs (no RPE or heart rate: the run intensity 5 a minute, 600 a week),
    a plan of the same week, then Mon and Wed 40 min and a 150-min half marathon race on Sun 15 Nov,
    scored at the race's RPE 9 (no done quality run to take a rate from): 400 + 1350 = 1750 in the 7
    days against (3 x 600 + 1750) / 4 = 887.5 a week over the 28 days, ACWR 1.97 (acwr_high 1.5):
    acwr_spike on done data. With the race's load out of both, 400 / (2200 / 4) = 0.73: the race is the
    spike, no finding (real calendars: a half marathon or marathon in the 7 days, judged false). The
    same week with a 150-min long run (5 a minute: 750) is a spike of training, (400 + 750) / ((1800 +
    1150) / 4) = 1.56, found."""
    history(db_path, 4, km=8.0, minutes=40.0, strength_days=())
    week = [(o, "Run", 40, 8, "Easy run") for o in (1, 3, 5, 8, 10)]
    for name, acwr, found in (("Half Marathon race", 1.97, []), ("Long run", 1.56, ["2026-11-15"])):
        path = plan_csv(tmp_path, week + [(14, "Run", 150, 21.1, name)])
        assert run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", str(S)).exit_code == 0
        out = check(run_cli)
        [day] = [d for d in out["days"] if d["date"] == "2026-11-15"]
        assert round(day["acwr"], 2) == acwr, name
        spikes = [f["date"] for f in out["findings"] if f["code"] == "acwr_spike"]
        assert spikes == found, name
