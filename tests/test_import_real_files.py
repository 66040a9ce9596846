"""The real export files of ../shared/formats/ import as a user would run it, and so do our mirrors of
them (tests/fixtures/mirrors/: the same headers and quirks, our own rows), so a clone without
../shared runs every test here; with it (CI), each test runs on the real file too."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import FIXTURES, SHARED_FORMATS, mirror, ours_and_real
from import_helpers import error_lines, one, rows

from ingest.exports.formats import strava_languages

CSVS = (
    "garmin_2022.csv",
    "garmin_2026_decimal_comma.csv",
    "garmin_2026_total_time.csv",
    "strava_2018_old_header.csv",
    "strava_2021_html_header.csv",
    "strava_2025_99cols.csv",
    "strava_2025_en_AU_dates.csv",
)
# Rows the plausibility rules refuse (ingest/database/plausibility.py): line -> the reject's text.
IMPLAUSIBLE_REAL = {
    # a 53 km ride with 118 s of moving time (and 84 days elapsed): 451 m/s
    "strava_2025_99cols.csv": {928: "average speed 450.93 m/s is outside 0..100 m/s"},
}
IMPLAUSIBLE_OURS = {
    # ours: 48.21 km in 104 s of moving time (84 days elapsed), after a description of three lines
    "strava_2025_99cols.csv": {6: "average speed 463.56 m/s is outside 0..100 m/s"},
}


def _each_csv() -> list:
    return [
        p
        for name in CSVS
        for p in ours_and_real(name, IMPLAUSIBLE_OURS.get(name, {}), IMPLAUSIBLE_REAL.get(name, {}))
    ]


@pytest.mark.parametrize(("path", "bad"), _each_csv())
def test_real_file_imports(run_cli, db_path: Path, path: Path, bad: dict[int, str]) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        total = sum(1 for _ in csv.reader(fh)) - 1
    result = run_cli("import", "--athlete", "Real Runner", "--timezone", "Europe/London", str(path))
    assert "Traceback" not in result.output
    good = total - len(bad)
    assert f"{total} rows: {good} imported, 0 updated, 0 duplicates, {len(bad)} rejected" in result.stdout
    assert len(error_lines(result.stderr)) == len(bad)
    for line, text in bad.items():
        assert f"{path.name}:{line}: column 'distance_m': {text}; row skipped" in result.stderr
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


@pytest.mark.parametrize(
    ("path", "expected"),
    ours_and_real(
        "garmin_2026_total_time.csv",
        ours=(8, "2026-03-01", [
            ("Trail Running", 14220, 5462, 6700, 133, 155, 520),  # 01:31:02, 01:51:40
            ("Track Running", 6420, 2225, 3527, 144, 176, 12),  # metres on the track; 00:37:05, 00:58:47
        ]),
        real=(10, "2026-01-01", [
            ("Trail Running", 16010, 6100, 7531, 129, 149, 591),  # 01:41:40, 02:05:31
            ("Track Running", 8830, 3117, 4624, 139, 171, 49),  # metres on the track; 00:51:57, 01:17:04
        ]),
    ),
)  # fmt: skip
def test_garmin_rows_wider_than_the_header_keep_their_values(
    run_cli, db_path: Path, path: Path, expected: tuple
) -> None:
    # lines 2 and 3 have 37 fields under 33 names: 4 values inserted after Steps
    count, since, wide = expected
    result = run_cli("import", "--athlete", "Real Runner", str(path))
    assert f"{count} rows: {count} imported, 0 updated, 0 duplicates, 0 rejected" in result.stdout
    assert rows(
        db_path,
        "select sport_type, distance_m, moving_s, elapsed_s, avg_hr, max_hr, elevation_gain_m "
        "from activities where start_local >= ? order by start_local",
        [since],
    ) == [(t, pytest.approx(d), *rest) for t, d, *rest in wide]


def _all_csvs() -> list:
    params = [pytest.param([mirror(n) for n in CSVS], id="ours")]
    if SHARED_FORMATS.is_dir():
        params.append(pytest.param(sorted(SHARED_FORMATS.glob("*.csv")), id="real"))
    return params


@pytest.mark.parametrize("paths", _all_csvs())
def test_all_real_files_into_one_database(run_cli, db_path: Path, paths: list[Path]) -> None:
    run_cli("import", "--athlete", "Real Runner", *map(str, paths))
    again = run_cli("import", "--athlete", "Real Runner", *map(str, paths))
    assert " 0 imported, 0 updated" in again.stdout and "Traceback" not in again.output
    assert " 1 imported" not in again.stdout
    assert one(db_path, "select count(distinct source) from activities") == 2


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        *ours_and_real("garmin_2022.csv", ours=5, real=77),  # ours: 3 runs, a treadmill run, a hike
        *ours_and_real("garmin_2026_total_time.csv", ours=6, real=8),  # ours: not the track run
        *ours_and_real("garmin_2026_decimal_comma.csv", ours=4, real=4),
    ],
)
def test_real_garmin_units_told_from_their_runs(run_cli, db_path: Path, path: Path, runs: int) -> None:
    result = run_cli("import", "--athlete", "Real Runner", "--timezone", "UTC", str(path))
    assert f"  units: km, metres (from {runs} runs with cadence and stride length: speeds agree within" in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    ours_and_real(
        "garmin_2022.csv",
        # ours: Hiking,2022-09-17 09:12:05,...,"8.40","610","02:41:10","104","131",...,"702" ascent,...,
        # "02:15:33" moving,"02:41:10" elapsed
        ours=("2022-09-17 09:12:05",
              (dt.datetime(2022, 9, 17, 7, 12, 5), "cross", 8400, 8133, 9670, 104, 131, 702)),
        # Hiking,2022-12-21 10:40:56,...,"6.30","472","01:32:43","99","122",...,"89" ascent,...,
        # "01:22:39" moving,"01:32:43" elapsed
        real=("2022-12-21 10:40:56",
              (dt.datetime(2022, 12, 21, 9, 40, 56), "cross", 6300, 4959, 5563, 99, 122, 89)),
    ),
)  # fmt: skip
def test_real_garmin_row_checked_by_hand(run_cli, db_path: Path, path: Path, expected: tuple) -> None:
    local, row = expected
    run_cli("import", "--athlete", "Real Runner", "--timezone", "Europe/Rome", str(path))
    assert rows(
        db_path,
        "select start_at, category, distance_m, moving_s, elapsed_s, avg_hr, max_hr, elevation_gain_m "
        "from activities where start_local = ?",
        [local],
    ) == [row]


def _german_pairs() -> list:
    """German header -> English one: ours from our German export and our English one, whose columns
    stand in the same order (both in the real exports' order); the real map from a real German export."""
    with (
        (FIXTURES / "strava_de.csv").open(encoding="utf-8") as de,
        mirror("strava_2025_99cols.csv").open(encoding="utf-8") as en,
    ):
        ours = dict(zip(next(csv.reader(de)), next(csv.reader(en)), strict=False))
    params = [pytest.param(ours, id="ours")]
    real = SHARED_FORMATS / "strava_de_to_en_header_map.json"
    if real.exists():
        params.append(pytest.param(json.loads(real.read_text(encoding="utf-8")), id="real"))
    return params


@pytest.mark.parametrize("export", _german_pairs())
def test_german_header_map_agrees_with_the_export(export: dict[str, str]) -> None:
    assert {k: export[k] for k in strava_languages.HEADERS["de"]} == strava_languages.HEADERS["de"]
