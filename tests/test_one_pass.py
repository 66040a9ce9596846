"""One pass per page (issue 22 item 2): the declared steps run once per athlete-page render, and the
page's data, `report --json` and `compare --json` on the sample data are what they were before."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from one_pass_pages import END, pages

from dashboard import athlete_view, create_app
from ingest.database.db import connect
from ingest.sample.synthetic import load_sample
from queries import engine, frames, report
from queries.params import resolve
from queries.report import reports

# Written by tests/one_pass_pages.py's `pages` from the code before the declared steps (commit 5bc0623).
BEFORE = Path(__file__).parent / "fixtures" / "one_pass_sample.json.gz"
FIRST = END - dt.timedelta(weeks=16) + dt.timedelta(days=1)


@pytest.fixture
def sample(db_path: Path) -> Path:
    assert load_sample(db_path, {}).error is None
    return db_path


def test_page_report_and_compare_equal_to_before(sample: Path) -> None:
    before = json.loads(gzip.decompress(BEFORE.read_bytes()))
    now = pages(sample)
    assert sorted(now) == sorted(before) and len(now) == 11
    assert _added_thresholds_taken_out(now) == 11
    before = _reworded(before)
    for key in before:
        assert now[key] == before[key], key


# Thresholds added since the fixture was written (each report, page and compare lists the thresholds in
# force): name -> value. Nothing else may differ.
ADDED_THRESHOLDS = {
    "support_days_week": 2,
    "runner_min_km": 60,
    "acwr_min_acute_load": 600,
    "run_jump_level_weeks": 13,
    "run_jump_layoff_days": 28,
}


# Warning messages reworded since the fixture was written (old -> new): the run volume jump names the
# usual level it was measured against since run_jump_level_weeks (the sample's jumper: 38.7 km, the
# second-largest of his 8 weeks before, above the 38.3 km of the 2 weeks before; of his 13 weeks before
# since evaluation 10, the same 38.7 km) and, since run_jump_layoff_days, the layoff that resets that
# level. Nothing else may differ.
REWORDED = {
    "Ran 62.8 km in the 7 days before, +64% on the larger of the 2 weeks before them (38.3 km). "
    "Flag above +30% and 3 km more, from 15 km a week. Nielsen": "Ran 62.8 km in the 7 days before, "
    "+62% on the usual level of the 13 weeks before them (38.7 km, their second-largest week). Flag above "
    "+30% and 3 km more, from 15 km a week; a return to the usual level (the second-largest week of the 13 "
    "before, since the last layoff of 28+ days without a run) is no jump. Nielsen",
}


def _reworded(found: object) -> object:
    """`found` with REWORDED applied to every string in it."""
    if isinstance(found, dict):
        return {k: _reworded(v) for k, v in found.items()}
    if isinstance(found, list):
        return [_reworded(v) for v in found]
    if isinstance(found, str):
        for old, new in REWORDED.items():
            found = found.replace(old, new)
    return found


def _added_thresholds_taken_out(found: object) -> int:
    """Take ADDED_THRESHOLDS out of every "thresholds" object in `found`, checking their values;
    returns how many objects held them."""
    taken = 0
    if isinstance(found, dict):
        held = found.get("thresholds")
        if isinstance(held, dict) and ADDED_THRESHOLDS.keys() <= held.keys():
            assert {k: held.pop(k) for k in ADDED_THRESHOLDS} == ADDED_THRESHOLDS
            taken += 1
        return taken + sum(_added_thresholds_taken_out(v) for v in found.values())
    if isinstance(found, list):
        return sum(_added_thresholds_taken_out(v) for v in found)
    return 0


def test_each_step_runs_once_per_athlete_page(sample: Path) -> None:
    with create_app(sample).server.app_context():
        engine.RUNS.clear()
        athlete_view.athlete_data("Tri Tom (synthetic)", FIRST, END, END)
    ran = dict(engine.RUNS)
    for step in ("scope", "session_hr_max", "athlete_history", "session_intensity", "session_load"):
        assert ran[step] == 1, ran
    for step in ("ewma_zero", "daily_load", "metrics", "hr_zones", "summary", "warnings", "weekly_balance"):
        assert ran[step] == 1, ran
    assert set(ran.values()) == {1}, ran


def test_without_one_request_each_call_runs_the_steps_again(sample: Path) -> None:
    """The counter counts: the page's four calls made apart run session_load four times."""
    name = "Tri Tom (synthetic)"
    with connect(sample, read_only=True) as con:
        engine.RUNS.clear()
        report(con, name, END, {})
        frames.daily_metrics(con, name, FIRST, END, {})
        frames.weekly_balance(con, [name], FIRST, END, {})
        frames.sessions(con, name, FIRST, END, {})
    assert engine.RUNS["session_load"] == 4 and engine.RUNS["athlete_history"] == 4
    assert engine.RUNS["daily_load"] == 2


def test_a_later_first_day_reuses_and_an_earlier_one_or_other_end_recomputes(sample: Path) -> None:
    params = resolve({})
    with connect(sample, read_only=True) as con, engine.request(con):
        engine.prepare_scope(con, None, params)
        engine.RUNS.clear()
        engine.prepare_sessions(con, params, END - dt.timedelta(days=60), END)
        engine.prepare_sessions(con, params, END - dt.timedelta(days=30), END)
        assert engine.RUNS["session_load"] == 1
        engine.prepare_sessions(con, params, END - dt.timedelta(days=90), END)
        assert engine.RUNS["session_load"] == 2 and engine.RUNS["athlete_history"] == 1
        engine.prepare_sessions(con, params, END - dt.timedelta(days=90), END - dt.timedelta(days=1))
        assert engine.RUNS["session_load"] == 3 and engine.RUNS["athlete_history"] == 2
        # a new scope makes every step read it again
        engine.prepare_scope(con, [1], params)
        engine.prepare_sessions(con, params, END - dt.timedelta(days=90), END - dt.timedelta(days=1))
        assert engine.RUNS["session_load"] == 4 and engine.RUNS["scope"] == 1
        [n] = con.execute("select count(distinct athlete_id) from q_session_load").fetchone()
        assert n == 1


def test_the_ewma_carry_starts_where_the_kept_sessions_do(sample: Path) -> None:
    """A daily series asked with sessions from a later day, after q_session_load was made from an
    earlier one in the same request, equals the series computed alone (no history counted twice)."""
    params = resolve({})
    first, sessions_from = END - dt.timedelta(days=20), END - dt.timedelta(days=200)
    query = "select day, fitness, fatigue, acwr from q_metrics where day >= ? order by athlete_id, day"
    with connect(sample, read_only=True) as con:
        engine.prepare_scope(con, None, params)
        engine.prepare_sessions(con, params, sessions_from, END)
        engine.prepare_metrics(con, params, first, END, sessions_from)
        alone = con.execute(query, [first]).fetchall()
        with engine.request(con):
            engine.prepare_scope(con, None, params)
            engine.prepare_sessions(con, params, engine.EPOCH, END)
            engine.prepare_sessions(con, params, sessions_from, END)
            engine.prepare_metrics(con, params, first, END, sessions_from)
            shared = con.execute(query, [first]).fetchall()
    assert len(alone) == 4 * 21
    assert [r[:1] for r in shared] == [r[:1] for r in alone]
    for a, b in zip(alone, shared, strict=True):
        assert b[1:] == pytest.approx(a[1:], rel=1e-9, abs=1e-9)


def test_plan_check_runs_each_step_once_per_input(tmp_path: Path, db_path: Path, run_cli) -> None:
    from test_plan_check import RUNS_ONLY, S, history, plan_csv

    from queries.plan import check

    history(db_path, 8)
    run_cli("plan", "import", str(plan_csv(tmp_path, RUNS_ONLY)), "--athlete", "Ann", "--as-of", str(S))
    with connect(db_path, read_only=True) as con:
        engine.RUNS.clear()
        found = check(con, "Ann", S, {})
    # session_load and what it reads run once on each of two inputs: the done history alone (the
    # athlete's own load per minute that planned sessions score at: plan_rates.sql), from the session
    # values the import stored (athlete_history too, from the stored monthly sums), and done plus
    # planned sessions (`reading`), computed (decided apart by the sessions, the carry and the summary:
    # a `reading` run is never stored, and not kept)
    ran = dict(engine.RUNS)
    assert found["days"] and {s for s, n in ran.items() if n == 2} == {"scope"} and ran["path:computed"] == 3
    stored = ("athlete_history_stored", "session_load_stored")
    once = ("session_hr_max", "athlete_history", "session_intensity", "session_load", *stored)
    assert all(ran[s] == 1 for s in once), ran
    assert ran["path:stored"] == 1 and set(ran.values()) == {1, 2, 3}, sorted(ran.items())


def test_reports_of_two_athletes_run_each_step_once_and_equal_each_report(sample: Path, run_cli) -> None:
    """The compare page's two athletes in one pass (`report.reports`): each report, plan included, is
    its own call's, and each step runs once for both."""
    names = ["Tri Tom (synthetic)", "Mona Monotone (synthetic)"]
    for i, name in enumerate(names):
        plan = sample.parent / f"plan{i}.csv"
        rows = [
            f"{END - dt.timedelta(days=d)},{kind},{(40 + 10 * i) * 60},,planned" for d, kind in PLANNED[i]
        ]
        plan.write_text("date,type,duration,distance_km,name\n" + "\n".join(rows) + "\n", encoding="utf-8")
        result = run_cli(
            "plan", "import", str(plan), "--athlete", name, "--as-of", str(END - dt.timedelta(days=30))
        )
        assert result.exit_code == 0, result.output
    with connect(sample, read_only=True) as con:
        alone = [report(con, name, END, {}) for name in names]
        engine.RUNS.clear()
        both = reports(con, names, END, {})
    # the plan imports stored the session values: both reports read them, once
    assert engine.RUNS["session_load_stored"] == 1 and engine.RUNS["run_level_stored"] == 1, dict(engine.RUNS)
    assert engine.RUNS["summary"] == 1
    assert engine.RUNS["session_load"] == 0
    assert both == alone
    assert all("plan" in r for r in both) and both[0]["plan"] != both[1]["plan"]
    assert [w["week"] for w in both[0]["weeks"]] == [w["week"] for w in both[1]["weeks"]]
    assert both[0]["weeks"] != both[1]["weeks"]


# Planned sessions of the two athletes (days before END, type): different weeks and types each.
PLANNED = [
    [(20, "Run"), (13, "WeightTraining"), (6, "Run")],
    [(25, "Pilates"), (9, "Run"), (2, "Ride")],
]


@pytest.mark.parametrize(("last", "steps_once"), [(END, True), (END - 10 * dt.timedelta(days=1), False)])
def test_a_report_day_after_the_charts_gives_each_calls_own_rows(sample: Path, last, steps_once) -> None:
    """An inactive athlete's page (charts to their last activity, the report as of a later day): the
    charts' data asked up to the report's day and cut gives the rows of each call on its own, and each
    step runs once; with sessions after the charts' last day (a caller's own dates) each asks its own
    window, with the same rows."""
    import pandas as pd

    name, first, day = "Tri Tom (synthetic)", last - dt.timedelta(weeks=12), END + dt.timedelta(days=20)
    with create_app(sample).server.app_context():
        engine.RUNS.clear()
        got = athlete_view.athlete_data(name, first, last, day)
        ran = dict(engine.RUNS)
    with connect(sample, read_only=True) as con:
        alone = (
            report(con, name, day, {}),
            frames.daily_metrics(con, name, first, last, {}),
            frames.weekly_balance(con, [name], first, last, {}),
            frames.sessions(con, name, first, last, {}),
        )
    assert got[0] == alone[0]
    for mine, theirs in zip(got[1:4], alone[1:], strict=True):
        assert len(mine) and mine["day" if "day" in mine else "week"].max() <= pd.Timestamp(last)
        pd.testing.assert_frame_equal(mine, theirs, check_exact=True)
    assert (set(ran.values()) == {1}) == steps_once, ran
