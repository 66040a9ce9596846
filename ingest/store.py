"""The one write path into `activities`, shared by every importer and the Strava sync.

Callers stage canonical rows in a table (see STAGED_COLUMNS) and call `write_activities` inside their
own transaction. It categorises, de-duplicates and writes in a few set-based statements.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import duckdb

from ingest import categories, plausibility

# What an activity says about itself, whatever its source.
ACTIVITY_FIELDS = (
    "sport_type",
    "name",
    "description",
    "moving_s",
    "elapsed_s",
    "distance_m",
    "elevation_gain_m",
    "avg_hr",
    "max_hr",
    "rpe",
    "relative_effort",
)
# The columns an importer stages, in this order; `category` is filled in here.
STAGED_COLUMNS = (
    "athlete_id",
    "source",
    "source_id",
    "strava_id",
    "start_at",
    "start_local",
    "has_time",
    *ACTIVITY_FIELDS,
    "raw",
)
VALUE_COLUMNS = STAGED_COLUMNS[3:18] + ("category",)

# Two records of one activity from different sources start within this many seconds of each other.
SAME_START_S = 120


@dataclass
class WriteCounts:
    """What a write did: new rows, changed rows, and rows already stored."""

    new: int = 0
    updated: int = 0
    duplicate: int = 0


def ensure_athlete(
    con: duckdb.DuckDBPyConnection, name: str, strava_id: int | None = None, timezone: str | None = None
) -> int:
    """The id of the athlete called `name`, created if new; fills in strava_id/timezone when given."""
    row = con.execute("select athlete_id from athletes where name = ?", [name]).fetchone()
    if row is None:
        row = con.execute(
            "insert into athletes (name, strava_id, timezone) values (?, ?, ?) returning athlete_id",
            [name, strava_id, timezone],
        ).fetchone()
    else:
        con.execute(
            """update athletes set strava_id = coalesce(?, strava_id), timezone = coalesce(?, timezone)
               where athlete_id = ?""",
            [strava_id, timezone, row[0]],
        )
    return row[0]


def ensure_athletes(con: duckdb.DuckDBPyConnection, table: str, column: str = "athlete") -> None:
    """Create an athlete for every distinct name in `table.column` not yet stored."""
    con.execute(
        f"""insert into athletes (name)
            select distinct {column} from {table}
            where {column} is not null and {column} not in (select name from athletes)"""
    )


def start_import(con: duckdb.DuckDBPyConnection, kind: str, path: str, fmt: str | None) -> int:
    """Record the start of an import or sync (and the process running it) and return its id."""
    return con.execute(
        """insert into imports (kind, path, format, started_at, pid)
           values (?, ?, ?, now() at time zone 'UTC', ?) returning import_id""",
        [kind, path, fmt, os.getpid()],
    ).fetchone()[0]


def finish_import(
    con: duckdb.DuckDBPyConnection,
    import_id: int,
    counts: WriteCounts,
    rejected: int = 0,
    deleted: int = 0,
    status: str = "ok",
) -> None:
    """Record how an import or sync ended."""
    con.execute(
        """update imports set finished_at = now() at time zone 'UTC', rows_new = ?, rows_updated = ?,
           rows_duplicate = ?, rows_rejected = ?, rows_deleted = ?, status = ? where import_id = ?""",
        [counts.new, counts.updated, counts.duplicate, rejected, deleted, status, import_id],
    )


def write_activities(
    con: duckdb.DuckDBPyConnection, staged: str, import_id: int | None, settings: dict[str, Any]
) -> WriteCounts:
    """Write the rows of table `staged` into `activities`, each activity once.

    - rows repeating a (athlete, source, source_id) key within `staged` are duplicates;
    - a key already stored updates that row when a value changed, else it is a duplicate;
    - a new key whose activity another source already stored (same athlete and category, Strava id
      equal, or start within SAME_START_S seconds; for date-only rows the same day and duration within
      5%) is a duplicate: the same session uploaded from a watch to Strava and Garmin is stored once.

    The key is unique by construction here (no index enforces it: see migration 002).
    """
    cols = ", ".join(STAGED_COLUMNS)
    categories.register(con, settings)
    plausibility.reject(con, staged, import_id)  # every source's rows meet the same rules
    total, keys = con.execute(
        f"select count(*), count(distinct (athlete_id, source, source_id)) from {staged}"
    ).fetchone()
    first_of_key = (
        " qualify row_number() over (partition by athlete_id, source, source_id order by start_at) = 1"
        if keys < total
        else ""
    )
    rows = f"select {cols} from {staged}{first_of_key}"
    con.execute(f"create or replace temp table _incoming as {categories.categorised(rows, staged)}")
    incoming = con.execute("select count(*) from _incoming").fetchone()[0]
    counts = WriteCounts(duplicate=total - incoming)

    changed = " or ".join(f"i.{c} is distinct from a.{c}" for c in VALUE_COLUMNS)
    con.execute(
        f"""create or replace temp table _known as
            select a.activity_id, ({changed}) as changed, i.*
            from _incoming i join activities a using (athlete_id, source, source_id)"""
    )
    known, updated = con.execute("select count(*), count(*) filter (changed) from _known").fetchone()
    if updated:
        sets = ", ".join(f"{c} = k.{c}" for c in VALUE_COLUMNS)
        con.execute(
            f"""update activities set {sets}, import_id = ?, updated_at = now() at time zone 'UTC'
                from _known k where activities.activity_id = k.activity_id and k.changed""",
            [import_id],
        )
    counts.updated = updated
    counts.duplicate += known - updated

    # Candidate twins share athlete, category and a local day (+-1, for times near midnight or a
    # mistaken time zone); the day is an equality key so the join stays a hash join.
    duration = "coalesce({t}.moving_s, {t}.elapsed_s, 0)"
    inserted = con.execute(
        f"""insert into activities ({cols}, category, import_id, activity_id)
            with fresh as (
                select i.rowid as rid, i.* from _incoming i
                where not exists (select 1 from _known k where k.athlete_id = i.athlete_id
                                  and k.source = i.source and k.source_id = i.source_id)
            ),
            near as (
                select f.*, cast(f.start_local as date) + shift.d as day
                from fresh f, (values (-1), (0), (1)) shift(d)
            ),
            twins as (
                select distinct n.rid
                from near n
                join activities a
                  on a.athlete_id = n.athlete_id and a.category = n.category
                 and cast(a.start_local as date) = n.day and a.source <> n.source
                where (n.strava_id is not null and n.strava_id = a.strava_id)
                   or (n.has_time and a.has_time
                       and (abs(epoch(a.start_at) - epoch(n.start_at)) <= {SAME_START_S}
                            or abs(epoch(a.start_local) - epoch(n.start_local)) <= {SAME_START_S}))
                   or ((not n.has_time or not a.has_time)
                       and cast(a.start_local as date) = cast(n.start_local as date)
                       and abs({duration.format(t="a")} - {duration.format(t="n")})
                           <= 0.05 * greatest({duration.format(t="a")}, {duration.format(t="n")}))
            )
            select {cols}, category, ?,
                   (select coalesce(max(activity_id), 0) from activities) + row_number() over ()
            from fresh where rid not in (select rid from twins)""",
        [import_id],
    ).fetchone()[0]
    counts.new = inserted
    counts.duplicate += incoming - known - inserted
    for table in ("_incoming", "_known"):
        con.execute(f"drop table if exists {table}")
    return counts
