"""The one write path into `activities`, shared by every importer and the Strava sync.

Callers stage canonical rows in a table (see STAGED_COLUMNS) and call `write_activities` inside their
own transaction. It categorises, lays the user's corrections over the rows, de-duplicates, writes, and
links double recordings (ingest/database/twins.py) in a few set-based statements.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import duckdb

from ingest import categories
from ingest.database import corrections, plausibility, twins, versions
from ingest.database.limits import MAX_NAME_CHARS

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
VALUE_COLUMNS = STAGED_COLUMNS[3:18] + ("category", "excluded", "excluded_reason")
# Longest description stored (the longest name: limits.MAX_NAME_CHARS): crosstrain's convention.
MAX_TEXT_CHARS = 10_000


@dataclass
class WriteCounts:
    """What a write did: new rows, changed rows, rows already stored, and second recordings of a
    session (stored, linked to the recording that counts: `twins` of the new and changed rows)."""

    new: int = 0
    updated: int = 0
    duplicate: int = 0
    twins: int = 0
    moving_fallback: int = 0  # rows whose impossible moving time gave way to their elapsed time
    excluded: list[tuple[int, str]] = field(default_factory=list)  # (activity id, reason) stored excluded
    unknown_types: dict[str, int] = field(default_factory=dict)  # type names the category table lacks

    def add(self, other: WriteCounts) -> None:
        """Count `other`'s rows too (one import written in several parts)."""
        self.new += other.new
        self.updated += other.updated
        self.duplicate += other.duplicate
        self.twins += other.twins
        self.moving_fallback += other.moving_fallback
        self.excluded += other.excluded
        for name, n in other.unknown_types.items():
            self.unknown_types[name] = self.unknown_types.get(name, 0) + n

    def notes(self) -> list[str]:
        """Lines for under a summary: what the write decided that the user may want to change."""
        found = []
        if self.moving_fallback:
            found.append(
                f"moving time: {self.moving_fallback} session{_s(self.moving_fallback)} with a moving time "
                "far too short for its distance (or under a second) counted by elapsed time instead"
            )
        if self.excluded:
            ids = ", ".join(str(i) for i, _ in self.excluded[:10]) + (
                " ..." if len(self.excluded) > 10 else ""
            )
            reasons = sorted({r for _, r in self.excluded})
            found.append(
                f"excluded: {len(self.excluded)} session{_s(len(self.excluded))} stored but counted nowhere "
                f"({'; '.join(reasons[:3])}{' ...' if len(reasons) > 3 else ''}): ids {ids}; "
                "`crosstrain activities set ID --include` counts one"
            )
        if self.unknown_types:
            ranked = sorted(self.unknown_types.items(), key=lambda x: (-x[1], x[0]))
            shown = ", ".join(f'"{t}" ({n})' for t, n in ranked[:8]) + (" ..." if len(ranked) > 8 else "")
            total = sum(self.unknown_types.values())
            found.append(
                f"types: {total} session{_s(total)} of {len(ranked)} type name{_s(len(ranked))} crosstrain "
                f"doesn't know, counted as other: {shown}; map them under [categories] in the settings "
                f'file (e.g. "{ranked[0][0]}" = "cross"), then run crosstrain activities recategorise'
            )
        return found

    def twins_note(self) -> str:
        """`; 3 double recordings, counted once` for a summary line, or nothing."""
        if not self.twins:
            return ""
        return f"; {self.twins} double recording{'s' if self.twins != 1 else ''}, counted once"


def _s(n: int) -> str:
    return "" if n == 1 else "s"


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
    con: duckdb.DuckDBPyConnection,
    staged: str,
    import_id: int | None,
    settings: dict[str, Any],
    registered: bool = False,
    ordered: bool = False,
) -> WriteCounts:
    """Write the rows of table `staged` into `activities`, each activity once, each session counted once.

    - rows of `staged` equal in every column are one row; rows sharing an (athlete, source, source_id)
      key but differing in any value are different activities (two date-only sessions of one type and
      duration on one day with different RPE): the second and later get the key `source_id#2`, ...,
      numbered in the order of their values, so a re-import gives each the same key again;
    - the user's corrections (database/corrections.py) are laid over the rows before anything is compared;
    - a key already stored updates that row when a value changed, else it is a duplicate;
    - new keys are inserted, and every stored activity on the days this write touched is re-linked
      (ingest/database/twins.py): a second recording of one session gets `twin_of` and counts nowhere.

    The key is unique by construction here (no index enforces it: see migration 002). `registered`: the
    caller's transaction already ran `categories.register` with these settings (a file import's second
    wave: ~15 ms a write saved). `ordered`: new rows get their ids in the order of `staged`'s rows (a
    file import's sessions, whose order decides a tie between two recordings of one session); else in
    whatever order the insert's plan gives (a bulk import's rows, numbered on every core).
    """
    cols = ", ".join(STAGED_COLUMNS)
    if not registered:
        categories.register(con, settings)
    con.execute(  # names and descriptions of any length arrive (a 50 MB name): kept to a readable size
        f"""update {staged}
            set name = left(name, {MAX_NAME_CHARS}), description = left(description, {MAX_TEXT_CHARS})
            where length(name) > {MAX_NAME_CHARS} or length(description) > {MAX_TEXT_CHARS}"""
    )
    plausibility.reject(con, staged, import_id)  # every source's rows meet the same rules
    unknown = dict(
        con.execute(
            f"""select sport_type, n from (select sport_type, count(*) as n from {staged} group by sport_type)
                where {categories.key_sql("sport_type")} not in (select type_key from category_map)"""
        ).fetchall()
    )
    # Keys counted by their hash (a third cheaper than the key itself): distinct hashes mean distinct
    # keys; two keys sharing a hash merely take the exact path below, which keeps both.
    total, keys = con.execute(
        f"select count(*), count(distinct hash(athlete_id, source, source_id)) from {staged}"
    ).fetchone()
    if keys < total:  # rows repeated in the file, or sessions sharing a key: one row per key first
        con.execute(f"create or replace temp table _unique as {_distinct_rows(staged)}")
        staged = "_unique"
        counts = WriteCounts(duplicate=total - con.execute("select count(*) from _unique").fetchone()[0])
    else:
        counts = WriteCounts()
    # The rows as they will be stored: a query, not a table, so that a bulk import categorises its
    # rows in the insert itself instead of writing them once more.
    # Sessions far beyond plausible for their kind are stored excluded, with the reason (plausibility.py).
    row = ", rowid as _row" if ordered else ""  # the staged order, carried for the new rows' ids
    categorised = categories.categorised(f"select {cols}{row} from {staged}", staged)
    incoming = corrections.overlay(
        con,
        f"select *, {plausibility.exclusion_sql()} as excluded_reason from ({categorised})",
        "excluded_reason is not null",
    )
    # Rows whose key is stored are compared with it; when none is (a first import of these rows), an
    # empty comparison saves categorising every row once more only to join it with nothing.
    stored = con.execute(
        f"select exists (select 1 from {staged} join activities using (athlete_id, source, source_id))"
    ).fetchone()[0]
    changed = " or ".join(f"i.{c} is distinct from a.{c}" for c in VALUE_COLUMNS)
    if stored:
        con.execute(
            f"""create or replace temp table _known as
                select a.activity_id, ({changed}) as changed, a.start_local as stored_start_local, i.*
                from ({incoming}) i join activities a using (athlete_id, source, source_id)"""
        )
        known, updated = con.execute("select count(*), count(*) filter (changed) from _known").fetchone()
    else:  # empty, with the columns read below: made without planning `incoming` once more (~7 ms)
        con.execute(
            """create or replace temp table _known (activity_id bigint, changed boolean,
               stored_start_local timestamp, athlete_id integer, source varchar, source_id varchar,
               start_local timestamp)"""
        )
        known = updated = 0
    if updated:
        sets = ", ".join(f"{c} = k.{c}" for c in VALUE_COLUMNS)
        con.execute(
            f"""update activities set {sets}, import_id = ?, updated_at = now() at time zone 'UTC'
                from _known k where activities.activity_id = k.activity_id and k.changed""",
            [import_id],
        )
    counts.updated = updated
    counts.duplicate += known - updated

    last_id = con.execute("select coalesce(max(activity_id), 0) from activities").fetchone()[0]
    # New ids from a sequence rather than `row_number() over ()`: that window holds every row in one
    # partition, so the insert, and the compression of the rows it writes, ran on one thread.
    new_id = f"{int(last_id)} + row_number() over (order by _row)" if ordered else "nextval('_activity_ids')"
    if not ordered:
        con.execute(f"create or replace temp sequence _activity_ids start {int(last_id) + 1}")
    new_only = (  # no key stored: every row is new
        """where not exists (select 1 from _known k where k.athlete_id = i.athlete_id
                             and k.source = i.source and k.source_id = i.source_id)"""
        if stored
        else ""
    )
    counts.new = con.execute(
        f"""insert into activities ({cols}, category, excluded, excluded_reason, import_id, activity_id)
            select {cols}, category, excluded, excluded_reason, ?, {new_id}
            from ({incoming}) i {new_only}""",
        [import_id],
    ).fetchone()[0]
    if not ordered:
        con.execute("drop sequence _activity_ids")
    if counts.new or updated:
        touched = f"""select activity_id from activities where activity_id > {int(last_id)}
                      union all select activity_id from _known where changed"""
        days = f"""select athlete_id, cast(start_local as date) as day from activities
                   where activity_id > {int(last_id)}
                   union all
                   select athlete_id, cast(stored_start_local as date) from _known where changed
                   union all
                   select athlete_id, cast(start_local as date) from _known where changed"""
        # into an empty table (a first import) every row is new: link them all, no day filter
        counts.twins = twins.link(con, None if last_id == 0 else days, touched)
        versions.touch(con, days)
        counts.excluded = [
            (r[0], r[1])
            for r in con.execute(
                f"""select activity_id, excluded_reason from activities
                    where excluded and excluded_reason is not null
                      and (activity_id > {int(last_id)} or activity_id in (select activity_id from _known
                                                                         where changed))
                    order by activity_id"""
            ).fetchall()
        ]
    counts.moving_fallback = plausibility.moving_fallbacks(con)
    counts.unknown_types = unknown
    for table in ("_unique", "_known"):
        con.execute(f"drop table if exists {table}")
    return counts


def _distinct_rows(staged: str) -> str:
    """SQL: the rows of `staged` once each, keys made unique by numbering the rows that share a key
    but differ in a value (`id`, `id#2`, `id#3` in the order of their values)."""
    cols = ", ".join(STAGED_COLUMNS)
    values = ", ".join(f"{c}::varchar" if c == "raw" else c for c in STAGED_COLUMNS[3:])
    rest = ", ".join(STAGED_COLUMNS[3:])
    return f"""
        select athlete_id, source, case when n = 1 then source_id else source_id || '#' || n end as source_id,
               {rest}
        from (
            select *, row_number() over (partition by athlete_id, source, source_id order by {values}) as n
            from (select distinct {cols} from {staged})
        )"""
