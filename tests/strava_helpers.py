"""Shared set-up for the Strava tests: the fake server, the environment, and running the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import duckdb
from click.testing import CliRunner
from strava_server import CLIENT_ID, CLIENT_SECRET, FakeStrava

from crosstrain.cli import cli

CROSSTRAIN = str(Path(sys.executable).with_name("crosstrain"))


def strava_env(server: FakeStrava, db_path: Path, **extra: str) -> dict[str, str]:
    """The process environment for a CLI run against `server` (fast retries and rate windows)."""
    env = dict(os.environ)
    env.update(
        STRAVA_CLIENT_ID=str(CLIENT_ID),
        STRAVA_CLIENT_SECRET=CLIENT_SECRET,
        STRAVA_API_URL=server.url,
        CROSSTRAIN_DB=str(db_path),
        CROSSTRAIN_RETRY_BASE_S="0.01",
        CROSSTRAIN_HTTP_TIMEOUT_S="5",
        CROSSTRAIN_RATE_WINDOW_S="1",
        COLUMNS="200",
    )
    env.update(extra)
    return env


@dataclass
class Ran:
    """A finished CLI run, shaped like subprocess.CompletedProcess."""

    returncode: int
    stdout: str
    stderr: str


def run(env: dict[str, str], *args: str, real: bool = False, timeout: float = 120) -> Ran:
    """`crosstrain ARGS` with environment `env`: in-process (click's runner) unless `real`.

    `real` runs the installed command in a subprocess, exactly as a user does; in-process runs spare
    the suite a second of start-up each and go through the same code.
    """
    if real:
        done = subprocess.run([CROSSTRAIN, *args], env=env, capture_output=True, text=True, timeout=timeout)
        return Ran(done.returncode, done.stdout, done.stderr)
    with mock.patch.dict(os.environ, env, clear=True):
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return Ran(result.exit_code, result.stdout, result.stderr)


def tokens_path() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "crosstrain" / "strava_tokens.json"


def stored_tokens() -> dict:
    return json.loads(tokens_path().read_text())


def secrets_in(server: FakeStrava) -> set[str]:
    """Every secret the server ever issued, plus the client secret."""
    return {CLIENT_SECRET, *server.access, *server.refresh, *server.codes}


def query(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
