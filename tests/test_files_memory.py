"""Memory bounded by design (issue 20 item 3): whatever a file holds, one import stays under 1 GB.

Each import runs as the user runs it, in a subprocess, and its peak resident memory is read from
the kernel (resource.getrusage of the finished child).
"""

from __future__ import annotations

import gzip
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from activity_files import tcx

CROSSTRAIN = str(Path(sys.executable).with_name("crosstrain"))
GiB = 1024**3


def peak_run(
    db_path: Path, *args: str, timeout: float = 120
) -> tuple[subprocess.CompletedProcess, int, float]:
    """`crosstrain ARGS` in a child process: its result, peak resident bytes and seconds."""
    code = (
        "import resource, subprocess, sys, json\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024\n"
        "print(json.dumps([done.returncode, done.stdout, done.stderr, peak]))\n"
    )
    began = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", code, CROSSTRAIN, "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200"},
    )
    import json

    rc, stdout, stderr, peak = json.loads(out.stdout)
    return subprocess.CompletedProcess(args, rc, stdout, stderr), peak, time.monotonic() - began


def gz_bomb(path: Path, members: int) -> Path:
    """A .gz of `members` concatenated gzip members of 64 MiB of zeros each (~64 KiB compressed)."""
    one = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    path.write_bytes(one * members)
    return path


def test_a_gz_that_expands_a_thousand_times_is_refused_before_it_is_held(
    tmp_path: Path, db_path: Path
) -> None:
    # 5.9 MiB compressed, 6 GiB decompressed: before, 100 x 5.9 MiB (590 MB) was read into memory
    small = gz_bomb(tmp_path / "small.fit.gz", 96)
    # 12 MiB compressed, 12 GiB decompressed: before, 1.2 GB were read into memory
    large = gz_bomb(tmp_path / "large.fit.gz", 192)
    for bomb in (small, large):
        done, peak, seconds = peak_run(db_path, "import", "--athlete", "Ana", str(bomb))
        assert done.returncode == 1, done
        assert "Traceback" not in done.stderr
        assert done.stderr.count("error: ") == 1 and bomb.name in done.stderr
        assert peak < 300 * 1024**2, f"{bomb.name}: peak {peak / 1024**2:.0f} MiB"
        assert seconds < 30


def test_one_session_written_301_times_is_one_line_and_quick(tmp_path: Path, db_path: Path) -> None:
    text = tcx(tmp_path / "one.tcx", datetime(2026, 10, 1, 7, tzinfo=UTC), 300).read_text()
    a, b = text.index("<Activity "), text.index("</Activity>") + len("</Activity>")
    many = tmp_path / "many.tcx"
    many.write_text(text[:a] + text[a:b] * 301 + text[b:])
    done, peak, seconds = peak_run(db_path, "import", "--athlete", "Ana", str(many))
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    assert "300 more sessions with the start of session 1" in done.stderr
    assert "301 sessions: 1 imported" in done.stdout
    assert peak < GiB / 2, f"peak {peak / 1024**2:.0f} MiB"
    assert seconds < 60


def test_an_over_size_activity_file_is_refused_from_its_size(tmp_path: Path, db_path: Path) -> None:
    big = tmp_path / "huge.gpx"
    with big.open("wb") as fh:
        fh.write(b"<gpx>" + b" " * (40 * 1024 * 1024) + b"</gpx>")
    done, peak, _ = peak_run(db_path, "import", "--athlete", "Ana", str(big))
    assert done.returncode == 1
    assert "huge.gpx: more than 32 MiB" in done.stderr
    assert peak < 300 * 1024**2


def test_resource_module_reads_children() -> None:
    """The measurement itself: a child that holds 200 MB is seen as such."""
    code = "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    subprocess.run([sys.executable, "-c", code], check=True)
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 >= 200 * 1024**2
