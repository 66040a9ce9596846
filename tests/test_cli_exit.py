"""How `crosstrain` ends (crosstrain/cli.py's `main` and `end`): with the command's code and all its
output, its exit handlers run, and without Python's teardown of the interpreter (40-90 ms of CPU at
every command's end) unless something still needs it: a thread still running, a store connection
still open, a message for an exit code. Each case runs in a new interpreter, as a user runs it.

A module-level object whose finaliser prints "teardown" tells the two ends apart: Python's teardown
finalises it, `os._exit` does not.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import atexit, sys
class Finalised:
    def __del__(self):
        print("teardown", flush=True)
kept = Finalised()
atexit.register(lambda: print("exit handler", flush=True))
{setup}
from crosstrain.cli import main
sys.argv[0] = "crosstrain"
main()
"""


def run(*args: str, setup: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(setup=setup), *args], capture_output=True, text=True, timeout=120
    )


def test_a_command_ends_without_the_teardown_with_its_output_and_exit_handlers() -> None:
    done = run("--help")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Usage: crosstrain") and "  strava " in done.stdout  # the whole help
    assert lines[-1] == "exit handler"
    assert "teardown" not in done.stdout


def test_its_exit_code_stays_the_commands(tmp_path: Path) -> None:
    done = run("--db", str(tmp_path / "x.duckdb"), "import", str(tmp_path / "missing.csv"))
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "missing.csv" in done.stderr
    assert "teardown" not in done.stdout
    usage = run("no-such-command")
    assert usage.returncode == 2 and "No such command" in usage.stderr
    assert usage.stdout.splitlines() == ["exit handler"]


def test_a_command_that_wrote_the_store_closed_it_first(tmp_path: Path) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text("date,type,duration\n2026-11-30,Run,1800\n")
    db = tmp_path / "x.duckdb"
    done = run("--db", str(db), "import", "--athlete", "Ann", str(csv))
    assert done.returncode == 0, done.stderr
    assert "1 imported" in done.stdout and "teardown" not in done.stdout
    assert not Path(f"{db}.wal").exists()  # closed: its writes checkpointed into the file
    listed = run("--db", str(db), "activities", "list", "--athlete", "Ann", "--json")
    assert listed.returncode == 0 and '"Run"' in listed.stdout


def test_a_thread_still_running_is_joined_by_the_normal_exit() -> None:
    setup = """
import threading, time
import crosstrain.cli
command = crosstrain.cli.cli
def started(**kw):  # the thread outlives the command: it is still running when `main` ends
    threading.Thread(target=lambda: (time.sleep(2), print("joined", flush=True))).start()
    command(**kw)
crosstrain.cli.cli = started
"""
    done = run("--help", setup=setup)
    assert done.returncode == 0
    assert "joined" in done.stdout and "teardown" in done.stdout


def test_an_open_store_connection_is_closed_by_the_normal_exit(tmp_path: Path) -> None:
    setup = f"""
from ingest.database.db import connect
held = connect({str(tmp_path / "held.duckdb")!r})
con = held.__enter__()
"""
    done = run("--help", setup=setup)
    assert done.returncode == 0
    assert "teardown" in done.stdout


def test_a_message_as_the_code_is_printed_by_python() -> None:
    setup = """
import crosstrain.cli
crosstrain.cli.cli = lambda **kw: sys.exit("stopped: a message")
"""
    done = run("--help", setup=setup)
    assert done.returncode == 1
    assert done.stderr.strip() == "stopped: a message"
    assert "teardown" in done.stdout
