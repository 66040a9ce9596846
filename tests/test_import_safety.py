"""Idempotent re-import, one copy of an activity across sources, and all-or-nothing files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import FIXTURES
from import_helpers import one, rows

ALL = ["strava_activities.csv", "garmin_activities.csv", "strava_en_au.csv", "garmin_decimal_comma.csv"]


def test_reimporting_the_same_files_adds_nothing(run_cli, db_path: Path) -> None:
    paths = [str(FIXTURES / f) for f in ALL]
    run_cli("import", "--athlete", "Ana", "--timezone", "Europe/Berlin", *paths)
    before = rows(db_path, "select * exclude (updated_at, import_id) from activities order by activity_id")
    again = run_cli("import", "--athlete", "Ana", *paths)
    assert "0 imported, 0 updated" in again.stdout
    assert "8 rows: 0 imported, 0 updated, 6 duplicates, 2 rejected" in again.stdout
    after = rows(db_path, "select * exclude (updated_at, import_id) from activities order by activity_id")
    assert after == before


def test_generic_reimport_is_idempotent_and_updates_changed_values(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    f = tmp_path / "log.csv"
    f.write_text("date,type,duration,rpe\n2024-01-01,Run,30:00,4\n2024-01-02T07:00:00,Run,1800,5\n")
    run_cli("import", "--athlete", "Ana", str(f))
    f.write_text("date,type,duration,rpe\n2024-01-01,Run,30:00,4\n2024-01-02T07:00:00,Run,1800,6\n")
    result = run_cli("import", "--athlete", "Ana", str(f))
    assert "2 rows: 0 imported, 1 updated, 1 duplicates, 0 rejected" in result.stdout
    assert rows(db_path, "select rpe from activities order by start_local") == [(4,), (6,)]


COUNTED = "select source from activities where start_local::date = '2024-01-05' and twin_of is null"


def test_the_same_run_from_strava_and_garmin_counts_once(run_cli, db_path: Path) -> None:
    # Strava says 06:30:00 UTC; Garmin says 07:30:40 Berlin time: the same session, both stored
    strava = run_cli(
        "import", "--athlete", "Ana", "--timezone", "Europe/Berlin", str(FIXTURES / "strava_activities.csv")
    )
    assert "6 imported" in strava.stdout
    garmin = run_cli("import", "--athlete", "Ana", str(FIXTURES / "garmin_activities.csv"))
    assert "8 rows: 6 imported, 0 updated, 0 duplicates, 2 rejected; 1 double recording" in garmin.stdout
    assert rows(db_path, COUNTED) == [("strava",)]


def test_the_same_run_from_garmin_first_then_strava_counts_once(run_cli, db_path: Path) -> None:
    run_cli(
        "import", "--athlete", "Ana", "--timezone", "Europe/Berlin", str(FIXTURES / "garmin_activities.csv")
    )
    strava = run_cli("import", "--athlete", "Ana", str(FIXTURES / "strava_activities.csv"))
    assert "6 imported, 0 updated, 0 duplicates, 2 rejected; 1 double recording" in strava.stdout
    # equal HR, no RPE, the same minutes: the one stored first counts
    assert rows(db_path, COUNTED) == [("garmin",)]


def big_generic_csv(path: Path, n: int) -> None:
    con = duckdb.connect()
    con.execute(
        f"""copy (select (timestamp '2020-01-01' + to_minutes(i::bigint * 5))::varchar as date,
                         'Run' as type, 1800 + i % 600 as duration, 'Runner ' || (i % 50) as athlete
                  from range({n}) t(i)) to '{path}' (header)"""
    )


def crosstrain(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "crosstrain"), "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_reading(proc: subprocess.Popen, path: Path, timeout: float = 30.0) -> None:
    """Wait until `proc` has `path` open (DuckDB reading it), or has ended."""
    deadline = time.monotonic() + timeout
    fds = Path(f"/proc/{proc.pid}/fd")
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if any(str(path) == os.path.realpath(fd) for fd in fds.iterdir()):
                return
        except OSError:
            pass
        time.sleep(0.01)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_an_import_killed_halfway_leaves_the_database_as_it_was(db_path: Path, tmp_path: Path, sig) -> None:
    small = crosstrain(db_path, "import", "--athlete", "Ana", str(FIXTURES / "strava_2018.csv"))
    assert small.wait(60) == 0, small.stderr.read()
    big = tmp_path / "big.csv"
    big_generic_csv(big, 300_000)
    killed_midway = 0
    for delay in (0.0, 0.4, 1.0, 2.0):
        proc = crosstrain(db_path, "import", str(big))
        wait_until_reading(proc, big)  # a signal during Python's start-up is not what this tests
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(sig)
            killed_midway += 1
        proc.wait(60)
        stderr = proc.stderr.read()
        assert "Traceback" not in stderr
        count = one(db_path, "select count(*) from activities")
        imported = one(db_path, "select count(*) from imports where status = 'ok'")
        assert (count, imported) in {(3, 1), (300_003, 2)}  # nothing of the big file, or all of it
        if count == 3:
            assert one(db_path, "select count(*) from import_rejects") == 0
            if sig == signal.SIGINT:
                assert proc.returncode == 130 and "interrupted" in stderr
        else:
            break
    assert killed_midway >= 1


def test_a_refused_file_does_not_stop_the_others(run_cli, db_path: Path, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("when,what\n2024-01-01,run\n")
    result = run_cli(
        "import",
        "--athlete",
        "Ana",
        str(FIXTURES / "strava_2018.csv"),
        str(odd),
        str(FIXTURES / "strava_de.csv"),
    )
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["error"]
    assert "strava_2018.csv (strava, Ana): 3 rows: 3 imported" in result.stdout
    assert "strava_de.csv (strava, Ana): 2 rows: 2 imported" in result.stdout
    assert one(db_path, "select count(*) from activities") == 5
    assert one(db_path, "select count(*) from imports where status = 'ok'") == 2
