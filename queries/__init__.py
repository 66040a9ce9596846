"""Reads the database: the balance analytics, as SQL run by DuckDB (queries/sql/*.sql).

Every function takes an open connection (`ingest.db.connect(path, read_only=True)`) and returns plain
data: dicts for the report JSON, DataFrames for the dashboard's charts.
"""

from queries.frames import daily_metrics, sessions, weekly_balance
from queries.report import compare, report

__all__ = ["compare", "daily_metrics", "report", "sessions", "weekly_balance"]
