"""Spark errors are one line (issue 20 item 5), and `export --parquet` writes through a symlinked
folder, leaves no `.old` folder, and says a full disk as such.

A master Spark cannot use (not a master URL, a standalone master or Kubernetes API that does not
answer, YARN without its settings), a missing Java and a missing or cut export are found before any
JVM starts; what the JVM itself says goes to a log file named in the line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import duckdb
import pytest

CROSSTRAIN = str(Path(sys.executable).with_name("crosstrain"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"

pytest.importorskip("pyspark")


def crosstrain(db_path: Path, *args: str, timeout: float = 90, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "COLUMNS": "200", **env}
    return subprocess.run(
        [CROSSTRAIN, "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environ,
    )


@pytest.fixture
def export(tmp_path: Path, db_path: Path) -> Path:
    done = crosstrain(db_path, "import", "--athlete", "Ana", str(FIXTURES / "strava_activities.csv"))
    assert "imported" in done.stdout
    target = tmp_path / "export"
    assert crosstrain(db_path, "export", "--parquet", str(target)).returncode == 0
    return target


def one_line(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr[:2000]
    assert "Traceback" not in done.stderr and "at org.apache" not in done.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("master", "says"),
    [
        ("spark://127.0.0.1:1", "cannot reach the master spark://127.0.0.1:1"),
        ("local[abc]", "is not a Spark master URL"),
        ("k8s://https://127.0.0.1:1", "cannot reach the master"),
        ("yarn", "needs HADOOP_CONF_DIR or YARN_CONF_DIR"),
        ("", "is not a Spark master URL"),
    ],
)
def test_an_unusable_master_is_one_line(export: Path, db_path: Path, master: str, says: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("HADOOP_CONF_DIR", "YARN_CONF_DIR")}
    done = subprocess.run(
        [CROSSTRAIN, "--db", str(db_path), "report", "--athlete", "Ana", "--engine", "spark",
         "--source", str(export), "--master", master],
        capture_output=True, text=True, timeout=90, env=env,
    )  # fmt: skip
    assert says in one_line(done)


def test_java_missing_is_one_line_that_says_so(export: Path, db_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = str(Path(sys.executable).parent)
    done = subprocess.run(
        [CROSSTRAIN, "--db", str(db_path), "report", "--athlete", "Ana", "--engine", "spark",
         "--source", str(export), "--master", "local[1]"],
        capture_output=True, text=True, timeout=90, env=env,
    )  # fmt: skip
    assert "needs a Java 17+ runtime" in one_line(done)


def test_a_missing_or_cut_export_is_one_line(export: Path, db_path: Path) -> None:
    parquet = next((export / "activities").rglob("*.parquet"))
    parquet.write_bytes(parquet.read_bytes()[: parquet.stat().st_size // 2])
    done = crosstrain(db_path, "report", "--athlete", "Ana", "--engine", "spark", "--source", str(export))
    assert "not a whole Parquet file" in one_line(done) and parquet.name in done.stderr
    assert crosstrain(db_path, "export", "--parquet", str(export)).returncode == 0
    for folder in (export / "athletes", export / "athletes.parquet"):
        if folder.is_dir():
            shutil.rmtree(folder)
        elif folder.exists():
            folder.unlink()
    done = crosstrain(db_path, "report", "--athlete", "Ana", "--engine", "spark", "--source", str(export))
    assert "missing from the export" in one_line(done)


@pytest.mark.spark
def test_javas_own_output_goes_to_the_log_named_in_the_line(
    export: Path, db_path: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    done = crosstrain(
        db_path, "report", "--athlete", "Ana", "--engine", "spark", "--source", str(export),
        "--master", "local[0]", timeout=600, XDG_STATE_HOME=str(state),
    )  # fmt: skip
    line = one_line(done)
    log = state / "crosstrain" / "spark.log"
    assert str(log) in line
    assert "at org.apache.spark" in log.read_text()


def test_export_writes_through_a_symlinked_folder(db_path: Path, tmp_path: Path) -> None:
    crosstrain(db_path, "import", "--athlete", "Ana", str(FIXTURES / "strava_activities.csv"))
    real = tmp_path / "disk" / "exports"
    real.mkdir(parents=True)
    link = tmp_path / "exports"
    link.symlink_to(real, target_is_directory=True)
    for _ in range(2):  # the first into an empty folder, the second over the earlier export
        done = crosstrain(db_path, "export", "--parquet", str(link))
        assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert (real / "crosstrain_export.json").exists()
    siblings = sorted(p.name for p in tmp_path.iterdir()) + sorted(p.name for p in real.parent.iterdir())
    assert not [n for n in siblings if n.endswith((".old", ".partial"))], siblings


def test_a_full_disk_is_said_as_such(db_path: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(db_path))
    con.close()
    crosstrain(db_path, "import", "--athlete", "Ana", str(FIXTURES / "strava_activities.csv"))
    tiny = tmp_path / f"tiny-{uuid.uuid4().hex[:6]}"
    tiny.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=12k", "tmpfs", str(tiny)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("needs to mount a small tmpfs (root)")
    try:
        done = crosstrain(db_path, "export", "--parquet", str(tiny / "export"))
        assert done.returncode == 1
        assert "the disk is full" in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        assert list(tiny.iterdir()) == []  # nothing half-written left
    finally:
        subprocess.run(["umount", str(tiny)], check=False)
