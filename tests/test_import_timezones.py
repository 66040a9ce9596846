"""UTC <-> local conversion: offsets are looked up per zone and hour, and must equal ICU's per row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from import_helpers import rows

ZONES = ["Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kolkata"]


@pytest.mark.parametrize("zone", ZONES)
def test_local_times_across_dst_changes(run_cli, db_path: Path, tmp_path: Path, zone: str) -> None:
    starts = [dt.datetime(2024, 3, 9) + dt.timedelta(minutes=20 * i) for i in range(0, 72 * 40, 7)]
    starts += [dt.datetime(2024, 10, 26) + dt.timedelta(minutes=20 * i) for i in range(0, 72 * 10, 7)]
    starts += [dt.datetime(2024, 4, 6) + dt.timedelta(minutes=20 * i) for i in range(0, 72 * 2, 1)]
    log = tmp_path / "log.csv"
    log.write_text("date,type,duration\n" + "".join(f"{s.isoformat()},Run,600\n" for s in starts))
    assert run_cli("import", "--athlete", "Ana", "--timezone", zone, str(log)).exit_code == 0
    wrong = rows(
        db_path,
        "select start_local, start_at from activities "
        "where start_at <> timezone('UTC', timezone(?, start_local))",
        [zone],
    )
    assert wrong == []
    assert len(rows(db_path, "select 1 from activities")) == len(set(starts))


@pytest.mark.parametrize("zone", ZONES)
def test_strava_utc_times_to_local_across_dst_changes(
    run_cli, db_path: Path, tmp_path: Path, zone: str
) -> None:
    starts = [dt.datetime(2024, 3, 9) + dt.timedelta(minutes=15 * i) for i in range(0, 96 * 40, 5)]
    starts += [dt.datetime(2024, 10, 26) + dt.timedelta(minutes=15 * i) for i in range(0, 96 * 10, 5)]
    export = tmp_path / "activities.csv"
    export.write_text(
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"
        + "".join(f'{i + 1},"{s:%b %d, %Y, %I:%M:%S %p}",Run,Run,600,2.0\n' for i, s in enumerate(starts))
    )
    assert run_cli("import", "--athlete", "Ana", "--timezone", zone, str(export)).exit_code == 0
    wrong = rows(
        db_path,
        "select start_at, start_local from activities "
        "where start_local <> timezone(?, timezone('UTC', start_at))",
        [zone],
    )
    assert wrong == []
    assert len(rows(db_path, "select 1 from activities")) == len(starts)
