"""Each session's stored values (migration 017) and each athlete's monthly sums of them (018): the one
writer, and the athlete markers they are kept under.

queries/session_values.py computes the values with the analytics SQL and hands them here; readers in
queries/engine.py use them only while an athlete's `MARKERS` row and the basis equal the ones stored
with them. ingest owns the tables, so this module knows nothing of how the values are computed.
"""

from __future__ import annotations

from datetime import timedelta

import duckdb

from ingest.database.transaction import transaction

# Per athlete, what their stored values depend on besides the settings: the change markers every
# write to their activities or activity files renews (versions.py) and the athlete's own heart-rate
# settings and sex (an edit of those does not renew the markers). Columns athlete_id, marker.
# (The versions aggregated before the join: the athletes' rows are not grouped by four keys, which cost
# a reader's check of one athlete ~1.5 ms more; the same marker text.)
_MARKERS = """
    select a.athlete_id,
           concat_ws('|', coalesce(v.versions, ''), coalesce(cast(a.hr_max as varchar), ''),
                     coalesce(cast(a.hr_rest as varchar), ''), coalesce(a.sex, '')) as marker
    from athletes a
    left join (
        select athlete_id, string_agg(version, ',' order by version) as versions
        from athlete_versions
        group by athlete_id
    ) v on v.athlete_id = a.athlete_id{where}
"""
MARKERS = _MARKERS.format(where="")

# session_load.sql's row, in its order (the stored reader, engine.STORED, selects them so).
COLUMNS = (
    "activity_id", "athlete_id", "day", "start_local", "category", "sport_type", "name", "minutes",
    "distance_km", "load", "load_source", "hr_max", "rpe",
)  # fmt: skip
# Session rows are written in two runs: first those more than RECENT_DAYS before the written rows' last
# day, then the rest. Every reader filters on days (a window's sessions, the days a month's sum leaves
# out), and DuckDB skips the row groups whose days lie outside (zonemaps): the cold overview's reads of
# the last weeks then scan about a tenth of the 1.5M rows of 1,000 athletes' five years, not all of
# them (q_session_load, athlete history ~40 ms CPU less). The two filtered inserts cost a 1M-row CSV
# import ~2% CPU; sorting the rows by day cost 6%. Within each run the rows keep
# the relation's order (one athlete's sessions together: a report reads its athlete's whole history).
RECENT_DAYS = 183
# session_months.sql's row, in its order.
MONTH_COLUMNS = (
    "athlete_id", "month", "first_start", "last_start", "last_support_start", "hr_max", "fit", "fat",
    "acute", "chronic",
)  # fmt: skip

# The athletes (column athlete_id) whose stored values are missing, or were computed at a marker other
# than their MARKERS row or a basis other than $basis. Parameter: $basis.
# (Stale: no state row, or any state row at another marker or basis; a merge can leave two. One join
# and one aggregate: the `exists` and `not exists` subqueries this replaces planned ~1 ms more.)
_STALE = """
    select m.athlete_id, m.marker
    from ({markers}) m
    left join session_values_state s on s.athlete_id = m.athlete_id
    group by m.athlete_id, m.marker
    having not coalesce(bool_and(s.marker = m.marker and s.basis = $basis), false)
"""
STALE = _STALE.format(markers=MARKERS)


def stale_among(relation: str) -> str:
    """STALE of the athletes in `relation` (a table with an athlete_id column) only: a reader's check
    of one athlete computes one marker, not every athlete's (~1 ms of its ~6 on a new connection)."""
    where = f"\n    where a.athlete_id in (select athlete_id from {relation})"
    return _STALE.format(markers=_MARKERS.format(where=where))


def stale(con: duckdb.DuckDBPyConnection, basis: str) -> list[tuple[int, str]]:
    """(athlete id, current marker) of the STALE athletes, by id."""
    return con.execute(f"{STALE} order by m.athlete_id", {"basis": basis}).fetchall()


def replace(
    con: duckdb.DuckDBPyConnection, markers: list[tuple[int, str]], basis: str, relation: str, months: str
) -> int:
    """Replace the stored values of the athletes in `markers` ((athlete id, marker) read BEFORE the values
    were computed) by the rows of `relation` (a table or view with COLUMNS, those athletes' sessions) and
    their monthly sums by the rows of `months` (MONTH_COLUMNS), in one transaction; session rows are
    written older first (RECENT_DAYS), each run in the relation's order. Returns the session rows written.

    The markers are the ones read before the data: if a write came in between, the stored marker is
    older than the data and the next check finds it stale (computed again), never the reverse."""
    cols = ", ".join(COLUMNS)
    ids = [athlete_id for athlete_id, _ in markers]
    with transaction(con):
        con.execute(
            "create or replace temp table _values_athletes as "
            "select unnest(?::integer[]) as athlete_id, unnest(?::varchar[]) as marker",
            [ids, [marker for _, marker in markers]],
        )
        con.execute(
            "delete from session_values where athlete_id in (select athlete_id from _values_athletes)"
        )
        for table in ("session_months", "session_values_state"):
            con.execute(f"delete from {table} where athlete_id in (select athlete_id from _values_athletes)")
        rows = f"select {cols} from {relation} where athlete_id in (select athlete_id from _values_athletes)"
        last = con.execute(f"select max(day) from ({rows})").fetchone()[0]
        written = 0
        for days in ("day <= ?", "day > ?") if last is not None else ():
            insert = f"insert into session_values ({cols}) select * from ({rows}) where {days}"
            written += con.execute(insert, [last - timedelta(days=RECENT_DAYS)]).fetchone()[0]
        month_cols = ", ".join(MONTH_COLUMNS)
        con.execute(
            f"""insert into session_months ({month_cols})
                select {month_cols} from {months}
                where athlete_id in (select athlete_id from _values_athletes)"""
        )
        con.execute(
            "insert into session_values_state select athlete_id, marker, ? from _values_athletes", [basis]
        )
        con.execute("drop table _values_athletes")
    return int(written)
