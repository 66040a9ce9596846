"""The plan page in headless Chromium: upload a plan, see the projected charts and findings, add the
suggestions to the plan, and the coach overview's plan column."""

from __future__ import annotations

import time

import pytest
from activity_rows import write
from test_dashboard_browser import click, column_values, dash_duo, serve, visit  # noqa: F401
from test_plan_check import S, history, plan_csv
from test_plan_suggest import BAD_WEEK

pytestmark = pytest.mark.browser


def test_upload_check_and_apply_a_plan(dash_duo, tmp_path):  # noqa: F811
    db = tmp_path / "plan.duckdb"
    history(db, 4, km=10, minutes=50)
    # a second athlete, without a plan: the overview is a table of two
    write(db, "Bea", [{"start_local": "2026-10-30T07:00", "sport_type": "Yoga", "minutes": 60}])
    serve(dash_duo, db)
    visit(dash_duo, f"/plan?name=Ann&as_of={S}")
    dash_duo.wait_for_element("#plan-none", timeout=20)

    dash_duo.find_element("#plan-upload input[type=file]").send_keys(str(plan_csv(tmp_path, BAD_WEEK)))
    dash_duo.wait_for_element("#plan-imported", timeout=30)
    assert "4 planned sessions" in dash_duo.find_element("#plan-imported").text
    dash_duo.wait_for_element(".plan-finding", timeout=30)
    findings = dash_duo.find_element("#plan-findings").text
    assert (
        "Running volume jump" in findings
        and "Hard days back to back" in findings
        and "2026-11-03" in findings
    )
    assert "_" not in findings  # words, never the codes
    # the weekly chart continues into the plan, hatched
    dash_duo.wait_for_element("#plan-weekly .main-svg")
    assert "planned" in dash_duo.find_element("#plan-weekly").text
    assert "02 Nov" in dash_duo.find_element("#plan-weeks").text  # links to each planned week
    suggestions = dash_duo.find_element("#plan-suggestions").text
    assert "shorten" in suggestions and "Effect by" in suggestions

    click(dash_duo, dash_duo.find_element("#plan-apply"))
    dash_duo.wait_for_element("#plan-applied", timeout=30)
    deadline = time.time() + 30
    while time.time() < deadline:
        text = dash_duo.find_element("#plan-findings").text
        if "Running volume jump" not in text:
            break
        time.sleep(0.5)
    assert "Running volume jump" not in text and "Hard days back to back" not in text
    dash_duo.wait_for_element("#plan-no-suggestions", timeout=30)

    visit(dash_duo, f"/?as_of={S}")
    dash_duo.wait_for_element("#overview-table", timeout=20)
    plan_cells = dict(
        zip(
            column_values(dash_duo, "overview-table", "athlete"),
            column_values(dash_duo, "overview-table", "plan_findings"),
            strict=True,
        )
    )
    assert plan_cells["Bea"] == ""
    assert plan_cells["Ann"] == "clean to 07 Nov"  # the check stored after the suggestions were added
