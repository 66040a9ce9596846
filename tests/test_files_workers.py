"""Decode worker processes end with the import that started them (issue 20 item 6).

`crosstrain import` of a folder decodes its files in worker processes; killed with `kill -9`, it runs
no shutdown, and the workers waited for work forever. Here the real command is started, killed once
its workers exist, and the workers must be gone within seconds.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from activity_files import fit_activity, gpx

CROSSTRAIN = str(Path(sys.executable).with_name("crosstrain"))


def children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def started(proc: subprocess.Popen, find: Callable[[], list[int]]) -> list[int]:
    """What `find` returns once it finds something (within 60 s, while `proc` runs)."""
    deadline = time.monotonic() + 60
    found: list[int] = []
    while time.monotonic() < deadline and not found and proc.poll() is None:
        found = find()
        time.sleep(0.1)
    return found


def survivors_of_a_kill(proc: subprocess.Popen, processes: list[int]) -> list[int]:
    """`kill -9` of `proc`; those of `processes` still alive 10 s later (then killed: no orphan stays)."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in processes):
        time.sleep(0.2)
    left = [p for p in processes if alive(p)]
    for p in left:
        os.kill(p, signal.SIGKILL)
    return left


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_workers_end_when_the_import_is_killed(tmp_path: Path, db_path: Path) -> None:
    one = fit_activity(tmp_path / "one.fit", datetime(2026, 10, 1, 7, tzinfo=UTC), 12_000)
    folder = tmp_path / "watch"
    folder.mkdir()
    for i in range(60):
        shutil.copy(one, folder / f"run{i}.fit")
    proc = subprocess.Popen(
        [CROSSTRAIN, "--db", str(db_path), "import", "--athlete", "Ana", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert started(proc, lambda: children(proc.pid)), "the import started no decode workers"
        time.sleep(0.5)
        left = survivors_of_a_kill(proc, children(proc.pid))
    finally:
        for w in children(proc.pid):
            os.kill(w, signal.SIGKILL)
    assert left == [], f"decode workers alive 10 s after the import was killed: {left}"


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def descendants(pid: int) -> list[int]:
    """Live processes below `pid`, children first."""
    found = children(pid)
    return found + [d for c in found for d in descendants(c)]


THREADED_IMPORT = """
import sys, threading
from pathlib import Path
from ingest.exports.importer import ImportOptions
from ingest.files.importer import import_activity_paths
results = []
job = threading.Thread(target=lambda: results.extend(
    import_activity_paths(sys.argv[1], [Path(sys.argv[2])], ImportOptions(athlete="Ana"), {})))
job.start()
job.join()
print(results[0].summary())
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_an_import_on_a_thread_decodes_in_spawned_workers_that_end_with_it(
    tmp_path: Path, db_path: Path
) -> None:
    """The dashboard imports on a thread beside its page requests: its workers are spawned, not forked
    (a child forked from a threaded process inherits what another thread held), import every file, and
    end with the import when it is killed."""
    one = fit_activity(tmp_path / "one.fit", datetime(2026, 10, 1, 7, tzinfo=UTC), 12_000)
    folder = tmp_path / "watch"
    folder.mkdir()
    for i in range(60):
        shutil.copy(one, folder / f"run{i}.fit")
    script = [sys.executable, "-c", THREADED_IMPORT, str(db_path), str(folder)]
    done = subprocess.run(script, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "60 activity files, 60 sessions" in done.stdout and "0 rejected" in done.stdout, done.stdout

    proc = subprocess.Popen([*script[:3], str(tmp_path / "again.duckdb"), str(folder)])
    try:
        spawned = started(proc, lambda: [c for c in children(proc.pid) if "spawn_main" in cmdline(c)])
        assert spawned, "no spawned decode workers"
        left = survivors_of_a_kill(proc, descendants(proc.pid))
    finally:
        for w in descendants(proc.pid):
            os.kill(w, signal.SIGKILL)
    assert left == [], f"workers alive 10 s after the import was killed: {left}"


def runs_in_gpx(folder: Path, n: int = 80) -> Path:
    """`n` runs on `n` days, ~0.9 MB of GPX each: decoded in workers, ~65 ms apiece (seconds in all)."""
    folder.mkdir()
    for i in range(n):
        gpx(folder / f"run{i:02d}.gpx", datetime(2026, 6, 1, 7, tzinfo=UTC) + timedelta(days=i), 5000)
    return folder


def import_killing_workers(db_path: Path, folder: Path, kills: int) -> tuple[int, str, str]:
    """`crosstrain import` of `folder`, a decode worker of each of its first `kills` pools killed
    (the next kill waits for workers not seen before); returns exit code, stdout, stderr."""
    proc = subprocess.Popen(
        [CROSSTRAIN, "--db", str(db_path), "import", "--athlete", "Ana", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: set[int] = set()
    try:
        while kills:
            assert started(proc, lambda: [c for c in children(proc.pid) if c not in seen]), "no new workers"
            time.sleep(0.2)  # decoding
            new = [c for c in children(proc.pid) if c not in seen]
            seen.update(new)  # the pool's workers (and a broken pool's last ones, ending)
            with contextlib.suppress(IndexError, ProcessLookupError):
                os.kill(new[0], signal.SIGKILL)
                kills -= 1
        out, err = proc.communicate(timeout=300)
    finally:
        for w in descendants(proc.pid):
            os.kill(w, signal.SIGKILL)
        proc.kill()
    return proc.returncode, out, err


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_a_worker_killed_mid_import_loses_no_file(tmp_path: Path, db_path: Path) -> None:
    """A decode worker killed while the import runs (the out-of-memory killer, a user) breaks the pool:
    the files not decoded by then are decoded again in new workers, every good file is imported, and
    the summary says what happened (before: each of them was refused, "ended abruptly")."""
    code, out, err = import_killing_workers(db_path, runs_in_gpx(tmp_path / "watch"), kills=1)
    assert code == 0, err
    assert err == "", err
    assert "80 activity files, 80 sessions: 80 imported, 0 updated, 0 duplicates" in out, out
    assert ", 0 rejected" in out, out
    assert "a worker process ended abruptly (killed, out of memory or crashed)" in out, out
    assert "were decoded again in new ones" in out and "were not imported" not in out, out
    with duckdb.connect(str(db_path), read_only=True) as con:
        days, with_hr = con.execute(
            """select count(distinct cast(start_at as date)),
                      (select count(distinct activity_id) from activity_hr_seconds)
               from activities"""
        ).fetchone()
    assert (days, with_hr) == (80, 80)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_a_file_that_ends_its_worker_every_time_is_the_only_one_refused(
    tmp_path: Path, db_path: Path
) -> None:
    """When the new workers end abruptly too, the rest are decoded one file a task by one worker: the
    file it was on when it ended is refused (a decoder crash on that file would end it every time),
    and another worker takes the files after it. Here the workers of three pools in a row are killed:
    exactly one file is refused, with its line, and the other 79 are imported."""
    code, out, err = import_killing_workers(db_path, runs_in_gpx(tmp_path / "watch"), kills=3)
    assert code == 1, err
    [line] = err.splitlines()
    assert line.startswith("error: ") and line.endswith(
        ".gpx: the decoding process ended abruptly; file skipped"
    )
    assert "79 activity files, 79 sessions: 79 imported, 0 updated, 0 duplicates" in out, out
    assert ", 1 rejected" in out, out
    assert "were decoded again in new ones; 1 of them ended it again and were not imported" in out, out
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select count(*) from activities").fetchone()[0] == 79
