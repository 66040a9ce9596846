"""Garmin rows wider than their header (a Garmin Connect quirk) are imported; other widths are rejected."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES
from import_helpers import error_lines, one, rows

WIDE = FIXTURES / "garmin_wide_rows.csv"


def test_wider_garmin_rows_are_imported_with_their_values(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Ana", "--timezone", "Europe/Berlin", str(WIDE))
    assert "6 rows: 3 imported, 0 updated, 0 duplicates, 3 rejected" in result.stdout
    assert rows(
        db_path,
        "select name, sport_type, distance_m, moving_s, elapsed_s, avg_hr, max_hr, elevation_gain_m "
        "from activities order by start_local",
    ) == [
        ("Easy\nrun", "Running", 8000, 2610, 2710, 141, 160, 40),  # the header's width
        ("Intervals", "Running", 10500, 3270, 3492, 150, 172, 85),  # 37 fields: 4 inserted after Steps
        ("Track", "Track Running", 6400, 1780, 2460, 155, 181, 2),  # 35 fields; metres on the track
    ]


def test_garmin_rows_that_cannot_be_mapped_are_rejected_by_line(run_cli, db_path: Path) -> None:
    result = run_cli("import", "--athlete", "Ana", str(WIDE))
    assert result.exit_code == 1
    # line 2's title spans lines 2-3, so the rejected rows are on lines 6, 7 and 8
    assert error_lines(result.stderr) == [
        f"error: {WIDE}:6: column 'Moving Time': cannot read 'soon' as a duration (HH:MM:SS); row skipped",
        f"error: {WIDE}:7: column 'Elapsed Time': the row has fewer fields than the header; row skipped",
        f"error: {WIDE}:8: the row has more fields than the header; row skipped",
    ]
    assert one(db_path, "select rows_rejected from imports") == 3


def test_wider_rows_need_garmin_trailing_block(run_cli, db_path: Path, tmp_path: Path) -> None:
    # without `Decompression` nothing says where the extra fields were inserted
    path = tmp_path / "Activities.csv"
    path.write_text(
        "Activity Type,Date,Title,Distance,Time,Moving Time\n"
        "Running,2026-02-02 07:00:00,Fine,5.00,00:25:00,00:24:00\n"
        "Running,2026-02-03 07:00:00,Wide,5.00,00:25:00,x,00:24:00\n"
    )
    result = run_cli("import", "--athlete", "Ana", str(path))
    assert error_lines(result.stderr) == [
        f"error: {path}:3: the row has more fields than the header; row skipped"
    ]
    assert rows(db_path, "select name, moving_s from activities") == [("Fine", 1440)]
