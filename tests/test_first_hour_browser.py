"""The first hour, as a runner and a coach live it (issue 21), in headless Chromium: the demo apart from
your data, pages that lead somewhere, an overview that shows the triage at 1024 px, words instead of
codes, an inactive athlete's page, and progress while an import runs."""

from __future__ import annotations

import datetime as dt
import time
import zipfile
from pathlib import Path

import dashboard_data
import pytest
from activity_files import gpx
from activity_rows import write
from test_dashboard_browser import click, column_values, dash_duo, serve, visit  # noqa: F401

from dashboard import create_app, figures
from ingest.database.db import connect
from ingest.files.importer import STAGES as IMPORT_STAGES
from ingest.sample.synthetic import load_sample

pytestmark = pytest.mark.browser

MONA = "Mona Monotone (synthetic)"
BEA = "Bea Balanced (synthetic)"
TODAY = dt.date.today()
TRIAGE = ["athlete", "risk_text", "warnings_text", "last_activity", "plan_findings"]

IN_VIEW = """
const [grid, columns] = arguments;
const width = window.innerWidth;
const viewport = document.querySelector(`#${grid} .ag-center-cols-viewport`);
return {
  page: document.documentElement.scrollWidth <= width,
  grid: viewport.scrollWidth <= viewport.clientWidth + 1,
  right: columns.map(c => {
    const h = document.querySelector(`#${grid} .ag-header-cell[col-id='${c}']`);
    return h ? h.getBoundingClientRect().right : 1e9;
  }),
  width: width,
};
"""


def squad(db: Path) -> Path:
    """The synthetic athletes ending today, plus two hand-made ones (ending 2026-11-22)."""
    load_sample(db, {}, end=TODAY)
    return dashboard_data.build(db, dashboard_data.ATHLETES)


def runs(last: dt.date, days: int = 60) -> list[dict]:
    """A run every day for `days` days up to `last`."""
    return [
        {"start_local": f"{last - dt.timedelta(days=i)}T07:00", "sport_type": "Run", "minutes": 40, "km": 8}
        for i in range(days)
    ]


def upload(duo, path: Path) -> None:
    duo.find_element("#import-upload input[type=file]").send_keys(str(path))


def test_overview_at_1024_px_shows_the_triage_without_scrolling(dash_duo, tmp_path):  # noqa: F811
    """Risk, warnings in words, last activity and plan for every row, no sideways scrolling."""
    serve(dash_duo, squad(tmp_path / "squad.duckdb"))
    dash_duo.driver.set_window_size(1024, 900)
    visit(dash_duo, "/")
    dash_duo.wait_for_element("#overview-table .ag-row", timeout=20)
    time.sleep(0.5)  # the grid sizes its columns to the window
    seen = dash_duo.driver.execute_script(IN_VIEW, "overview-table", TRIAGE)
    width = seen["width"]
    assert seen["page"] and seen["grid"], seen  # no sideways scrolling, of the page or of the grid
    assert all(right <= width for right in seen["right"]), seen  # each triage column is in view
    names = column_values(dash_duo, "overview-table", "athlete")
    risks = column_values(dash_duo, "overview-table", "risk_text")
    warnings = column_values(dash_duo, "overview-table", "warnings_text")
    last = column_values(dash_duo, "overview-table", "last_activity")
    assert len(names) == len(risks) == len(warnings) == len(last) == 6
    assert all(risks) and all(warnings) and all(last)
    assert not any("_" in w for w in warnings)  # words, never codes
    row = dict(zip(names, warnings, strict=True))
    assert "No strength work" in row[MONA]
    assert dict(zip(names, risks, strict=True))[MONA] == "red"
    assert dash_duo.get_logs() == []


def test_an_empty_database_welcomes_and_leads_to_the_import_page(dash_duo, db_path):  # noqa: F811
    serve(dash_duo, db_path)
    dash_duo.wait_for_element("#overview-welcome", timeout=20)
    assert "crosstrain import" in dash_duo.find_element("#overview-welcome").text
    for path, page in (("/athlete", "athlete"), ("/compare", "compare"), ("/plan", "plan")):
        visit(dash_duo, path)
        dash_duo.wait_for_element(f"#{page}-welcome", timeout=20)
        assert "Cannot show" not in dash_duo.find_element("#_pages_content").text
    click(dash_duo, dash_duo.find_element("#welcome-import"))
    dash_duo.wait_for_element("#import-upload", timeout=20)
    assert not db_path.exists()  # looking created nothing
    assert dash_duo.get_logs() == []


def test_the_demo_shows_its_athletes_and_an_upload_goes_to_your_database(dash_duo, tmp_path):  # noqa: F811
    demo, mine = tmp_path / "demo.duckdb", tmp_path / "mine.duckdb"
    load_sample(demo, {}, end=TODAY)
    dash_duo.start_server(create_app(demo, user_db=mine), port=dashboard_data.free_port())
    dash_duo.wait_for_element("#demo-badge", timeout=20)
    assert MONA in column_values(dash_duo, "overview-table", "athlete")
    visit(dash_duo, "/import")
    note = dash_duo.wait_for_element("#import-demo-note", timeout=20).text
    assert str(mine) in note and "crosstrain dashboard" in note
    csv = tmp_path / "una.csv"
    csv.write_text("date,type,duration\n2026-11-20,Run,30:00\n2026-11-21,Pilates,45:00\n")
    dash_duo.find_element("#import-athlete").send_keys("Una User")
    upload(dash_duo, csv)
    dash_duo.wait_for_contains_text("#import-file-0", "2 imported", timeout=30)
    assert f"Imported into your database ({mine})" in dash_duo.find_element("#import-file-0").text
    with connect(mine, read_only=True) as con:
        assert con.execute("select name from athletes").fetchall() == [("Una User",)]
    with connect(demo, read_only=True) as con:
        assert con.execute("select count(*) from athletes where name = 'Una User'").fetchone()[0] == 0
    assert dash_duo.get_logs() == []


def test_the_import_form_speaks_its_fields_and_links_each_athlete_imported(dash_duo, tmp_path):  # noqa: F811
    serve(dash_duo, squad(tmp_path / "squad.duckdb"))
    visit(dash_duo, "/import")
    for field in (
        "#import-athlete",
        "#import-format",
        "#import-timezone",
        "#import-units",
        "#import-date-order",
    ):
        dash_duo.wait_for_element(field, timeout=20)
    nameless = tmp_path / "nameless.fit.gpx"
    gpx(nameless.with_name("nameless.gpx"), dt.datetime(2026, 11, 20, 7), 600)
    upload(dash_duo, nameless.with_name("nameless.gpx"))
    dash_duo.wait_for_contains_text("#import-file-0", "Not imported", timeout=30)
    problem = dash_duo.find_element("#import-file-0").text
    assert "Athlete field" in problem and "--athlete" not in problem

    dash_duo.find_element("#import-athlete").send_keys("Ivo Import")
    dash_duo.select_dcc_dropdown("#import-timezone", value="Europe/Berlin")
    csv = tmp_path / "ivo.csv"
    csv.write_text(
        "date,type,duration,distance_km\n2026-11-20T07:00,Run,30:00,6\n2026-11-21,Pilates,45:00,\n"
    )
    upload(dash_duo, csv)  # the file input keeps the first file too: both are imported now
    dash_duo.wait_for_contains_text("#import-results", "2 imported", timeout=30)
    results = dash_duo.find_element("#import-results").text
    assert "--" not in results and "Time zone" in results
    click(dash_duo, dash_duo.find_element(".import-athlete-link"))
    dash_duo.wait_for_text_to_equal("#athlete-name", "Ivo Import", timeout=20)
    with connect(tmp_path / "squad.duckdb", read_only=True) as con:
        zone = con.execute("select timezone from athletes where name = 'Ivo Import'").fetchone()[0]
    assert zone == "Europe/Berlin"  # the form's time zone reached the import
    assert dash_duo.get_logs() == []


def test_a_squad_of_old_histories_by_each_athletes_last_activity_and_an_inactive_page(dash_duo, tmp_path):  # noqa: F811
    db = tmp_path / "old.duckdb"
    write(db, "Olga Old", runs(dt.date(2023, 5, 1)))
    write(db, "Rita Recent", runs(dt.date(2025, 1, 10), days=90))
    serve(dash_duo, db)
    dash_duo.wait_for_element("#overview-table .ag-row", timeout=20)
    risks = column_values(dash_duo, "overview-table", "risk_text")
    assert sorted(risks) == ["inactive since 2023-05-01", "inactive since 2025-01-10"]  # as of today
    assert "each athlete's last activity" in dash_duo.find_element("#overview-day-hint").text
    click(dash_duo, dash_duo.find_element("#overview-day input[value='last']"))
    dash_duo.wait_for_contains_text("#overview-when", "each athlete's last 28 days", timeout=20)
    assert dash_duo.driver.current_url.endswith("/?as_of=last")
    risks = column_values(dash_duo, "overview-table", "risk_text")
    assert len(risks) == 2 and not any(r.startswith("inactive") for r in risks)
    warnings = column_values(dash_duo, "overview-table", "warnings_text")
    assert all("No strength work" in w for w in warnings)  # running only, at their own day

    visit(dash_duo, "/athlete/Olga%20Old")
    # the note fades in (dbc.Alert): an element at opacity 0 has no text for Selenium yet
    dash_duo.wait_for_contains_text("#athlete-inactive", "Inactive since", timeout=20)
    note = dash_duo.find_element("#athlete-inactive").text
    assert (
        "Inactive since 2023-05-01" in note
        and "No warnings" not in dash_duo.find_element("#athlete-content").text
    )
    assert "The charts show 2023-02-07 to 2023-05-01" in note  # the last 12 weeks they were active
    days = column_values(dash_duo, "athlete-sessions", "day")
    assert days and max(days) == "2023-05-01"
    assert dash_duo.get_logs() == []


def test_athlete_menu_on_the_riskiest_and_compare_bands(dash_duo, tmp_path):  # noqa: F811
    """The Athlete menu opens on the riskiest athlete; compare colours each metric by its own band."""
    serve(dash_duo, squad(tmp_path / "squad.duckdb"))
    dash_duo.wait_for_element("#overview-table .ag-row", timeout=20)
    first = column_values(dash_duo, "overview-table", "athlete")[0]
    visit(dash_duo, "/athlete")
    dash_duo.wait_for_text_to_equal("#athlete-name", first, timeout=20)

    visit(dash_duo, f"/compare?athlete={MONA}&athlete={BEA}&athlete=Tri Tom (synthetic)")
    dash_duo.wait_for_element("#compare-monotony .main-svg", timeout=20)
    for chart, column in (("compare-monotony", "monotony"), ("compare-support", "support_share")):
        trace = dash_duo.driver.execute_script(
            f"return document.querySelector('#{chart} .js-plotly-plot').data[0]"
        )
        expected = [figures.band_colour(column, x) for x in trace["x"]]
        assert trace["marker"]["color"] == expected
    support = dash_duo.find_element("#compare-support").text
    assert "0%" in support  # Mona's 0% is written, not an invisible bar
    assert "_" not in dash_duo.find_element("#compare-table").text
    assert dash_duo.get_logs() == []


def test_errors_inside_a_page_are_one_readable_line(dash_duo, tmp_path):  # noqa: F811
    serve(dash_duo, squad(tmp_path / "squad.duckdb"))
    for path, box in (
        ("/?as_of=soon", "#overview-problem"),
        ("/athlete/Nobody", "#athlete-problem"),
        ("/compare?athlete=Nobody&athlete=Neither", "#compare-problem"),
        ("/athlete/Nobody?as_of=3000-01-01", "#athlete-problem"),
    ):
        visit(dash_duo, path)
        dash_duo.wait_for_element(box, timeout=20)
        time.sleep(0.5)  # the page settles (a callback may draw the box again)
        text = dash_duo.driver.execute_script(
            f"const b = document.querySelector('{box}'); return b && b.innerText"
        )
        assert text and "\n" not in text.strip() and "Traceback" not in dash_duo.driver.page_source, path
    assert dash_duo.get_logs() == []


def test_a_folder_of_activity_files_shows_its_progress_then_its_results(dash_duo, tmp_path):  # noqa: F811
    folder = tmp_path / "watch"
    folder.mkdir()
    start = dt.datetime(2026, 10, 1, 7)
    archive = tmp_path / "watch.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(120):
            path = gpx(folder / f"run{i:03d}.gpx", start + dt.timedelta(days=i // 2, hours=6 * (i % 2)), 2400)
            z.write(path, path.name)
    serve(dash_duo, squad(tmp_path / "squad.duckdb"))
    visit(dash_duo, "/import")
    dash_duo.wait_for_element("#import-athlete", timeout=20).send_keys("Paula Progress")
    upload(dash_duo, archive)
    stages = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not dash_duo.find_elements("#import-file-0"):
        # the stage line is replaced every half second: read in the page in one step (a selenium
        # element read while the poll replaced it came back empty on a CI run)
        line = dash_duo.driver.execute_script(
            "const e = document.querySelector('#import-stage'); return e && e.innerText"
        )
        if line:
            stages.add(line.split(":")[0])
        time.sleep(0.1)
    result = dash_duo.wait_for_element("#import-file-0", timeout=5).text
    assert "120 activity files" in result and "120 imported" in result
    # a stage was shown before the results (which one the poll catches depends on the machine's speed:
    # with the files decoded while the database opens, reading can pass between two polls)
    assert stages & set(IMPORT_STAGES.values()), stages
    assert not dash_duo.find_elements("#import-progress-bar")  # gone with the results
    assert dash_duo.get_logs() == []
