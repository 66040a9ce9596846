"""`crosstrain import` shows progress on a terminal for every step that can take long: reading the
files, then writing them (sessions, double recordings, samples); nothing of it when stderr is not a
terminal (scripts and logs get the results only)."""

from __future__ import annotations

import datetime as dt
import os
import pty
import subprocess
import sys
from pathlib import Path

from activity_files import gpx

CROSSTRAIN = str(Path(sys.executable).with_name("crosstrain"))


def folder_of_runs(folder: Path, n: int = 12) -> Path:
    folder.mkdir()
    for i in range(n):
        gpx(folder / f"run{i:02d}.gpx", dt.datetime(2026, 10, 1, 7) + dt.timedelta(days=i), 300)
    return folder


def run_on_a_terminal(args: list[str]) -> tuple[int, str, str]:
    """Run the command with stderr on a pseudo-terminal; returns (exit code, stdout, terminal text)."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
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
