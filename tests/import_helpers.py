"""Helpers for the import tests: look in the database a CLI run wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb


def rows(db_path: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    """Run a read-only query against the test database."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def one(db_path: Path, sql: str, params: list[Any] | None = None) -> Any:
    return rows(db_path, sql, params)[0][0]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]
