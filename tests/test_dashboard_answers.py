"""What the server keeps between requests so that many people at once cost less of its Python (issue
22, 20 clients at once): the coach overview's whole answer until a write or the next day, and the
page HTML's script addresses. Over real HTTP requests to the Flask app, on a real DuckDB file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import dashboard_data
import pytest

from dashboard import create_app
from dashboard.data import CONFIG_KEY
from ingest.database.corrections import set_activities
from ingest.database.db import connect

MONA = "Mona Monotone (test)"


@pytest.fixture
def app(db_path: Path):
    return create_app(dashboard_data.build(db_path))


def router_request(client, path: str) -> dict:
    """The body Dash's router callback sends for `path` (as a browser that opened it)."""
    deps = client.get("/_dash-dependencies").get_json()
    router = next(d for d in deps if "_pages_content.children" in d["output"])
    outputs = [
        dict(zip(("id", "property"), o.rsplit(".", 1), strict=True))
        for o in router["output"].strip(".").split("...")
    ]
    inputs = [{**i, "value": path if i["property"] == "pathname" else ""} for i in router["inputs"]]
    return {
        "output": router["output"],
        "outputs": outputs,
        "inputs": inputs,
        "changedPropIds": ["_pages_location.pathname"],
        "state": [{**s, "value": None} for s in router.get("state", [])],
    }


def answer(client, body: dict) -> bytes:
    got = client.post("/_dash-update-component", json=body)
    assert got.status_code == 200 and got.content_type == "application/json"
    return got.data


def mona_km(answer_bytes: bytes) -> float:
    rows = json.loads(answer_bytes)["response"]["_pages_content"]["children"]
    found = re.search(r'"athlete": "Mona Monotone \(test\)"[^}]*?"run_km": ([0-9.]+)', json.dumps(rows))
    assert found, "Mona's row is on the overview"
    return float(found.group(1))


def test_the_overview_answer_is_sent_again_until_a_write(app, db_path: Path) -> None:
    cfg = app.server.config[CONFIG_KEY]
    client = app.server.test_client()
    body = router_request(client, "/")
    first = answer(client, body)
    assert b"overview-table" in first and len(cfg.answers) == 1
    assert answer(client, body) == first and len(cfg.answers) == 1  # sent again as it was
    cfg.answers.clear()
    assert answer(client, body) == first  # what building the page again gives
    with connect(db_path) as con:
        run = con.execute(
            "select a.activity_id from activities a join athletes t using (athlete_id) where t.name = ? "
            "and a.sport_type = 'Run' order by a.start_local desc limit 1",
            [MONA],
        ).fetchone()[0]
        set_activities(con, [run], excluded=True)
    after = answer(client, body)
    assert after != first and len(cfg.answers) == 2  # a write: the page computed again
    assert mona_km(after) < mona_km(first)
    other = router_request(client, "/")
    other["inputs"] = [
        {**i, "value": "?as_of=2026-11-01"} if i["property"] == "search" else i for i in other["inputs"]
    ]
    assert answer(client, other) != after and len(cfg.answers) == 3  # another request, its own answer


def test_only_the_overview_showing_its_table_is_kept(app, db_path: Path) -> None:
    """A busy database's message is not kept (the next request shows the table), nor an athlete page."""
    cfg = app.server.config[CONFIG_KEY]
    client = app.server.test_client()
    athlete = answer(client, router_request(client, "/athlete/" + quote(MONA, safe="")))
    assert MONA.encode() in athlete and not cfg.answers
    code = (
        "import sys, time, duckdb; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); "
        "time.sleep(4); con.close()"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(db_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        busy = answer(client, router_request(client, "/"))
    finally:
        holder.wait(30)
    assert b"overview-problem" in busy and not cfg.answers
    assert b"overview-table" in answer(client, router_request(client, "/")) and len(cfg.answers) == 1


def test_the_page_html_is_the_same_with_its_script_addresses_kept(app) -> None:
    client = app.server.test_client()

    def html() -> str:  # without the page load's own signed id, new each time
        return re.sub(r'"end_id":"[^"]*"', "", client.get("/").get_data(as_text=True))

    kept = html()
    assert html() == kept and app._kept_sources
    app._kept_sources.clear()  # Dash finds every address again
    assert html() == kept
    assert "_dash-component-suites/dash/dcc/" in kept


def test_dash_layout_and_dependencies_are_the_same_when_kept(app) -> None:
    client = app.server.test_client()
    layout, deps = client.get("/_dash-layout").data, client.get("/_dash-dependencies").data
    assert client.get("/_dash-layout").data == layout and client.get("/_dash-dependencies").data == deps
    app.__dict__.pop("_kept_layout")
    app.__dict__.pop("_kept_dependencies")
    assert client.get("/_dash-layout").data == layout and client.get("/_dash-dependencies").data == deps
    router_request(client, "/")  # the router's callback, added on the first request, is in the list
    assert b"_pages_content.children" in client.get("/_dash-dependencies").data
