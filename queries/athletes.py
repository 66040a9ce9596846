"""Who is in the database: each athlete's sources, activity count and date range."""

from __future__ import annotations

from importlib import resources
from typing import Any

import duckdb

SQL = resources.files("queries").joinpath("athletes.sql").read_text(encoding="utf-8")


def athletes(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every athlete as {name, sources, activities, double_recordings, excluded, first_activity,
    last_activity, timezone, timezone_source, hr_max, hr_rest, sex}, by name."""
    cur = con.execute(SQL)
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
