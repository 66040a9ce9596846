"""A command loads only the libraries it needs (issue 22: a short command's start-up is what a user
feels): each one here runs in a new interpreter, as a user runs it, and lists the packages it loaded.

numpy (~0.06 s to import) is for activity files, rich (~0.02 s) for tables and progress on a
terminal, the decoders for their own formats; the dashboard, Strava's client and pandas for their
commands only (bench/README.md "Start-up of a command" has the figures).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from activity_files import gpx

LOADED = """
import sys
from crosstrain.cli import cli
try:
    cli(sys.argv[1:], prog_name="crosstrain")
except SystemExit as exc:
    code = exc.code
print(code, " ".join(sorted({m.split(".")[0] for m in sys.modules})))
"""
HEAVY = {"numpy", "pandas", "rich", "dash", "plotly", "flask", "stravalib", "requests", "pyarrow", "pyspark"}
DECODERS = {"lxml", "fitfast", "garmin_fit_sdk", "fitdecode", "timezonefinder"}


def loaded(db: Path, *args: str) -> set[str]:
    """The top-level packages `crosstrain --db db args` loaded (stdout not a terminal); it must succeed."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED, "--db", str(db), *args], capture_output=True, text=True, timeout=120
    )
    code, packages = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert code in ("0", "None"), done.stdout + done.stderr
    return set(packages.split())


@pytest.fixture
def one_run(tmp_path: Path, db_path: Path) -> Path:
    csv = tmp_path / "log.csv"
    csv.write_text("date,type,duration,distance_km\n2026-11-30,Run,1800,5.2\n")
    return csv


def test_a_csv_import_loads_no_numpy_no_rich_no_decoder(db_path: Path, one_run: Path) -> None:
    found = loaded(db_path, "import", "--athlete", "Ana", str(one_run))
    assert "duckdb" in found and "click" in found
    assert not found & (HEAVY | DECODERS), found & (HEAVY | DECODERS)


def test_json_output_loads_no_table_drawing(db_path: Path, one_run: Path) -> None:
    loaded(db_path, "import", "--athlete", "Ana", str(one_run))
    for args in (
        ["report", "--athlete", "Ana", "--as-of", "2026-12-01", "--json"],
        ["athletes", "--json"],
        ["activities", "list", "--athlete", "Ana", "--json"],
    ):
        found = loaded(db_path, *args)
        assert not found & (HEAVY | DECODERS), (args, found & (HEAVY | DECODERS))
    assert "rich" in loaded(db_path, "athletes")  # the table


def test_a_gpx_import_loads_its_decoder_only(tmp_path: Path, db_path: Path) -> None:
    run = gpx(tmp_path / "run.gpx", datetime(2026, 10, 1, 7, tzinfo=UTC), 600)
    found = loaded(db_path, "import", "--athlete", "Ana", str(run))
    assert {"numpy", "lxml", "timezonefinder"} <= found  # the samples, the XML, the start point's zone
    assert not found & (HEAVY - {"numpy"} | {"fitfast", "garmin_fit_sdk", "fitdecode"}), found


def test_the_command_list_loads_no_command_module(db_path: Path) -> None:
    found = loaded(db_path, "--help")
    assert not found & (HEAVY | DECODERS | {"duckdb", "queries", "dashboard"}), found


WORKERS_FIRST = """
import sys
import crosstrain.cli_import, ingest.files.workers
print(" ".join(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_decode_workers_start_before_duckdb_is_loaded() -> None:
    """An import of activity files forks its decode workers from what `crosstrain import` and
    ingest/files/workers.py load (crosstrain/cli_files.py), then loads DuckDB and the write path
    while they decode: neither may bring DuckDB in."""
    done = subprocess.run([sys.executable, "-c", WORKERS_FIRST], capture_output=True, text=True, timeout=120)
    found = set(done.stdout.split())
    assert {"numpy", "lxml", "ingest"} <= found, done.stderr
    assert "duckdb" not in found
