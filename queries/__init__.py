"""Reads the database: the balance analytics, as SQL run by DuckDB (queries/sql/*.sql).

Every function takes an open connection (`ingest.db.connect(path, read_only=True)`) and returns plain
data: dicts for the report JSON, DataFrames for the dashboard's charts. They leave temp tables
(`q_*`) and DuckDB's thread setting on that connection (one thread after a single-athlete call, every
core after `compare`): use one connection per thread, as DuckDB asks anyway.

Sources of the formulas and thresholds: Foster 1998 (monotony, strain), Foster et al. 2001 (session
RPE load), Banister 1991 (TRIMP; fitness/fatigue EWMA), Gabbett 2016 (acute:chronic workload ratio),
Nielsen et al. 2014 (weekly running progression), Seiler 2010 (intensity distribution, run variety).
"""

from queries.frames import daily_metrics, overview, sessions, weekly_balance
from queries.report import compare, report

__all__ = ["compare", "daily_metrics", "overview", "report", "sessions", "weekly_balance"]
