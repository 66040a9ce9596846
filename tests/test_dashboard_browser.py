"""The real dashboard in headless Chromium (dash_duo): what a coach or runner does, page by page.

Needs Debian's chromium and chromium-driver (`make test` installs them when missing and root); the
tests skip, saying why, when chromedriver is absent. Headless and the Chromium binary are set here,
so no command-line options are needed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from dash.testing.composite import DashComposite
from selenium.webdriver.common.by import By

from dashboard import create_app
from ingest.database.db import connect
from ingest.sample.synthetic import load_sample

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not shutil.which("chromedriver"), reason="chromedriver not installed (apt install chromium-driver)"
    ),
]

MONA, BEA = "Mona Monotone (synthetic)", "Bea Balanced (synthetic)"
TODAY = dt.date.today()
XSS = "<script>window.__xss = 1</script>Tempo"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    load_sample(db, {}, end=TODAY)  # as the demo loads it: the athletes active today
    return db


@pytest.fixture
def dash_duo(request, dash_thread_server, tmp_path) -> DashComposite:
    """dash_duo in headless Chromium, whatever the command line says."""
    if chromium := shutil.which("chromium"):
        os.environ.setdefault("DASH_TEST_CHROMEPATH", chromium)
    with DashComposite(
        server=dash_thread_server,
        browser="Chrome",
        headless=True,
        download_path=str(tmp_path),
        percy_finalize=False,
        wait_timeout=20,
    ) as duo:
        yield duo


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(duo: DashComposite, db: Path) -> None:
    duo.start_server(create_app(db), port=free_port())


def visit(duo: DashComposite, path: str) -> None:
    duo.driver.get(duo.server_url + path)


def athlete_path(name: str) -> str:
    return "/athlete/" + quote(name, safe="")


def click(duo: DashComposite, element: object) -> None:
    """A click as the page receives it. Selenium's pointer click can miss in a small headless window
    (the element scrolled under the navbar or a neighbouring cell)."""
    duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element
    )


GRID_COLUMN = """
const [grid, column] = arguments;
const cells = Array.from(document.querySelectorAll(`#${grid} .ag-row .ag-cell[col-id='${column}']`));
const rows = cells.map(c => [Number(c.closest('.ag-row').getAttribute('row-index')), c.innerText.trim()]);
const seen = new Map(rows);
return Array.from(seen.entries()).sort((a, b) => a[0] - b[0]).map(r => r[1]);
"""


def pick(duo: DashComposite, selector: str, value: str) -> None:
    """Choose `value` in a dcc.Dropdown, scrolled to the middle of the window first."""
    element = duo.find_element(selector)
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    duo.select_dcc_dropdown(element, value=value)


def column_values(duo: DashComposite, grid: str, column: str) -> list[str]:
    """A grid column's cell texts in display order (rows are placed by row-index, not DOM order)."""
    duo.wait_for_element(f"#{grid} .ag-row .ag-cell[col-id='{column}']", timeout=20)
    return duo.driver.execute_script(GRID_COLUMN, grid, column)


def test_every_page_loads_and_the_monotone_runner_is_warned(dash_duo, sample_db):
    serve(dash_duo, sample_db)
    dash_duo.wait_for_element("#overview-table", timeout=20)
    names = column_values(dash_duo, "overview-table", "athlete")
    assert MONA in names and BEA in names

    visit(dash_duo, athlete_path(MONA))
    dash_duo.wait_for_element("#athlete-warning-no_support_work", timeout=20)
    dash_duo.wait_for_element("#athlete-warning-low_support_share")
    assert "What to do" in dash_duo.find_element("#athlete-warnings").text
    assert "not a diagnosis" in dash_duo.find_element("#guidance-note").text
    dash_duo.wait_for_element("#athlete-calendar .main-svg")
    assert len(dash_duo.find_elements(".js-plotly-plot")) == 6

    visit(dash_duo, athlete_path(BEA))
    dash_duo.wait_for_text_to_equal("#athlete-name", BEA, timeout=20)
    assert not dash_duo.find_elements("#athlete-warning-no_support_work")
    assert not dash_duo.find_elements("#athlete-warning-low_support_share")

    visit(dash_duo, "/athlete?name=" + quote(BEA))
    dash_duo.wait_for_text_to_equal("#athlete-name", BEA, timeout=20)
    visit(dash_duo, "/athlete")  # no name: the riskiest athlete, with the picker to choose another
    dash_duo.wait_for_element("#athlete-name", timeout=20)
    assert dash_duo.find_element("#risk-badge").text == "risk: red"

    visit(dash_duo, "/compare")
    dash_duo.wait_for_element("#compare-hint", timeout=20)
    visit(dash_duo, "/import")
    dash_duo.wait_for_element("#import-upload", timeout=20)
    assert dash_duo.get_logs() == []


def test_date_range_picker_redraws_the_athlete_page(dash_duo, sample_db):
    serve(dash_duo, sample_db)
    start, end = (TODAY - dt.timedelta(days=20)).isoformat(), TODAY.isoformat()
    visit(dash_duo, athlete_path(BEA) + f"?start={start}&end={end}")
    dash_duo.wait_for_element("#athlete-sessions", timeout=20)
    days = column_values(dash_duo, "athlete-sessions", "day")
    assert days and all(start <= d <= end for d in days)
    assert dash_duo.get_logs() == []


def test_coach_sorts_and_filters_the_grid_and_compares_two_athletes(dash_duo, sample_db):
    serve(dash_duo, sample_db)
    dash_duo.wait_for_element("#overview-table", timeout=20)
    risks = column_values(dash_duo, "overview-table", "risk_text")
    order = {"red": 0, "amber": 1, "green": 2}
    assert [order[r] for r in risks] == sorted(order[r] for r in risks)  # highest risk first, CLI words

    click(dash_duo, dash_duo.find_element("#overview-all-numbers"))  # every number as its own column
    header = "#overview-table .ag-header-cell[col-id='run_km'] .ag-header-cell-label"
    dash_duo.wait_for_element(header)
    click(dash_duo, dash_duo.find_element(header))
    dash_duo.wait_for_element("#overview-table .ag-header-cell[col-id='run_km'][aria-sort='ascending']")
    kms = [float(v) for v in column_values(dash_duo, "overview-table", "run_km")]
    assert kms == sorted(kms) and len(kms) == 4
    click(dash_duo, dash_duo.find_element(header))
    dash_duo.wait_for_element("#overview-table .ag-header-cell[col-id='run_km'][aria-sort='descending']")
    kms_desc = [float(v) for v in column_values(dash_duo, "overview-table", "run_km")]
    assert kms_desc == sorted(kms, reverse=True)

    for row in (0, 1):
        box = dash_duo.find_element(
            f"#overview-table .ag-pinned-left-cols-container .ag-row[row-index='{row}'] input[type=checkbox]"
        )
        click(dash_duo, box)
    dash_duo.wait_for_contains_text("#overview-compare", "Compare 2 athletes")
    click(dash_duo, dash_duo.find_element("#overview-compare"))
    dash_duo.wait_for_element("#compare-table .ag-row", timeout=20)
    compared = column_values(dash_duo, "compare-table", "athlete")
    assert len(compared) == 2
    dash_duo.wait_for_element("#compare-weekly .main-svg")
    assert dash_duo.get_logs() == []


def test_upload_a_csv_and_see_the_athlete_with_names_shown_as_text(dash_duo, sample_db, tmp_path):
    db = tmp_path / "upload.duckdb"
    shutil.copy(sample_db, db)
    csv = tmp_path / "ulla.csv"
    rows = [f"2026-11-{d:02d},Run,40:00,8.0,Easy {d}" for d in range(2, 22)]
    rows.append(f'2026-11-22,Run,45:00,10.0,"{XSS}"')
    rows.append("2026-13-40,Run,40:00,8.0,bad date")
    csv.write_text("date,type,duration,distance_km,name\n" + "\n".join(rows) + "\n")

    serve(dash_duo, db)
    visit(dash_duo, "/import")
    dash_duo.wait_for_element("#import-athlete", timeout=20).send_keys("Ulla Upload")
    dash_duo.find_element("#import-upload input[type=file]").send_keys(str(csv))
    dash_duo.wait_for_contains_text("#import-file-0", "21 imported", timeout=30)
    result = dash_duo.find_element("#import-file-0").text
    assert "1 rejected" in result and "date" in result

    visit(dash_duo, "/")
    dash_duo.wait_for_element("#overview-table", timeout=20)
    assert "Ulla Upload" in column_values(dash_duo, "overview-table", "athlete")

    visit(dash_duo, athlete_path("Ulla Upload"))
    dash_duo.wait_for_element("#athlete-sessions", timeout=20)
    assert XSS in column_values(dash_duo, "athlete-sessions", "name")
    assert dash_duo.driver.execute_script("return window.__xss === undefined")
    assert not dash_duo.driver.find_elements(By.XPATH, "//script[contains(., '__xss')]")
    assert dash_duo.get_logs() == []


def test_cli_import_while_the_dashboard_runs_shows_after_a_reload(dash_duo, sample_db, tmp_path):
    db = tmp_path / "live.duckdb"
    shutil.copy(sample_db, db)
    serve(dash_duo, db)
    dash_duo.wait_for_element("#overview-table", timeout=20)
    assert "Carl Cli" not in column_values(dash_duo, "overview-table", "athlete")

    csv = tmp_path / "carl.csv"
    csv.write_text("date,type,duration\n2026-11-20,Run,30:00\n2026-11-21,Pilates,45:00\n")
    crosstrain = str(Path(sys.executable).with_name("crosstrain"))
    done = subprocess.run(
        [crosstrain, "--db", str(db), "import", str(csv), "--athlete", "Carl Cli"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    dash_duo.driver.refresh()
    dash_duo.wait_for_element("#overview-table", timeout=20)
    assert "Carl Cli" in column_values(dash_duo, "overview-table", "athlete")
    assert dash_duo.get_logs() == []


def test_a_runner_labels_unlabelled_gym_classes_with_the_picker(dash_duo, tmp_path):
    import dashboard_data
    from test_dashboard_labels import CLASS, GYM, gym_goer

    db = dashboard_data.build(
        tmp_path / "gym.duckdb", {GYM: gym_goer, "Bea Balanced (test)": dashboard_data.balanced}
    )
    serve(dash_duo, db)
    visit(dash_duo, athlete_path(GYM) + "?as_of=2026-11-22")
    dash_duo.wait_for_contains_text("#unlabelled-group-0", "Label all 8", timeout=20)
    assert CLASS in dash_duo.find_element("#unlabelled-group-0").text
    # sessions that may be gym work: asked about, never told "no strength work"
    dash_duo.wait_for_element("#athlete-warning-unlabelled_sessions")
    assert not dash_duo.find_elements("#athlete-warning-no_support_work")

    pick(dash_duo, "#unlabelled-group-0 .unlabelled-picker", "strength")
    click(dash_duo, dash_duo.find_element("#unlabelled-group-0 button.btn"))
    dash_duo.wait_for_contains_text(
        "#athlete-labelled", f"Labelled all sessions named '{CLASS}' (now and in later imports) as strength"
    )
    assert not dash_duo.find_elements("#athlete-warning-no_support_work")  # the classes count now
    # a rule for the name, so the next class imported or synced is strength too
    with connect(db, read_only=True) as con:
        assert con.execute("select name, category from category_rules").fetchall() == [(CLASS, "strength")]
    dash_duo.wait_for_contains_text("#unlabelled-group-0", "Saturday thing")

    # One session at a time: open the list under the name and pick for its session.
    click(dash_duo, dash_duo.find_element("#unlabelled-group-0 summary"))
    pick(dash_duo, "#unlabelled-group-0 details .unlabelled-picker", "mobility")
    dash_duo.wait_for_contains_text("#athlete-labelled", "Labelled 1 session as mobility")
    dash_duo.wait_for_no_elements("#unlabelled-group-0")
    dash_duo.wait_for_no_elements("#athlete-warning-unlabelled_sessions")  # nothing left to ask about
    assert dash_duo.get_logs() == []


def test_crosstrain_dashboard_with_config_shows_those_thresholds(dash_duo, sample_db, tmp_path):
    """The real command, served by waitress: its --config, not the default settings file, sets the
    chart lines and hints."""
    import dashboard_data

    config = tmp_path / "coach.toml"
    config.write_text("[thresholds]\nmonotony_warn = 1.7\nmonotony_high = 2.6\nsupport_share_low = 0.2\n")
    with dashboard_data.cli_dashboard(sample_db, options=("--config", str(config))) as served:
        dash_duo.driver.get(served.base + athlete_path(MONA))
        dash_duo.wait_for_contains_text("#athlete-content", "warn 1.7, high 2.6", timeout=30)
        assert "target ≥ 20%" in dash_duo.find_element("#athlete-content").text
        dash_duo.wait_for_contains_text("#athlete-monotony", "warn 1.7")
        assert dash_duo.get_logs() == []
    assert "Traceback" not in served.output


def test_hip_sets_column_and_intensity_chart_from_watch_files(dash_duo, db_path, run_cli, tmp_path):
    import dashboard_data
    from test_dashboard_files import HANA, import_hana

    dashboard_data.build(db_path)
    import_hana(run_cli, tmp_path)
    serve(dash_duo, db_path)
    dash_duo.wait_for_element("#overview-table", timeout=20)
    click(dash_duo, dash_duo.find_element("#overview-all-numbers"))
    dash_duo.wait_for_element("#overview-table .ag-header-cell[col-id='run_km']")
    # Scroll the grid to the column: AG Grid draws only the columns in view.
    dash_duo.driver.execute_script("dash_ag_grid.getApi('overview-table').ensureColumnVisible('hip_sets')")
    names = column_values(dash_duo, "overview-table", "athlete")
    hips = dict(zip(names, column_values(dash_duo, "overview-table", "hip_sets"), strict=True))
    assert hips == {HANA: "4", "Mona Monotone (test)": "–", "Bea Balanced (test)": "–"}

    visit(dash_duo, athlete_path(HANA) + "?start=2026-11-01&end=2026-11-22")
    # The legend is drawn after the plot's SVG appears: wait for its last entry, then read all three.
    dash_duo.wait_for_contains_text("#athlete-intensity .legend", "low", timeout=20)
    legend = dash_duo.find_element("#athlete-intensity .legend").text
    assert all(zone in legend for zone in ("low", "moderate", "high"))
    assert dash_duo.get_logs() == []
