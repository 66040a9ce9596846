"""What a person does on the import page's Garmin card, in headless Chromium, against the local
Personal API server: type a name and a key, connect, press Sync Garmin, watch it finish."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from garmin_helpers import add_fit, day0, generated_fits
from garmin_server import FakeGarmin
from test_dashboard_browser import click, dash_duo, serve, visit  # noqa: F401 - dash_duo is a fixture

from ingest.database.db import connect
from ingest.sample.synthetic import load_sample

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not shutil.which("chromedriver"), reason="chromedriver not installed (apt install chromium-driver)"
    ),
]


def test_connect_a_key_and_sync_from_the_import_page(dash_duo, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    db = tmp_path / "garmin.duckdb"
    load_sample(db, {})
    with FakeGarmin() as server:
        monkeypatch.setenv("GARMIN_API_URL", server.url)
        key = server.add_athlete()
        for fit in generated_fits(2, day0(6), seed=31, every_days=2):
            add_fit(server, key, fit)
        serve(dash_duo, db)
        visit(dash_duo, "/import")
        dash_duo.wait_for_element("#garmin-athlete", timeout=20).send_keys("Gina Garmin")
        dash_duo.find_element("#garmin-key").send_keys(key)
        click(dash_duo, dash_duo.find_element("#garmin-connect"))
        dash_duo.wait_for_contains_text(
            "#garmin-connect-result", "Connected Garmin for Gina Garmin", timeout=30
        )
        assert dash_duo.find_element("#garmin-key").get_attribute("value") == ""  # not kept in the page
        assert key not in dash_duo.driver.page_source
        click(dash_duo, dash_duo.find_element("#garmin-sync"))
        dash_duo.wait_for_contains_text("#garmin-sync-log", "Gina Garmin: 2 new", timeout=90)
        dash_duo.wait_for_text_to_equal("#garmin-sync-progress", "done", timeout=20)
        assert dash_duo.get_logs() == []
    with connect(db, read_only=True) as con:
        assert con.execute(
            "select count(*) from activities join athletes t using (athlete_id) where t.name = 'Gina Garmin'"
        ).fetchone() == (2,)
