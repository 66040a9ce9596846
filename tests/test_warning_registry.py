"""The warnings registry: every code has all its parts, every code the SQL can raise is registered, and no
code can make report, compare, plan check or plan suggest raise KeyError."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from activity_rows import write

import queries
from ingest.database.db import connect
from queries import advice, warning_registry
from queries.engine import sql
from queries.params import DEFAULT_THRESHOLDS, THRESHOLDS
from queries.warning_registry import REGISTRY, SEVERITIES, branches, get

CODES = [w.code for w in REGISTRY]
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("w", REGISTRY, ids=lambda w: w.code)
def test_every_code_has_all_its_parts(w):
    assert re.fullmatch(r"[a-z_]+", w.code)
    assert w.title and "_" not in w.title  # words for pages, not the code
    assert w.severity.split(";")[0].split(" ")[0] in SEVERITIES
    assert callable(w.message) and w.advice.strip() and w.source.strip()
    assert w.plan.window_days >= 1 and (w.plan.suggest is None or callable(w.plan.suggest))
    for key in w.thresholds:
        assert key in DEFAULT_THRESHOLDS, (w.code, key)
    # the condition is SQL that raises this code, and names every threshold it reads
    assert re.search(rf"\bend as {w.code},?$", w.condition) or w.sql_file != "warnings", w.code
    for key in re.findall(r"\$(\w+)", w.condition if w.sql_file == "warnings" else ""):
        assert key in w.thresholds or key in ("runner_min_runs", "runner_min_share"), (w.code, key)
    # its message never fails, whatever the summary row lacks
    assert isinstance(w.message({}, DEFAULT_THRESHOLDS), str)
    # the README's warnings section names it
    assert f"`{w.code}`" in README.read_text(encoding="utf-8"), w.code


def test_every_code_the_sql_can_raise_is_registered_and_each_branch_raises_its_own():
    text = sql("warnings")
    # each branch is a column of `raised` named after its code, and the unpivot turns each into rows
    unpivoted = re.search(r"unpivot \(\s*severity for code in \(([^)]*)\)", text)
    raised = set(re.split(r"[\s,]+", unpivoted[1].strip()))
    assert raised == set(branches()), "every branch opens with its `-- warning: code` line"
    assert raised <= set(CODES)
    for code, branch in branches().items():
        assert re.findall(r"\bas (\w+),?$", branch) == [code], code
        assert set(re.findall(r"'(\w+)'", branch)) <= set(SEVERITIES), code
    # the codes raised outside warnings.sql: plan check's back-to-back hard days
    assert {w.code for w in REGISTRY if w.sql_file != "warnings"} == {"back_to_back_hard"}
    assert set(CODES) == raised | {"back_to_back_hard"}


def test_every_threshold_states_its_source():
    for t in THRESHOLDS:
        assert t.source.strip(), t.key
        assert "convention" in t.source or re.search(r"(19|20)\d\d", t.source), t.key
    # the ones the dashboard and risk read, and those of the old settings files, are still settable
    assert {"support_share_low", "monotony_warn", "acwr_high", "run_jump_week", "inactive_days"} <= set(
        DEFAULT_THRESHOLDS
    )


def test_an_unknown_code_is_a_plain_entry_never_a_keyerror():
    w = get("no_such_code")
    assert w.title == "warning" and w.plan.suggest is None
    assert warning_registry.message("no_such_code", {}, DEFAULT_THRESHOLDS)
    assert warning_registry.sort_key({"code": "no_such_code", "severity": "odd"})


def test_advice_keeps_to_what_the_sources_found():
    text = " ".join(w.advice + " " + w.source for w in REGISTRY)
    assert "Seiler 2010" not in get("monotone_runs").advice  # strides are not Seiler 2010's finding
    for claim in ("Fredericson", "Willy"):
        assert claim not in text  # rehabilitation studies, not prevention evidence
    # Pilates, sprints and movement screens: good practice, not evidence
    for code in ("no_support_work", "low_support_share", "monotone_runs"):
        assert warning_registry.GOOD_PRACTICE in get(code).advice
    assert "RR 0.96" in get("low_support_share").source  # stretching: no effect found
    assert "Fredericson" in advice.__doc__ or "Fredericson" not in advice.hip_note({"hip_sets": 3})
    for w in REGISTRY:
        assert not re.search(
            r"\byou have\b|\bdiagnos(is|e)\b(?<!not a diagnosis)", w.advice.replace("not a diagnosis", "")
        ), w.code


def test_zone_bounds_match_seiler_2010_table_1():
    from queries.files import HR_ZONES

    assert [(z, lo, hi) for z, lo, hi, _ in HR_ZONES][2:] == [
        (3, 0.82, 0.88),
        (4, 0.88, 0.94),
        (5, 0.94, 10.0),
    ]


# Plans: every code a projection can raise has a plan behaviour (plan check and suggest crashed with
# KeyError 'unlabelled_sessions' and 'return_after_break').

S = date(2026, 11, 1)


def _at(day: date, hour: int = 7) -> datetime:
    return datetime.combine(day, datetime.min.time()).replace(hour=hour)


def test_plan_check_and_suggest_with_unlabelled_sessions_and_a_break(tmp_path, db_path, run_cli):
    # Runs Mon/Wed/Fri from S-55 to S-30, nothing for 26 days but a "Workout" named "Afternoon Workout"
    # (unlabelled) on S-2 and a run on S: the plan's first days are the first week back after a break,
    # with an unlabelled session in the window.
    rows = [
        {
            "start_local": _at(S - timedelta(days=d)),
            "sport_type": "Run",
            "minutes": 40,
            "km": 8,
            "name": "Run",
        }
        for d in range(30, 56)
        if (S - timedelta(days=d)).weekday() in (0, 2, 4)
    ]
    rows.append(
        {
            "start_local": _at(S - timedelta(days=2), 18),
            "sport_type": "Workout",
            "minutes": 45,
            "name": "Afternoon Workout",
        }
    )
    rows.append({"start_local": _at(S), "sport_type": "Run", "minutes": 30, "km": 5, "name": "Run"})
    write(db_path, "Ann", rows)
    plan = tmp_path / "plan.csv"
    lines = ["date,type,duration,distance_km,name"]
    lines += [f"{S + timedelta(days=o)},Run,{40 * 60},8,Easy run" for o in (1, 3, 5, 8, 10, 12)]
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_cli("plan", "import", str(plan), "--athlete", "Ann", "--as-of", str(S)).exit_code == 0
    import json

    result = run_cli("plan", "check", "--athlete", "Ann", "--as-of", str(S), "--json")
    assert result.exit_code == 0, result.output
    found = {f["code"] for f in json.loads(result.output)["findings"]}
    assert {"unlabelled_sessions", "return_after_break"} <= found
    result = run_cli("plan", "suggest", "--athlete", "Ann", "--as-of", str(S), "--json")
    assert result.exit_code == 0, result.output
    # and the report at S names the session
    with connect(db_path, read_only=True) as con:
        rep = queries.report(con, "Ann", S, {})
    [w] = [w for w in rep["warnings"] if w["code"] == "unlabelled_sessions"]
    assert '"Afternoon Workout"' in w["message"]
