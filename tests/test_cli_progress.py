"""`crosstrain import` shows progress on a terminal for every step that can take long: reading the
files, then writing them (sessions, double recordings, samples); nothing of it when stderr is not a
terminal (scripts and logs get the results only). `strava sync` and `garmin sync` (crosstrain/sync_bar.py)
show a bar per athlete on a terminal and each athlete's summary on stdout."""

from __future__ import annotations

import datetime as dt
import os
import pty
import subprocess
import sys
from pathlib import Path

from activity_files import gpx
from garmin_helpers import add_fit, day0, garmin_env, generated_fits
from garmin_server import FakeGarmin
from strava_helpers import run, strava_env
from strava_server import FakeStrava

CROSSTRAIN = str(Path(sys.executable).with_name("crosstrain"))


def folder_of_runs(folder: Path, n: int = 12) -> Path:
    folder.mkdir()
    for i in range(n):
        gpx(folder / f"run{i:02d}.gpx", dt.datetime(2026, 10, 1, 7) + dt.timedelta(days=i), 300)
    return folder


def run_on_a_terminal(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run the command with stderr on a pseudo-terminal; returns (exit code, stdout, terminal text)."""
    master, slave = pty.openpty()
    env = {**(env or os.environ), "TERM": "xterm", "COLUMNS": "120"}
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    out = proc.stdout.read().decode() if proc.stdout else ""
    proc.wait(120)
    os.close(master)
    return proc.returncode, out, seen.decode(errors="replace")


def test_folder_import_shows_reading_then_writing_on_a_terminal(tmp_path: Path) -> None:
    folder = folder_of_runs(tmp_path / "watch")
    db = tmp_path / "db.duckdb"
    code, out, terminal = run_on_a_terminal(
        [CROSSTRAIN, "--db", str(db), "import", str(folder), "--athlete", "Tia Terminal"]
    )
    assert code == 0, terminal
    assert "12 activity files" in out and "12 imported" in out
    assert "reading files" in terminal and "writing sessions, matching double recordings" in terminal
    assert "12/12" in terminal


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    folder = folder_of_runs(tmp_path / "watch", 3)
    done = subprocess.run(
        [CROSSTRAIN, "--db", str(tmp_path / "db.duckdb"), "import", str(folder), "--athlete", "Sam Script"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and "reading files" not in done.stdout


def test_strava_sync_shows_pages_on_a_terminal_and_the_summary_on_stdout(db_path: Path) -> None:
    with FakeStrava() as server:
        code = server.add_athlete(1001, "Ana", "Runner", activities=450)
        env = strava_env(server, db_path)
        assert run(env, "strava", "connect", "--code", code).returncode == 0
        status, out, terminal = run_on_a_terminal([CROSSTRAIN, "strava", "sync"], env)
    assert status == 0, terminal
    assert "Ana Runner: 450 new" in out and "Ana Runner: 450 new" not in terminal
    assert "page 3" in terminal and "450 activities" in terminal  # pages of 200, 200, 50


def test_garmin_sync_shows_date_windows_on_a_terminal_and_the_summary_on_stdout(db_path: Path) -> None:
    with FakeGarmin() as server:
        key = server.add_athlete()
        for fit in generated_fits(3, day0(10), seed=21, every_days=3):
            add_fit(server, key, fit)
        env = garmin_env(server, db_path, CROSSTRAIN_GARMIN_KEY=key)
        assert run(env, "garmin", "connect", "--athlete", "Ana", "--key-days", "90").returncode == 0
        status, out, terminal = run_on_a_terminal([CROSSTRAIN, "garmin", "sync"], env)
    assert status == 0, terminal
    assert "Ana: 3 new" in out
    assert "windows" in terminal and "3 files" in terminal
