"""A change marker per athlete, for readers that keep results between calls.

Every write that changes what the analytics read of an athlete's activities calls `touch` inside its
own transaction, so a reader sees the new marker exactly when it sees the new rows. The writes that
change an athlete's row in `athletes` (rename, heart-rate settings) need not: readers include that row
in the marker. A merge moves the source's markers to the target (every athlete_id table follows), and
a delete removes them.
"""

from __future__ import annotations

import duckdb


def touch(con: duckdb.DuckDBPyConnection, athletes: str) -> None:
    """New random markers (migration 010) for the athletes that query `athletes` returns (column
    `athlete_id`, repeats allowed)."""
    con.execute(f"create or replace temp table _touched as select distinct athlete_id from ({athletes})")
    con.execute("delete from athlete_versions where athlete_id in (select athlete_id from _touched)")
    con.execute(
        "insert into athlete_versions select athlete_id, cast(gen_random_uuid() as varchar) from _touched"
    )
    con.execute("drop table _touched")
