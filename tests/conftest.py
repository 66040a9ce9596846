"""Shared fixtures: a fresh DuckDB file per test, and a way to run the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from crosstrain.cli import cli

# The shared real export files (../shared/formats/README.md): beside the checkout (CI), or beside any
# folder above it (a git worktree kept in a subfolder, as /work/wt/<name> beside /work/shared).
SHARED_FORMATS = next(
    (
        p / "shared" / "formats"
        for p in Path(__file__).resolve().parents[1:]
        if (p / "shared" / "formats").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "formats",
)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Our own file in the shape of each real file of ../shared/formats the tests read (issue 19 item 7:
# a clone without ../shared runs every real-file test on these). Named after the real file; where an
# older fixture already was that file's mirror, it is named here. tests/fixtures/README.md, "mirrors".
MIRRORS = FIXTURES / "mirrors"
MIRROR_OF = {"strava_2018_old_header.csv": FIXTURES / "strava_2018.csv"}


def mirror(name: str) -> Path:
    """Our mirror of ../shared/formats/`name` ("garmin_2022.csv", "files/x.fit")."""
    return MIRROR_OF.get(name, MIRRORS / name)


def ours_and_real(name: str, ours: Any = None, real: Any = None) -> list[Any]:
    """pytest params (path, expected): our mirror of ../shared/formats/`name` with `ours`, then the real
    file with `real` when ../shared/formats is beside the checkout (CI). Without it the real case is not
    made, so nothing is skipped; ids say which is which ("ours-...", "real-...")."""
    params = [pytest.param(mirror(name), ours, id=f"ours-{Path(name).name}")]
    if (SHARED_FORMATS / name).exists():
        params.append(pytest.param(SHARED_FORMATS / name, real, id=f"real-{Path(name).name}"))
    return params


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database file path that does not exist yet."""
    return tmp_path / "crosstrain.duckdb"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's real database, settings and tokens."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # Spark's log (queries/spark.log_path)
    monkeypatch.delenv("CROSSTRAIN_DB", raising=False)
    monkeypatch.delenv("CROSSTRAIN_CONFIG", raising=False)


@pytest.fixture
def run_cli(db_path: Path):
    """Run `crosstrain --db <db_path> ARGS...` in-process; returns click's Result."""

    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, ["--db", str(db_path), *args], input=input, catch_exceptions=False)

    return run
