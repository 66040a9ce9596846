"""Without --timezone or a stored zone, wall-clock times are read in this machine's zone ($TZ here)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from import_helpers import rows

from ingest.timezones import machine_timezone


@pytest.mark.parametrize(("tz", "hours"), [("America/New_York", 5), ("Not/AZone", 0)])
def test_machine_zone_or_utc(
    run_cli, db_path: Path, tmp_path: Path, monkeypatch, tz: str, hours: int
) -> None:
    monkeypatch.setenv("TZ", tz)
    assert machine_timezone() == tz
    log = tmp_path / "log.csv"
    log.write_text("date,type,duration\n2024-01-05T06:30:00,Run,1800\n")
    assert run_cli("import", "--athlete", "Ana", str(log)).exit_code == 0
    [(start_at, start_local, zone)] = rows(
        db_path, "select start_at, start_local, timezone from activities join athletes using (athlete_id)"
    )
    assert start_local == dt.datetime(2024, 1, 5, 6, 30)
    assert start_at == start_local + dt.timedelta(hours=hours)
    assert zone is None  # only a given --timezone is stored
