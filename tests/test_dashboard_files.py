"""What activity files add to the dashboard: hip sets on the overview and the athlete page, and each
week's intensity distribution. FIT files are generated, imported with the real CLI into a real DuckDB
file beside the dashboard's test athletes, and the pages built without a browser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import dashboard_data
import pytest
from activity_files import fit_activity, fit_strength, strength_set
from test_dashboard_app import BEA, MONA, find, text

from dashboard import athlete_view, create_app

HANA = "Hana Hips (test)"
START = datetime(2026, 11, 16, 7, 0, tzinfo=UTC)  # a Monday, in the 28 days to dashboard_data.END


def import_hana(run_cli, tmp_path: Path) -> None:
    """Hana's watch files: a strength session with 4 hip sets and a run with 20 min low, 10 min high."""
    day = timedelta(days=2)
    sets = [strength_set("squat", 2, 8, 60.0, START + day + timedelta(minutes=i)) for i in range(3)]
    sets += [strength_set("lunge", 0, 10, 20.0, START + day + timedelta(minutes=5))]
    sets += [strength_set("curl", 0, 10, 10.0, START + day + timedelta(minutes=8))]  # not hip work
    files = tmp_path / "files"
    files.mkdir()
    fit_strength(files / "lift.fit", START + day, 1200, hr=lambda i: 110, sets=sets)
    # 10 min at 190 bpm (high: >= 88% of HRmax 190), 20 min at 150 (79%: low), Seiler 2010
    fit_activity(files / "run.fit", START, 1800, hr=lambda i: 190 if i < 600 else 150)
    assert run_cli("import", "--athlete", HANA, str(files)).exit_code == 0
    assert run_cli("athletes", "set", HANA, "--hr-max", "190").exit_code == 0


@pytest.fixture
def app(db_path: Path, run_cli, tmp_path: Path):
    dashboard_data.build(db_path)
    import_hana(run_cli, tmp_path)
    app = create_app(db_path)
    with app.server.test_request_context("/"):
        yield app


def test_overview_shows_hip_sets_or_a_dash_without_set_data(app):
    from dashboard.pages import overview

    table = find(overview.layout(as_of="2026-11-22"), "overview-table")
    rows = {r["athlete"]: r for r in table.rowData}
    assert rows[HANA]["hip_sets"] == 4  # 3 squats + 1 lunge; the curl is not hip work
    assert rows[MONA]["hip_sets"] is None and rows[BEA]["hip_sets"] is None  # no set data: unknown
    [column] = [c for c in overview.columns(all_numbers=True) if c.get("field") == "hip_sets"]
    assert column["headerName"] == "Hip sets (28 d)"
    assert column["filter"] == "agNumberColumnFilter"
    assert "'–'" in column["valueFormatter"]["function"]  # null shows as a dash


def test_athlete_page_shows_hip_sets_and_the_weekly_intensity(app):
    page = athlete_view.render(HANA, "2026-11-01", "2026-11-22")
    assert "Hip sets 4 hip and glute, last 28 days" in text(page)
    figure = find(page, "athlete-intensity").figure
    bars = {t["name"]: dict(zip(t["x"], t["y"], strict=True)) for t in figure["data"]}
    assert {zone: bars[zone]["2026-11-16"] for zone in bars} == {"low": 20.0, "moderate": 0.0, "high": 10.0}
    assert find(page, "athlete-intensity-note") is None


def test_athlete_without_files_gets_notes_instead(app):
    page = athlete_view.render(MONA, "2026-11-01", "2026-11-22")
    assert "no set data from a watch" in text(page)
    assert find(page, "athlete-intensity") is None
    assert "heart-rate samples" in text(find(page, "athlete-intensity-note"))
