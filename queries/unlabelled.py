"""Sessions no rule could label: a type that says nothing (Workout, Gym & Fitness Equipment, Other ...)
and a name without keywords."""

from __future__ import annotations

from importlib import resources
from typing import Any

import duckdb

from ingest.categories import NAME_DECIDES
from queries import engine
from queries.params import CATEGORY_ROLES

SQL = resources.files("queries.sql").joinpath("unlabelled.sql").read_text(encoding="utf-8")


def unlabelled(con: duckdb.DuckDBPyConnection, athlete: str) -> list[dict[str, Any]]:
    """The athlete's unlabelled sessions, newest first: activity_id, day, sport_type, name, minutes.

    An unknown athlete has none.
    """
    return unlabelled_of(con, [athlete])[athlete]


def unlabelled_of(con: duckdb.DuckDBPyConnection, athletes: list[str]) -> dict[str, list[dict[str, Any]]]:
    """`unlabelled` of each of `athletes` by name, from one scan of the activities (the athlete pages
    computed together: dashboard/data.py Batches); its text parsed once per process (engine.parsed:
    ~1 of its ~4.5 ms CPU an athlete page)."""
    catch_all = [c for c, roles in CATEGORY_ROLES.items() if roles.get("catch_all")]
    values = {"athletes": list(athletes), "types": [t.lower() for t in NAME_DECIDES], "catch_all": catch_all}
    cur = con.execute(engine.parsed(con, SQL), values)
    columns = [d[0] for d in cur.description]
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in athletes}
    for row in cur.fetchall():
        one = dict(zip(columns, row, strict=True))
        found[one.pop("athlete")].append(one)
    return found
