"""The import page's Garmin card against the local Personal API server (no network)."""

from __future__ import annotations

import time
from pathlib import Path

import dashboard_data
import pytest
from garmin_helpers import add_fit, day0, generated_fits
from garmin_server import FakeGarmin

from dashboard import create_app, data
from dashboard.garmin_job import job_for
from dashboard.garmin_view import connect_key
from ingest.database.db import connect
from ingest.garmin.client import KEY_PAGE


@pytest.fixture
def garmin(monkeypatch: pytest.MonkeyPatch):
    with FakeGarmin() as server:
        monkeypatch.setenv("GARMIN_API_URL", server.url)
        monkeypatch.setenv("CROSSTRAIN_RETRY_BASE_S", "0.01")
        yield server


def wait(job) -> dict:
    deadline = time.monotonic() + 120
    while (state := job.poll())["running"] and time.monotonic() < deadline:
        time.sleep(0.1)
    return state


def test_the_import_page_connects_a_key_and_syncs_with_progress(garmin: FakeGarmin, db_path: Path) -> None:
    dashboard_data.build(db_path)
    app = create_app(db_path)
    client = app.server.test_client()
    page = client.get("/import")
    assert page.status_code == 200
    cfg = app.server.config[data.CONFIG_KEY]
    key = garmin.add_athlete()
    for fit in generated_fits(3, day0(10), seed=21, every_days=3):
        add_fit(garmin, key, fit)
    assert connect_key(cfg, "Ana", "", "90") == (False, "Paste the athlete's Personal API key.")
    ok, text = connect_key(cfg, "Ana", key, "90")
    assert ok and "Connected Garmin for Ana; the key expires on" in text and key not in text

    job = job_for(db_path)
    assert job.start(db_path, {}) is True
    assert job.start(db_path, {}) is False  # one sync at a time
    state = wait(job)
    assert state["ok"] is True, state["lines"]
    assert state["share"] == 1.0
    assert any("Ana: 3 new" in line for line in state["lines"])
    with connect(db_path, read_only=True) as con:
        assert con.execute("select count(*) from activities where source = 'fit'").fetchone()[0] == 3


def test_a_refused_key_is_one_readable_line(garmin: FakeGarmin, db_path: Path) -> None:
    dashboard_data.build(db_path)
    cfg = create_app(db_path).server.config[data.CONFIG_KEY]
    ok, text = connect_key(cfg, "Ana", "gpak_wrong", None)
    assert not ok and KEY_PAGE in text and "gpak_wrong" not in text and "\n" not in text
