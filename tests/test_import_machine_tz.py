"""Without --timezone or a stored zone, wall-clock times are read in this machine's zone ($TZ here),
which is stored on the athlete (source 'machine'), named in the summary with how to change it."""

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
    zone = machine_timezone()
    assert zone == tz if hours else zone in ("UTC", "Etc/UTC")  # an unknown $TZ: tzlocal's fallback
    log = tmp_path / "log.csv"
    log.write_text("date,type,duration\n2024-01-05T06:30:00,Run,1800\n")
    result = run_cli("import", "--athlete", "Ana", str(log))
    assert result.exit_code == 0
    assert (
        f"  time zone: {zone}, this machine's zone, for Ana (if that is wrong, re-import with "
        in result.stdout
    )
    [(start_at, start_local, stored, source)] = rows(
        db_path,
        "select start_at, start_local, timezone, timezone_source "
        "from activities join athletes using (athlete_id)",
    )
    assert start_local == dt.datetime(2024, 1, 5, 6, 30)
    assert start_at == start_local + dt.timedelta(hours=hours)
    assert (stored, source) == (zone, "machine")


def test_reimport_with_timezone_updates_the_rows(run_cli, db_path: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    export = tmp_path / "activities.csv"
    export.write_text(
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"
        '1,"Jan 6, 2024, 2:30:00 AM",Evening Run,Run,1800,5.0\n'
    )
    assert run_cli("import", "--athlete", "Ana", str(export)).exit_code == 0
    # 02:30 UTC is the evening before in New York: the run counts on 5 January
    assert rows(db_path, "select start_local from activities") == [(dt.datetime(2024, 1, 5, 21, 30),)]
    result = run_cli("import", "--athlete", "Ana", "--timezone", "Europe/Berlin", str(export))
    assert "1 rows: 0 imported, 1 updated" in result.stdout
    assert "  time zone: Europe/Berlin (--timezone; stored on the athlete)" in result.stdout
    assert rows(db_path, "select start_local from activities") == [(dt.datetime(2024, 1, 6, 3, 30),)]
    assert rows(db_path, "select timezone, timezone_source from athletes") == [("Europe/Berlin", "option")]
    # the stored zone is used from now on, and said so
    again = run_cli("import", "--athlete", "Ana", str(export))
    assert "  time zone: Europe/Berlin, stored on Ana" in again.stdout
