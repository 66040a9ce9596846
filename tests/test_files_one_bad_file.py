"""One bad activity file is one line, never a lost import (issue 20 item 1).

Every file here broke the whole import before: a decoder's or a computation's exception for one
file ended `crosstrain import` with a traceback and nothing of the folder stored, and sessions the
plausibility rules refused were counted nowhere (exit 0, "0 rejected").
"""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from activity_files import fit_activity, gpx, tcx
from fuzz_corpus import crash_fit

FIXTURES = Path(__file__).resolve().parent / "fixtures"
START = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)


def stored(db_path: Path) -> int:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute("select count(*) from activities").fetchone()[0]
    finally:
        con.close()


def good_folder(folder: Path, n: int = 10) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        fit_activity(folder / f"good{i}.fit", START + timedelta(days=i), 600)
    return folder


def one_line_per_problem(result, names: list[str]) -> None:
    assert "Traceback" not in result.output
    errors = result.stderr.splitlines()
    assert all(line.startswith("error: ") for line in errors), result.stderr
    for name in names:
        assert sum(name in line for line in errors) == 1, (name, result.stderr)


def test_a_fit_with_position_lat_minus_2_31_keeps_the_folder_importing(
    run_cli, tmp_path: Path, db_path: Path
) -> None:
    folder = good_folder(tmp_path / "watch")
    # -180 degrees: the semicircle field holds -2^31 (a damaged record, not a place)
    fit_activity(folder / "bad.fit", START + timedelta(days=20), 600, point=(-180.0, 13.4), speed=lambda i: 0)
    result = run_cli("import", "--athlete", "Ana", str(folder))
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    assert "11 imported" in result.stdout
    assert stored(db_path) == 11


def _text_case(kind: str, tmp: Path) -> tuple[Path, str]:
    """A damaged GPX or TCX file and a word its error line must hold."""
    g = gpx(tmp / "g.gpx", START + timedelta(days=30), 120).read_text()
    t = tcx(tmp / "t.tcx", START + timedelta(days=31), 120).read_text()
    (tmp / "g.gpx").unlink()
    (tmp / "t.tcx").unlink()
    y9999 = g.replace("2026-10-31T07:00:0", "9999-12-31T23:59:5", 3).replace("Z<", "-05:00<", 3)
    y0001 = g.replace("2026-10-31T07:00:0", "0001-01-01T00:00:0", 3).replace("Z<", "+01:00<", 3)
    cases = {
        "inf_lon": ("gpx", g.replace('lon="13.400000"', 'lon="inf"', 5), None),
        "huge_lat": ("gpx", g.replace('lat="52.52', 'lat="1e308', 3), None),
        "year_9999": ("gpx", y9999, None),
        "year_0001": ("gpx", y0001, None),
        "lap_1e308": ("tcx", t.replace("<TotalTimeSeconds>120<", "<TotalTimeSeconds>1e308<"), "moving time"),
        "lap_inf": ("tcx", t.replace("<TotalTimeSeconds>120<", "<TotalTimeSeconds>inf<"), "elapsed time"),
        "year_2200": ("gpx", g.replace("2026-10-31", "2200-10-31"), "not between 1970-01-01 and tomorrow"),
    }  # fmt: skip
    suffix, text, said = cases[kind]
    path = tmp / f"{kind}.{suffix}"
    path.write_text(text, encoding="utf-8")
    return path, said


@pytest.mark.parametrize(
    "kind", ["inf_lon", "huge_lat", "year_9999", "year_0001", "lap_1e308", "lap_inf", "year_2200"]
)
def test_implausible_values_are_checked_before_any_computation(
    run_cli, tmp_path: Path, db_path: Path, kind: str
) -> None:
    folder = good_folder(tmp_path / "watch", 3)
    bad, said = _text_case(kind, folder)
    result = run_cli("import", "--athlete", "Ana", str(folder))
    assert "Traceback" not in result.output
    if said is None:  # the damaged samples are left out, the session kept
        assert result.exit_code == 0, result.output
        assert stored(db_path) == 4
        return
    # the session is refused: said in one line with the reason, counted, exit 1
    one_line_per_problem(result, [bad.name])
    assert said in result.stderr
    assert result.exit_code == 1
    assert re.search(r"4 sessions: 3 imported, .* 1 rejected", result.stdout), result.stdout
    assert stored(db_path) == 3


@pytest.mark.parametrize("crash", ["assertion.fit", "value_error_size.fit.gz"])
def test_a_decoder_that_raises_is_that_files_line(run_cli, tmp_path: Path, db_path: Path, crash: str) -> None:
    """Mutations of our own FIT file on which fitdecode raised (AssertionError; `ValueError: size`)
    in its compressed-timestamp reading (tests/fuzz_corpus.py crash_fit; the second gzipped)."""
    folder = good_folder(tmp_path / "watch", 10)
    data = crash_fit(crash.split(".")[0])
    (folder / crash).write_bytes(gzip.compress(data) if crash.endswith(".gz") else data)
    result = run_cli("import", "--athlete", "Ana", str(folder))
    one_line_per_problem(result, [crash])
    assert result.exit_code == 1
    assert stored(db_path) == 10


def test_sessions_all_in_2200_are_not_refused_in_silence(run_cli, tmp_path: Path, db_path: Path) -> None:
    path = gpx(tmp_path / "future.gpx", datetime(2200, 1, 1, 7, tzinfo=UTC), 60)
    result = run_cli("import", "--athlete", "Ana", str(path))
    assert result.exit_code == 1
    assert "1 rejected" in result.stdout
    one_line_per_problem(result, ["future.gpx"])
    assert "2200-01-01" in result.stderr


def test_a_damaged_archive_is_its_own_line_and_the_other_paths_import(
    run_cli, tmp_path: Path, db_path: Path
) -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("activities.csv", (FIXTURES / "strava_activities.csv").read_bytes() * 3)
    data = bytearray(buf.getvalue())
    data[60:70] = b"\xff" * 10  # inside the deflated member: zlib.error while reading it
    archive = tmp_path / "export.zip"
    archive.write_bytes(bytes(data))
    good = fit_activity(tmp_path / "good.fit", START, 600)
    result = run_cli("import", "--athlete", "Ana", str(archive), str(good))
    one_line_per_problem(result, ["export.zip"])
    assert result.exit_code == 1
    assert stored(db_path) == 1


def test_a_long_name_is_cut(run_cli, tmp_path: Path, db_path: Path) -> None:
    path = gpx(tmp_path / "long.gpx", START, 60)
    path.write_text(path.read_text().replace("<name>Test run", "<name>" + "x" * 1_000_000))
    assert run_cli("import", "--athlete", "Ana", str(path)).exit_code == 0
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        assert con.execute("select max(length(name)) from activities").fetchone()[0] <= 500
    finally:
        con.close()


def test_a_long_name_in_a_csv_is_cut(run_cli, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("date,type,duration,name\n2026-10-01,Run,3600," + "y" * 2_000_000 + "\n")
    assert run_cli("import", "--athlete", "Ana", str(path)).exit_code == 0
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        assert con.execute("select length(name) from activities").fetchone()[0] == 500
    finally:
        con.close()


def test_a_truncated_fit_imports_its_records_and_says_so(run_cli, tmp_path: Path, db_path: Path) -> None:
    """A watch that died mid-activity (no session message, the file cut inside a record): the records
    before the cut are imported, with their heart rate, and the summary names the file and the cut."""
    folder = good_folder(tmp_path / "watch", 3)
    start = START + timedelta(days=20)
    data = fit_activity(tmp_path / "whole.fit", start, 900, hr=lambda i: 150, session=False).read_bytes()
    (folder / "died.fit").write_bytes(data[: len(data) * 2 // 3])
    result = run_cli("import", "--athlete", "Ana", str(folder))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and result.stderr == ""
    line = re.search(
        r"died\.fit: truncated at byte ([\d,]+): imported the first ([\d,]+) records", result.stdout
    )
    assert line, result.stdout
    kept = int(line[2].replace(",", ""))
    assert 500 < kept < 900
    assert "4 sessions: 4 imported" in result.stdout
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        elapsed, hr = con.execute(
            "select elapsed_s, avg_hr from activities where start_at = ?", [start.replace(tzinfo=None)]
        ).fetchone()
    finally:
        con.close()
    assert (elapsed, hr) == (kept - 1, 150)
