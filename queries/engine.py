"""Runs the SQL files under queries/sql/ as a small pipeline of temp tables on one connection.

Each step materialises one temp table named after its file (`q_session_load` from
`session_load.sql`, ...), so a report reads the athlete's history once and every later step reuses it.
Two exceptions, both for `compare`: `metrics_today.sql` fills q_metrics with one day, and
`ewma_carry.sql` reads session_load.sql as a common table expression (one aggregate pass over the
whole history, nothing materialised per session).
Temp tables belong to the connection (a DuckDB cursor is a separate one): use one connection or cursor
per thread. Read-only connections may create them.

Every function takes `con`: a DuckDB connection, or any other `Backend` (queries/spark.py runs the same
files on Apache Spark). A backend does three things: run a SQL file's text (DuckDB's dialect, `$name`
parameters) into a temp relation, fetch a query's rows, and make a small relation from Python lists.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any, Protocol, runtime_checkable

import duckdb

from ingest.categories import CATEGORIES
from ingest.errors import UnknownAthleteError
from queries.params import Params

# Rolling windows look back this many days before the first day a caller reads.
LOOKBACK_DAYS = 27
# EWMA blocks (see metrics.sql) span this many time constants: factors inside a block stay below
# e^100, far from overflow, whatever N the settings choose (N = 7 gives 700-day blocks).
BLOCK_TIME_CONSTANTS = 100
EPOCH = date(1900, 1, 1)


@cache
def sql(name: str) -> str:
    """The text of `queries/sql/<name>.sql`."""
    return resources.files("queries.sql").joinpath(f"{name}.sql").read_text(encoding="utf-8")


def bind(text: str, values: dict[str, Any]) -> dict[str, Any]:
    """The named parameters the SQL uses, from `values` (DuckDB rejects unused ones)."""
    code = re.sub(r"--[^\n]*", "", text)
    return {name: values[name] for name in set(re.findall(r"\$(\w+)", code))}


@runtime_checkable
class Backend(Protocol):
    """An engine the SQL files run on. SQL text is in DuckDB's dialect with `$name` parameters."""

    def create(self, table: str, text: str, values: dict[str, Any]) -> None:
        """Temp relation `table` holding the rows of query `text`."""

    def rows(self, text: str, values: dict[str, Any]) -> list[dict]:
        """The rows of query `text` as plain dicts (dates as `date`, numbers as int or float)."""

    def create_columns(self, table: str, columns: dict[str, tuple[str, list]]) -> None:
        """Temp relation `table` from Python lists: column name -> (SQL type, values), equal lengths."""

    def threads(self, threads: int | None) -> None:
        """A hint: how many threads one query may use (None: every core)."""


class DuckDBBackend:
    """The default engine: temp tables on one DuckDB connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def create(self, table: str, text: str, values: dict[str, Any]) -> None:
        self.con.execute(f"create or replace temp table {table} as {text}", bind(text, values))

    def rows(self, text: str, values: dict[str, Any]) -> list[dict]:
        cur = self.con.execute(text, bind(text, values))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def create_columns(self, table: str, columns: dict[str, tuple[str, list]]) -> None:
        select = ", ".join(f"unnest(?::{kind}[]) as {name}" for name, (kind, _) in columns.items())
        self.con.execute(
            f"create or replace temp table {table} as select {select}", [v for _, v in columns.values()]
        )

    def threads(self, threads: int | None) -> None:
        use_threads(self.con, threads)


Con = duckdb.DuckDBPyConnection | Backend


def backend(con: Con) -> Backend:
    """`con` as a Backend (a DuckDB connection is wrapped)."""
    return DuckDBBackend(con) if isinstance(con, duckdb.DuckDBPyConnection) else con


def materialise(con: Con, name: str, values: dict[str, Any], table: str | None = None) -> None:
    """Run `name`.sql with `values` into temp table `q_<table or name>`."""
    backend(con).create(f"q_{table or name}", sql(name), values)


def fetch(con: Con, query: str, values: dict[str, Any] | None = None) -> list[dict]:
    """Rows of a query as plain dicts."""
    return backend(con).rows(query, values or {})


def athlete_ids(con: Con, names: list[str]) -> list[int]:
    """Ids of the named athletes; UnknownAthleteError names the first unknown one."""
    engine = backend(con)
    engine.create_columns("q_names", {"name": ("varchar", list(names))})
    query = "select a.name, a.athlete_id from athletes a join q_names n on n.name = a.name"
    found = {row["name"]: row["athlete_id"] for row in engine.rows(query, {})}
    for name in names:
        if name not in found:
            known = [row["name"] for row in engine.rows("select name from athletes order by name", {})]
            listed = (
                f"known: {', '.join(known)}"
                if 0 < len(known) <= 8
                else f"{len(known)} athletes known (crosstrain athletes lists them)"
            )
            raise UnknownAthleteError(f"unknown athlete '{name}'; {listed}")
    return [found[name] for name in names]


def prepare_scope(con: Con, ids: list[int] | None, params: Params) -> None:
    """Temp tables q_scope (the athletes read: `None` = all), q_intensity, q_run_keywords."""
    engine = backend(con)
    if ids is None:
        engine.create("q_scope", "select athlete_id from athletes", {})
    else:
        engine.create_columns("q_scope", {"athlete_id": ("integer", sorted(set(ids)))})
    engine.create_columns(
        "q_intensity",
        {
            "category": ("varchar", list(CATEGORIES)),
            "intensity": ("double", [params.intensity[c] for c in CATEGORIES]),
        },
    )
    engine.create_columns("q_run_keywords", {"keyword": ("varchar", list(params.run_keywords))})


def prepare_sessions(con: Con, params: Params, start: date, end: date) -> None:
    """q_athlete_history (HRmax, first and last support day, whole history up to `end`) and
    q_session_load: the scope's sessions with their load, local days [start, end]."""
    materialise(con, "athlete_history", {"end": end, **params.load})
    materialise(con, "session_load", {"from": start, "end": end, **params.load})


def prepare_metrics(con: Con, params: Params, first: date, end: date, sessions_from: date = EPOCH) -> None:
    """q_ewma_carry, q_daily_load and q_metrics for every scope athlete, full windows from `first` to `end`.

    Needs q_session_load holding every session from `sessions_from` (at most 27 days before `first`) to
    `end`. Fitness and fatigue continue from the state carried in from the sessions before
    `sessions_from`: one aggregate over them (ewma_carry.sql), so a caller that only reads the last days
    (compare) need not materialise every session's load.
    """
    start = first - timedelta(days=LOOKBACK_DAYS)
    assert sessions_from <= start, "q_session_load must cover the rolling windows"
    prepare_carry(con, params, sessions_from - timedelta(days=1))
    materialise(con, "daily_load", {"start": start, "end": end})
    materialise(
        con,
        "metrics",
        {
            "start": start,
            **_alphas(params),
            "block_days": max(
                1, int(BLOCK_TIME_CONSTANTS * min(params.load["fitness_days"], params.load["fatigue_days"]))
            ),
        },
    )


def prepare_today(con: Con, params: Params, as_of: date) -> None:
    """q_metrics holding only the day `as_of` for every scope athlete (metrics_today.sql: aggregates,
    no daily calendar), from q_session_load holding at least the 28 days up to `as_of`."""
    prepare_carry(con, params, as_of - timedelta(days=1))
    materialise(con, "metrics_today", {"as_of": as_of, **_alphas(params)}, table="metrics")


def prepare_carry(con: Con, params: Params, end: date) -> None:
    """q_ewma_carry: each scope athlete's fitness and fatigue at the end of `end`, in one aggregate pass
    over session_load.sql's rows up to `end` (a common table expression, not a temp table)."""
    text = f"with session_history as (\n{sql('session_load')}\n)\n{sql('ewma_carry')}"
    values = {"from": EPOCH, "end": end, **params.load, **_alphas(params)}
    backend(con).create("q_ewma_carry", text, values)


def _alphas(params: Params) -> dict[str, float]:
    return {
        "a_fit": params.alpha(params.load["fitness_days"]),
        "a_fat": params.alpha(params.load["fatigue_days"]),
    }


def use_threads(con: Con, threads: int | None = None) -> None:
    """Set the connection's DuckDB threads (None: one per core), and only when it differs.

    One athlete's queries run on one thread: their tables are a few thousand rows, so a second thread
    only adds scheduling. The setting stays on the connection, because resizing DuckDB's thread pool
    is itself slow: switching to one thread and back on every report doubled its time on a busy
    2-core machine (measured 118 ms against 57 ms). `compare` switches back to every core.
    """
    if not isinstance(con, duckdb.DuckDBPyConnection):
        con.threads(threads)
        return
    threads = threads or os.cpu_count() or 1
    if con.execute("select current_setting('threads')").fetchone()[0] != threads:
        con.execute(f"set threads = {int(threads)}")


def monday(day: date) -> date:
    """The Monday starting `day`'s ISO week."""
    return day - timedelta(days=day.weekday())
