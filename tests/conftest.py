"""Shared fixtures: a fresh DuckDB file per test, and a way to run the CLI."""

from __future__ import annotations

from pathlib import Path

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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database file path that does not exist yet."""
    return tmp_path / "crosstrain.duckdb"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's real database, settings and tokens."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("CROSSTRAIN_DB", raising=False)
    monkeypatch.delenv("CROSSTRAIN_CONFIG", raising=False)


@pytest.fixture
def run_cli(db_path: Path):
    """Run `crosstrain --db <db_path> ARGS...` in-process; returns click's Result."""

    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, ["--db", str(db_path), *args], input=input, catch_exceptions=False)

    return run
