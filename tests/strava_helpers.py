"""Shared set-up for the Strava tests: the fake server, the environment, and running the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
from strava_server import CLIENT_ID, CLIENT_SECRET, FakeStrava

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


def run(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`crosstrain ARGS` in a subprocess, as a user runs it."""
    return subprocess.run([CROSSTRAIN, *args], env=env, capture_output=True, text=True, timeout=timeout)


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
