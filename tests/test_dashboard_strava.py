"""The import page's Strava buttons against a Strava-compatible server on 127.0.0.1 (no network)."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dashboard_data
import pytest
from strava_server import CLIENT_ID, CLIENT_SECRET, FakeStrava

from dashboard import create_app, data
from ingest.database.db import connect


@pytest.fixture
def strava(monkeypatch: pytest.MonkeyPatch):
    with FakeStrava() as server:
        monkeypatch.setenv("STRAVA_CLIENT_ID", str(CLIENT_ID))
        monkeypatch.setenv("STRAVA_CLIENT_SECRET", CLIENT_SECRET)
        monkeypatch.setenv("STRAVA_API_URL", server.url)
        monkeypatch.setenv("CROSSTRAIN_RETRY_BASE_S", "0.01")
        yield server


def connect_via_dashboard(client, server: FakeStrava, code: str) -> str:
    """Press Connect, let 'Strava' redirect back with the code; returns the import page's message."""
    to_strava = client.get("/strava/connect")
    assert to_strava.status_code == 302
    target = urlsplit(to_strava.headers["Location"])
    assert f"{target.scheme}://{target.netloc}" == server.url
    query = parse_qs(target.query)
    assert query["redirect_uri"] == ["http://localhost/strava/callback"]
    back = client.get(
        "/strava/callback",
        query_string={"code": code, "state": query["state"][0], "scope": "read,activity:read_all"},
    )
    assert back.status_code == 302
    return parse_qs(urlsplit(back.headers["Location"]).query)["strava"][0]


def test_connect_and_sync_now_with_progress(strava: FakeStrava, db_path: Path):
    dashboard_data.build(db_path)
    app = create_app(db_path)
    client = app.server.test_client()
    code = strava.add_athlete(1001, "Ana", "Runner", activities=450)
    message = connect_via_dashboard(client, strava, code)
    assert message == "connected Ana Runner; press Sync now"

    cfg = app.server.config[data.CONFIG_KEY]
    assert cfg.strava.start(db_path, {}) is True
    assert cfg.strava.start(db_path, {}) is False  # one sync at a time
    deadline = time.monotonic() + 60
    while (state := cfg.strava.poll())["running"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert state["ok"] is True, state["lines"]
    assert state["pages"] == 3  # 450 activities: pages of 200, 200, 50
    assert any("Ana Runner: 450 new" in line for line in state["lines"])
    with connect(db_path, read_only=True) as con:
        assert con.execute("select count(*) from activities where source = 'strava'").fetchone()[0] == 450


def test_a_callback_without_our_state_is_refused(strava: FakeStrava, db_path: Path):
    dashboard_data.build(db_path)
    client = create_app(db_path).server.test_client()
    code = strava.add_athlete(1002, "Eve", "Forger")
    back = client.get("/strava/callback", query_string={"code": code, "state": "made-up"})
    assert "not for this page" in parse_qs(urlsplit(back.headers["Location"]).query)["strava"][0]
    assert not [r for r in strava.seen if r.path == "/oauth/token"]


def test_sync_without_a_connected_athlete_ends_in_one_line(strava: FakeStrava, db_path: Path):
    dashboard_data.build(db_path)
    app = create_app(db_path)
    cfg = app.server.config[data.CONFIG_KEY]
    cfg.strava.start(db_path, {})
    deadline = time.monotonic() + 60
    while (state := cfg.strava.poll())["running"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert state["ok"] is False
    assert "strava connect" in state["lines"][-1]
