"""Who is in the database: each athlete's sources, activity count and date range."""

from __future__ import annotations

from importlib import resources
from typing import Any

import duckdb

from queries import engine

SQL = resources.files("queries").joinpath("athletes.sql").read_text(encoding="utf-8")
NAMES_SQL = resources.files("queries").joinpath("athlete_names.sql").read_text(encoding="utf-8")


def athletes(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every athlete as {name, sources, activities, double_recordings, excluded, first_activity,
    last_activity, timezone, timezone_source, hr_max, hr_rest, sex}, by name."""
    return engine.fetch(con, SQL)


def names(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every athlete as {name, first_activity, last_activity}, by name: `athletes` without the
    counting (the dashboard's pages need only these; a third of the cost)."""
    return engine.fetch(con, NAMES_SQL)
