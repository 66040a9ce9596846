"""The real export files in ../shared/formats/ import as a user would run it."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import SHARED_FORMATS
from import_helpers import error_lines, one, rows

from ingest.exports.formats import strava_languages

FORMATS = SHARED_FORMATS  # beside the checkout (CI), or beside a folder above this worktree
pytestmark = pytest.mark.skipif(not FORMATS.is_dir(), reason="../shared/formats is not beside the checkout")


# Real rows the plausibility rules refuse (ingest/database/plausibility.py): line -> the reject's text.
IMPLAUSIBLE = {
    # a 53 km ride with 118 s of moving time (and 84 days elapsed): 451 m/s
    "strava_2025_99cols.csv": {928: "average speed 450.93 m/s is outside 0..100 m/s"},
}


@pytest.mark.parametrize("name", sorted(p.name for p in FORMATS.glob("*.csv")))
def test_real_file_imports(run_cli, db_path: Path, name: str) -> None:
    path = FORMATS / name
    with path.open(encoding="utf-8", newline="") as fh:
        total = sum(1 for _ in csv.reader(fh)) - 1
    result = run_cli("import", "--athlete", "Real Runner", "--timezone", "Europe/London", str(path))
    assert "Traceback" not in result.output
    bad = IMPLAUSIBLE.get(name, {})
    good = total - len(bad)
    assert f"{total} rows: {good} imported, 0 updated, 0 duplicates, {len(bad)} rejected" in result.stdout
    assert len(error_lines(result.stderr)) == len(bad)
    for line, text in bad.items():
        assert f"{name}:{line}: column 'distance_m': {text}; row skipped" in result.stderr
    assert one(db_path, "select count(*) from activities") == good
    # nothing lost on the way: every row has a start, a type and a duration
    assert one(db_path, "select count(*) from activities where coalesce(moving_s, elapsed_s) is null") == 0
    assert one(
        db_path, "select min(start_at) > '2010-01-01' and max(start_at) < '2027-01-01' from activities"
    )
    runs = rows(
        db_path,
        "select count(*), median(distance_m / coalesce(moving_s, elapsed_s)) from activities "
        "where category = 'run'",
    )
    if runs[0][0]:
        assert 1.5 < runs[0][1] < 6  # metres per second: distances and durations in the right units


def test_garmin_rows_wider_than_the_header_keep_their_values(run_cli, db_path: Path) -> None:
    # lines 2 and 3 have 37 fields under 33 names: 4 values inserted after Steps
    path = FORMATS / "garmin_2026_total_time.csv"
    result = run_cli("import", "--athlete", "Real Runner", str(path))
    assert "10 rows: 10 imported, 0 updated, 0 duplicates, 0 rejected" in result.stdout
    assert rows(
        db_path,
        "select sport_type, distance_m, moving_s, elapsed_s, avg_hr, max_hr, elevation_gain_m "
        "from activities where start_local >= '2026-01-01' order by start_local",
    ) == [
        ("Trail Running", pytest.approx(16010), 6100, 7531, 129, 149, 591),  # 01:41:40, 02:05:31
        ("Track Running", 8830, 3117, 4624, 139, 171, 49),  # metres on the track; 00:51:57, 01:17:04
    ]


def test_all_real_files_into_one_database(run_cli, db_path: Path) -> None:
    paths = [str(p) for p in sorted(FORMATS.glob("*.csv"))]
    run_cli("import", "--athlete", "Real Runner", *paths)
    again = run_cli("import", "--athlete", "Real Runner", *paths)
    assert " 0 imported, 0 updated" in again.stdout and "Traceback" not in again.output
    assert " 1 imported" not in again.stdout
    assert one(db_path, "select count(distinct source) from activities") == 2


@pytest.mark.parametrize(
    ("name", "runs"),
    [("garmin_2022.csv", 77), ("garmin_2026_total_time.csv", 8), ("garmin_2026_decimal_comma.csv", 4)],
)
def test_real_garmin_units_told_from_their_runs(run_cli, db_path: Path, name: str, runs: int) -> None:
    result = run_cli("import", "--athlete", "Real Runner", "--timezone", "UTC", str(FORMATS / name))
    assert f"  units: km, metres (from {runs} runs with cadence and stride length: speeds agree within" in (
        result.stdout
    )


def test_real_garmin_row_checked_by_hand(run_cli, db_path: Path) -> None:
    # Hiking,2022-12-21 10:40:56,...,"6.30","472","01:32:43","99","122",...,"89" ascent,...,
    # "01:22:39" moving,"01:32:43" elapsed
    run_cli(
        "import", "--athlete", "Real Runner", "--timezone", "Europe/Rome", str(FORMATS / "garmin_2022.csv")
    )
    assert rows(
        db_path,
        "select start_at, category, distance_m, moving_s, elapsed_s, avg_hr, max_hr, elevation_gain_m "
        "from activities where start_local = '2022-12-21 10:40:56'",
    ) == [(dt.datetime(2022, 12, 21, 9, 40, 56), "cross", 6300, 4959, 5563, 99, 122, 89)]


def test_german_header_map_agrees_with_the_real_export() -> None:
    real = json.loads((FORMATS / "strava_de_to_en_header_map.json").read_text(encoding="utf-8"))
    assert {k: real[k] for k in strava_languages.HEADERS["de"]} == strava_languages.HEADERS["de"]
