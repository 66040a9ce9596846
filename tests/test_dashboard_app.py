"""The dashboard's pages and callbacks on a real DuckDB file, without a browser."""

from __future__ import annotations

import base64
import datetime as dt
import importlib
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import dashboard_data
import pytest
from dash.development.base_component import Component
from plotly.utils import PlotlyJSONEncoder

from crosstrain.cli_dashboard import is_loopback
from dashboard import athlete_view, create_app, data, uploads
from ingest.database.corrections import set_activities
from ingest.database.db import connect

MONA, BEA = "Mona Monotone (test)", "Bea Balanced (test)"
CROSSTRAIN = str(Path(sys.executable).with_name("crosstrain"))


def inside(component: Component) -> Any:
    """Its children, or the component a deferred slot's store carries (`components.deferred`)."""
    data = getattr(component, "data", None)
    if isinstance(data, dict) and {"type", "namespace", "props"} <= data.keys():
        return getattr(importlib.import_module(data["namespace"]), data["type"])(**data["props"])
    return getattr(component, "children", None)


def find(tree: Any, wanted: str) -> Component | None:
    """The component with id `wanted` anywhere in a layout."""
    if isinstance(tree, Component):
        if getattr(tree, "id", None) == wanted:
            return tree
        tree = inside(tree)
    if isinstance(tree, list | tuple):
        for child in tree:
            if (hit := find(child, wanted)) is not None:
                return hit
    elif isinstance(tree, Component):
        return find(tree, wanted)
    return None


def ids(tree: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(tree, Component):
        if isinstance(getattr(tree, "id", None), str):
            found.add(tree.id)
        tree = inside(tree)
    if isinstance(tree, list | tuple):
        for child in tree:
            found |= ids(child)
    elif isinstance(tree, Component):
        found |= ids(tree)
    return found


def text(tree: Any) -> str:
    if isinstance(tree, str):
        return tree
    if isinstance(tree, Component):
        return text(getattr(tree, "children", None))
    if isinstance(tree, list | tuple):
        return " ".join(text(c) for c in tree)
    return ""


@pytest.fixture
def db(db_path: Path) -> Path:
    return dashboard_data.build(db_path)


@pytest.fixture
def app(db: Path):
    app = create_app(db)
    with app.server.test_request_context("/"):
        yield app


def pages():
    from dashboard.pages import athlete, compare, import_page, overview

    return overview, athlete, compare, import_page


def test_overview_lists_every_athlete_highest_risk_first(app):
    overview = pages()[0]
    table = find(overview.layout(as_of="2026-11-22"), "overview-table")
    rows = table.rowData
    assert [r["athlete"] for r in rows] == [MONA, BEA]
    mona = rows[0]
    assert mona["risk"] == "red" and mona["risk_text"] == "red"  # the CLI's words
    assert "No strength work" in mona["warnings_text"] and "_" not in mona["warnings_text"]
    assert mona["last_activity"] == "2026-11-22" and "monotony" in mona["numbers"]
    assert mona["support_share"] == 0
    assert len(mona["spark_run"]) == overview.SPARK_WEEKS
    assert mona["spark_support"] == "▁" * overview.SPARK_WEEKS
    assert set(rows[1]["spark_support"]) != {"▁"}
    assert mona["href"].startswith("/athlete/Mona%20Monotone%20%28test%29")
    fields = [c["field"] for c in table.columnDefs]
    assert fields[:5] == ["athlete", "risk_text", "warnings_text", "last_activity", "plan_findings"]
    assert "spark_run" in [c["field"] for c in overview.columns(all_numbers=True)]
    assert table.defaultColDef["sortable"] and table.defaultColDef["filter"]
    assert table.dashGridOptions["rowSelection"]["mode"] == "multiRow"


def test_overview_with_one_athlete_opens_that_athlete(db_path: Path):
    dashboard_data.build(db_path, {BEA: dashboard_data.balanced})
    app = create_app(db_path)
    with app.server.test_request_context("/"):
        page = pages()[0].layout()
        assert find(page, "athlete-select").value == BEA
        assert find(page, "overview-table") is None


def test_overview_without_athletes_points_to_import(db_path: Path):
    dashboard_data.build(db_path, {})
    app = create_app(db_path)
    with app.server.test_request_context("/"):
        welcome = find(pages()[0].layout(), "overview-welcome")
        assert "crosstrain import" in text(welcome) and find(welcome, "welcome-import").href == "/import"


def test_compare_button_needs_two_ticked_rows(app):
    overview = pages()[0]
    assert overview.compare_target([{"athlete": MONA}])[1] is True
    assert overview.compare_target(None)[1] is True
    href, disabled, label = overview.compare_target([{"athlete": BEA}, {"athlete": MONA}])
    assert not disabled and label == "Compare 2 athletes"
    assert href == "/compare?athlete=Bea+Balanced+%28test%29&athlete=Mona+Monotone+%28test%29"


def test_athlete_page_shows_the_monotone_runners_warnings_first(app):
    page = athlete_view.render(MONA, "2026-08-03", "2026-11-22")
    found = ids(page)
    assert {"athlete-warning-no_support_work", "athlete-warning-low_support_share"} <= found
    warnings = find(page, "athlete-warnings")
    assert "What to do" in text(warnings)
    order = [c.id for c in page.children if getattr(c, "id", None)]
    assert order.index("athlete-warnings") < order.index("guidance-note")
    charts = {"athlete-weekly", "athlete-support", "athlete-monotony", "athlete-acwr", "athlete-fitness"}
    assert charts | {"athlete-calendar", "athlete-sessions"} <= found
    assert "not a diagnosis" in text(find(page, "guidance-note"))


def test_balanced_athlete_has_no_support_warnings(app):
    page = athlete_view.render(BEA, "2026-08-03", "2026-11-22")
    found = ids(page)
    assert "athlete-warning-no_support_work" not in found
    assert "athlete-warning-low_support_share" not in found


def test_date_range_limits_the_charts_and_the_sessions(app):
    page = athlete_view.render(BEA, "2026-11-16", "2026-11-22")
    sessions = find(page, "athlete-sessions").rowData
    assert {r["day"] for r in sessions} <= {f"2026-11-{d}" for d in range(16, 23)}
    assert len(sessions) == 7  # Mon-Sun: 4 runs, 2 strength, 1 Pilates
    weekly = find(page, "athlete-weekly").figure
    assert {str(x)[:10] for t in weekly["data"] for x in t["x"]} == {"2026-11-16"}


def test_activity_names_reach_the_page_as_plain_text(app):
    page = athlete_view.render(BEA, "2026-11-16", "2026-11-22")
    table = find(page, "athlete-sessions")
    names = [r["name"] for r in table.rowData]
    assert dashboard_data.XSS_NAME in names  # a text cell: the grid renders it as text, not HTML
    assert all("cellRenderer" not in c for c in table.columnDefs)
    assert not getattr(table, "dangerously_allow_code", False)


def test_unknown_athlete_is_one_line_not_an_error_page(app):
    page = athlete_view.render("Nobody", None, None)
    assert page.id == "athlete-problem"
    assert "Nobody" in text(page)


def test_athlete_layout_url_quoted_name_and_default_range(app):
    page = pages()[1].layout(name="Mona%20Monotone%20%28test%29", as_of="2026-11-22")
    assert find(page, "athlete-select").value == MONA
    dates = find(page, "athlete-dates")
    assert dates.end_date == "2026-11-22"
    assert dates.start_date == "2026-08-03"  # 16 weeks


def test_an_inactive_athlete_says_since_when_with_their_last_active_weeks(app):
    page = pages()[1].layout(name="Mona%20Monotone%20%28test%29", as_of="2026-12-22")
    dates = find(page, "athlete-dates")
    assert (dates.start_date, dates.end_date) == ("2026-08-31", "2026-11-22")  # the last 12 active weeks
    note = text(find(page, "athlete-inactive"))
    assert "Inactive since 2026-11-22" in note and "no session in the 30 days to 2026-12-22" in note
    assert find(page, "athlete-warnings") is None and "No warnings" not in text(page)
    assert find(page, "athlete-inactive-link").href.endswith("as_of=2026-11-22")


def test_the_athlete_menu_opens_on_the_riskiest_athlete(app, monkeypatch):
    monkeypatch.setattr(data, "default_as_of", lambda *_: dashboard_data.END)
    assert find(pages()[1].layout(), "athlete-select").value == MONA  # red, before Bea (B < M)


def test_compare_renders_two_athletes_side_by_side(app):
    compare = pages()[2]
    content = compare.render([MONA, BEA], "2026-11-22")
    table = find(content, "compare-table")
    assert [r["athlete"] for r in table.rowData] == [MONA, BEA]
    assert {r["risk_text"] for r in table.rowData} <= {"red", "amber", "green"}  # the CLI's words
    fig = find(content, "compare-weekly").figure
    assert [a["text"] for a in fig["layout"]["annotations"]] == [MONA, BEA]
    assert find(compare.render([MONA], None), "compare-hint") is not None


def generic_csv(athlete: str, bad_line: bool = False) -> str:
    lines = ["date,type,duration,distance_km,name"]
    lines += [f"2026-11-{d:02d},Run,45:00,9.0,Run {d}" for d in range(1, 15)]
    lines += ["2026-11-15,Pilates,50:00,,Mat Pilates"]
    if bad_line:
        lines.append("not-a-date,Run,45:00,9.0,broken")
    return "\n".join(lines) + "\n"


def upload_of(content: str) -> str:
    return "data:text/csv;base64," + base64.b64encode(content.encode()).decode()


def test_upload_imports_through_the_import_library_and_reports_rejects(app):
    results = uploads.import_uploads(
        [upload_of(generic_csv("x", bad_line=True))], ["week.csv"], "Uma Upload", "auto"
    )
    assert len(results) == 1
    result = results[0]
    assert result.error is None, result.error
    assert result.file == "week.csv"
    assert result.counts.new == 15
    assert [(r.column, "not-a-date" in r.reason) for r in result.rejects] == [("date", True)]
    view = pages()[3].result_view(results)
    assert "15 imported" in text(view) and "1 rejected" in text(view)
    assert "Uma Upload" in [a["name"] for a in data.athletes()]


def test_upload_refuses_a_file_over_the_limit(app, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 100)
    results = uploads.import_uploads([upload_of(generic_csv("x"))], ["big.csv"], "Uma Upload", "auto")
    assert results[0].error and "larger than" in results[0].error
    assert "Uma Upload" not in [a["name"] for a in data.athletes()]


def hold_write_lock(db: Path, seconds: float) -> subprocess.Popen:
    """Another process that holds the database for writing, like a long `crosstrain import`."""
    code = (
        "import sys, time, duckdb; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); "
        "time.sleep(float(sys.argv[2])); con.close()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(db), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_busy_database_gives_a_friendly_retry_message(app, db, monkeypatch):
    monkeypatch.setattr(data, "READ_WAIT_S", 0.3)
    proc = hold_write_lock(db, 5)
    try:
        page = pages()[0].layout()
        assert page.id == "overview-problem"
        assert "in use by another crosstrain process" in text(page) and "try again" in text(page)
    finally:
        proc.kill()
        proc.wait()
    assert find(pages()[0].layout(as_of="2026-11-22"), "overview-table") is not None


def test_cli_import_while_the_dashboard_runs_shows_up_on_the_next_page_load(app, db, tmp_path):
    overview = pages()[0]
    assert len(find(overview.layout(), "overview-table").rowData) == 2
    csv = tmp_path / "new.csv"
    csv.write_text(generic_csv("x"))
    # A page is being read while the CLI starts: the import waits for the read to finish, then writes.
    cfg, held = data.config(), []

    def slow_read() -> None:
        with data.reading(cfg) as con:
            held.append(con.execute("select count(*) from athletes").fetchone()[0])
            time.sleep(1.0)

    reader = threading.Thread(target=slow_read)
    reader.start()
    time.sleep(0.3)
    done = subprocess.run(
        [CROSSTRAIN, "--db", str(db), "import", str(csv), "--athlete", "Nina New"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    reader.join()
    assert held == [2]
    assert done.returncode == 0, done.stderr
    rows = find(overview.layout(), "overview-table").rowData
    assert "Nina New" in [r["athlete"] for r in rows]


def test_a_write_changes_that_athletes_row_in_the_very_next_overview(app, db):
    overview = pages()[0]
    before = {r["athlete"]: r for r in find(overview.layout(), "overview-table").rowData}
    with connect(db) as con:
        mona_run = con.execute(
            "select a.activity_id from activities a join athletes t using (athlete_id) where t.name = ? "
            "order by a.start_local desc limit 1",
            [MONA],
        ).fetchone()[0]
        set_activities(con, [mona_run], excluded=True)
    after = {r["athlete"]: r for r in find(overview.layout(), "overview-table").rowData}
    assert after[MONA]["run_km"] == before[MONA]["run_km"] - 9.0  # one 9 km run fewer
    assert after[BEA] == before[BEA]
    assert data.config().overview.computed == [MONA]  # the other athlete came from the kept overview


def test_password_protects_every_request(db):
    app = create_app(db, password="s3cret")
    client = app.server.test_client()
    assert client.get("/").status_code == 401
    assert client.get("/_dash-layout").status_code == 401
    bad = base64.b64encode(b"crosstrain:wrong").decode()
    assert client.get("/", headers={"Authorization": f"Basic {bad}"}).status_code == 401
    good = base64.b64encode(b"crosstrain:s3cret").decode()
    assert client.get("/", headers={"Authorization": f"Basic {good}"}).status_code == 200
    assert create_app(db).server.test_client().get("/").status_code == 200


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.10")


def test_dashboard_refuses_a_public_host_without_password(run_cli, db):
    result = run_cli("dashboard", "--host", "0.0.0.0", "--port", "8099")
    assert result.exit_code == 1
    assert "--password" in result.output and "Traceback" not in result.output


def test_strava_card_explains_itself_when_not_configured(app, monkeypatch):
    monkeypatch.delenv("STRAVA_CLIENT_ID", raising=False)
    page = pages()[3].layout()
    assert "STRAVA_CLIENT_ID" in text(find(page, "import-strava-missing"))
    assert find(page, "import-sync") is None
    monkeypatch.setenv("STRAVA_CLIENT_ID", "123")
    monkeypatch.setenv("STRAVA_CLIENT_SECRET", "abc")
    page = pages()[3].layout()
    assert find(page, "import-sync") is not None and find(page, "import-strava-missing") is None


def test_demo_loads_the_sample_ending_today_into_a_fresh_database_of_its_own(run_cli, db_path):
    from queries.athletes import athletes

    demo = db_path.with_name("demo.duckdb")
    for _ in range(2):
        result = run_cli("demo", "--no-serve")
        assert result.exit_code == 0, result.output
    with connect(demo, read_only=True) as con:
        found = athletes(con)
        imports = con.execute("select count(*) from imports").fetchone()[0]
    names = [a["name"] for a in found]
    assert "Mona Monotone (synthetic)" in names and "Bea Balanced (synthetic)" in names
    assert all(n.endswith("(synthetic)") for n in names)
    assert max(a["last_activity"] for a in found) == dt.date.today().isoformat()  # active today
    assert imports <= 1  # the second run started from a fresh file
    assert not db_path.exists()  # the user's database is not the demo's


def test_the_demo_and_the_cli_agree_on_the_day(run_cli, db_path):
    """After the demo, `compare` (today) sees the synthetic athletes active, as the dashboard does."""
    from click.testing import CliRunner

    from crosstrain.cli import cli

    demo = db_path.with_name("demo.duckdb")
    assert run_cli("demo", "--no-serve").exit_code == 0
    out = json.loads(CliRunner().invoke(cli, ["--db", str(demo), "compare", "--json"]).output)
    assert out["as_of"] == dt.date.today().isoformat()
    risks = {a["athlete"]: a["risk"] for a in out["athletes"]}
    assert "inactive" not in risks.values() and risks["Mona Monotone (synthetic)"] == "red"
    app = create_app(demo, user_db=db_path)
    with app.server.test_request_context("/"):
        rows = find(pages()[0].layout(), "overview-table").rowData
    assert {r["athlete"]: r["risk"] for r in rows} == risks


def test_demo_keeps_a_demo_file_holding_athletes_of_your_own(run_cli, db_path):
    demo = dashboard_data.build(db_path.with_name("demo.duckdb"))
    result = run_cli("demo", "--no-serve")
    assert result.exit_code == 0, result.output
    [kept] = demo.parent.glob("demo-kept-*.duckdb")
    assert str(kept) in result.output
    with connect(kept, read_only=True) as con:
        assert con.execute("select count(*) from athletes").fetchone()[0] == 2
    with connect(demo, read_only=True) as con:
        assert con.execute("select count(*) from athletes where name like '%(synthetic)'").fetchone()[0] == 4


def test_demo_refuses_your_own_database_as_its_own(run_cli, db):
    result = run_cli("demo", "--no-serve", "--demo-db", str(db))
    assert result.exit_code == 1 and "your own database" in result.output


def test_demo_without_db_uses_a_file_of_its_own(tmp_path):
    from click.testing import CliRunner

    from crosstrain.cli import cli
    from ingest.database.db import default_db_path

    result = CliRunner().invoke(cli, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert default_db_path().with_name("demo.duckdb").exists()
    assert not default_db_path().exists()


def test_before_any_import_the_pages_say_so_and_the_upload_creates_the_database(db_path):
    app = create_app(db_path)
    with app.server.test_request_context("/"):
        page = pages()[0].layout()
        assert page.id == "overview-welcome" and not db_path.exists()
        results = uploads.import_uploads([upload_of(generic_csv("x"))], ["first.csv"], "Fay First", "auto")
        assert results[0].error is None and results[0].counts.new == 15
        assert find(pages()[0].layout(), "athlete-select").value == "Fay First"  # the only athlete


def test_pages_answer_from_committed_data_while_this_dashboard_writes(app, db):
    """An upload or a label set from the dashboard holds a write open; pages neither wait for it nor
    see it half-done: they show the last committed data."""
    cfg = data.config()
    started, finish = threading.Event(), threading.Event()

    def slow_write() -> None:
        with data.writing(cfg) as path, connect(path) as con:
            con.execute("begin transaction")
            con.execute("insert into athletes (athlete_id, name) values (999, 'Half Written')")
            started.set()
            finish.wait(30)
            con.execute("commit")

    writer = threading.Thread(target=slow_write)
    writer.start()
    try:
        assert started.wait(30)
        t0 = time.monotonic()
        rows = find(pages()[0].layout(as_of="2026-11-22"), "overview-table").rowData
        assert time.monotonic() - t0 < 10
        assert [r["athlete"] for r in rows] == [MONA, BEA]  # not "still writing", and not the new row
        page = athlete_view.render(MONA, "2026-11-01", "2026-11-22")
        assert find(page, "athlete-name") is not None
    finally:
        finish.set()
        writer.join()
    assert "Half Written" in [a["name"] for a in data.athletes()]  # committed: the next page shows it


def started_early() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "prefetch"]


def test_a_pages_html_request_starts_its_data_and_the_router_gets_the_same_page(db):
    from urllib.parse import quote

    from dashboard.data import CONFIG_KEY
    from dashboard.pages import athlete

    app = create_app(db)
    cfg = app.server.config[CONFIG_KEY]
    client = app.server.test_client()
    assert client.get("/import").status_code == 200  # a page without prefetch starts nothing
    assert not started_early()
    assert client.get("/athlete/" + quote(MONA, safe="")).status_code == 200
    for thread in started_early():
        thread.join(30)
    assert [key[2] for key in cfg.cache if key[1] == "athlete"] == [MONA]
    with app.server.test_request_context("/"):
        early = json.dumps(athlete.layout(name=quote(MONA, safe="")), cls=PlotlyJSONEncoder)
        cfg.cache.clear()
        fresh = json.dumps(athlete.layout(name=quote(MONA, safe="")), cls=PlotlyJSONEncoder)
    assert early == fresh


def test_without_the_password_a_page_request_starts_nothing(db):
    from dashboard.data import CONFIG_KEY

    app = create_app(db, password="s3cret")
    assert app.server.test_client().get("/athlete/x").status_code == 401
    assert not started_early() and not app.server.config[CONFIG_KEY].cache


def test_a_question_being_computed_is_computed_once_for_every_caller(app):
    calls: list[int] = []
    started, release = threading.Event(), threading.Event()
    answers: list[Any] = []

    def slow() -> str:
        calls.append(1)
        started.set()
        release.wait(10)
        return "answer"

    def ask() -> None:
        with app.server.test_request_context("/"):
            answers.append(data.cached(("slow question",), slow))

    first = threading.Thread(target=ask)
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=ask)
    second.start()
    time.sleep(0.2)  # the second caller is waiting for the first one's answer
    release.set()
    first.join(10)
    second.join(10)
    assert calls == [1] and answers == ["answer", "answer"]

    def broken() -> str:
        raise ValueError("the database said no")

    with pytest.raises(ValueError, match="said no"):
        data.cached(("broken",), broken)
    assert data.cached(("broken",), lambda: "later") == "later"  # a failure is not kept


def test_a_long_athlete_list_comes_to_its_picker_after_the_charts():
    from dashboard import components

    names = [f"Athlete {i:03d}" for i in range(components.LONG_LIST)]
    picker = components.athlete_picker("athlete-select", names, "Athlete 007", "Choose an athlete")
    assert find(picker, "athlete-select").options == [{"label": "Athlete 007", "value": "Athlete 007"}]
    store = picker.children[1]
    assert store.id == {"type": components.DEFERRED_OPTIONS, "picker": "athlete-select"}
    assert [o["value"] for o in store.data] == names
    several = components.athlete_picker("compare-select", names, names[:2], "Choose", multi=True)
    assert [o["value"] for o in find(several, "compare-select").options] == names[:2]
    short = components.athlete_picker("athlete-select", names[:4], "Athlete 001", "Choose an athlete")
    assert [o["value"] for o in short.options] == names[:4]  # a short list: all at once


def test_the_servers_start_up_objects_are_kept_out_of_full_collections(db_path: Path):
    """`crosstrain dashboard` freezes what its start made (dashboard.app.freeze_start_up): a full
    collection then walks only the objects made since, not the ~150,000 of the modules and the app (its
    40-100 ms fell on whichever page was being answered). In a process of its own: frozen objects are
    never collected."""
    code = (
        "import gc, sys\n"
        "from dashboard import create_app\n"
        "from dashboard.app import freeze_start_up\n"
        "create_app(sys.argv[1])\n"
        "before = len(gc.get_objects())\n"
        "freeze_start_up()\n"
        "print(before, gc.get_freeze_count(), len(gc.get_objects()))\n"
    )
    args = [sys.executable, "-c", code, str(db_path)]
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    before, frozen, walked = map(int, out.stdout.split())
    assert before > 50_000 and frozen > 0.9 * before and walked < 0.02 * before
