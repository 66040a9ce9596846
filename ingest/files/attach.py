"""Attaching a file's samples to the activity they describe: activity_files, _hr_seconds, _sets.

The activity is the row the file's session was written as (or the CSV row of a Strava export); when
that row is a second recording of a session (`twin_of`), or was not stored because another source
already holds the session, the samples go to the activity that counts. Of several files of one
session the richest feeds the samples: most heart-rate seconds, a strength set counting a minute.
"""

from __future__ import annotations

import duckdb
import numpy as np

from ingest.database import versions
from ingest.files.decode import Decoded, Session

# Another recording of a session starts within this many seconds (store.SAME_START_S's rule).
SAME_START_S = 120
SET_WEIGHT_S = 60.0  # richness: a recorded strength set counts like a minute of heart rate


ATT_COLUMNS = {
    "rn": "integer", "source": "varchar", "source_id": "varchar", "start_at": "timestamp", "file": "varchar",
    "format": "varchar", "start_lat": "double", "start_lon": "double", "start_timezone": "varchar",
    "structure": "varchar", "rpe": "double", "hr_s": "double", "hr_spikes": "integer",
    "clock_jumps": "integer", "richness": "double",
}  # fmt: skip
HR_COLUMNS = {"rn": "integer", "bpm": "smallint", "seconds": "double"}
SET_COLUMNS = {
    "rn": "integer", "set_index": "integer", "category": "varchar", "name": "varchar", "reps": "integer",
    "weight_kg": "double", "duration_s": "double",
}  # fmt: skip


def frame_table(
    con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], rows: list[tuple]
) -> None:
    """Temp table `name` with `columns` holding `rows`: DuckDB scans a dict of numpy columns in one
    go (executemany pays per row; pandas, used before, cost ~0.6 s of start-up to import)."""
    cells = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    frame = {c: np.array(v, dtype=object) for c, v in zip(columns, cells, strict=True)}  # noqa: F841
    cast = ", ".join(f"cast({c} as {t}) as {c}" for c, t in columns.items())
    con.execute(f"create or replace temp table {name} as select {cast} from frame")


def attach(
    con: duckdb.DuckDBPyConnection, athlete_id: int, found: list[tuple[Decoded, Session, tuple[str, str]]]
) -> int:
    """Write the facts of each (file, session, (source, source_id)) to its activity, set-based;
    returns how many activities got new samples."""
    if not found:
        return 0
    att, hr, sets = [], [], []
    for rn, (d, s, (source, source_id)) in enumerate(found):
        hr_s = float(sum(s.facts.hr_seconds.values()))
        att.append(
            (
                rn,
                source,
                source_id,
                s.start_at,
                d.item.shown,
                d.item.kind,
                s.lat,
                s.lon,
                s.timezone,
                s.facts.structure,
                s.rpe,
                hr_s,
                s.facts.spikes,
                s.facts.clock_jumps,
                hr_s + SET_WEIGHT_S * len(s.sets),
            )
        )
        hr += [(rn, bpm, sec) for bpm, sec in s.facts.hr_seconds.items()]
        sets += [(rn, i, x.category, x.name, x.reps, x.weight_kg, x.duration_s) for i, x in enumerate(s.sets)]
    # Through DataFrames: DuckDB reads one in a single scan, where executemany pays per row.
    frame_table(con, "_att", ATT_COLUMNS, att)
    frame_table(con, "_att_hr", HR_COLUMNS, hr)
    frame_table(con, "_att_sets", SET_COLUMNS, sets)
    con.execute(
        f"""create or replace temp table _att_target as
            with own as (
                select t.rn, coalesce(a.twin_of, a.activity_id) as activity_id
                from _att t join activities a
                  on a.athlete_id = $athlete and a.source = t.source and a.source_id = t.source_id
            ),
            -- not stored because another source holds the session: the nearest start within the rule
            other as (
                select t.rn, a.activity_id
                from _att t join activities a
                  on a.athlete_id = $athlete and a.twin_of is null and a.has_time
                 and abs(epoch(a.start_at) - epoch(t.start_at)) <= {SAME_START_S}
                where t.rn not in (select rn from own)
                qualify row_number() over (
                    partition by t.rn order by abs(epoch(a.start_at) - epoch(t.start_at)), a.activity_id) = 1
            ),
            targets as (select * from own union all select * from other),
            -- the richest file per activity, among this batch's and the one already attached; on a tie
            -- the file read now, so importing it again brings today's rules (structure, moving time)
            candidates as (
                select g.activity_id, t.rn, t.richness from targets g join _att t using (rn)
                union all
                select f.activity_id, null, f.hr_s + {SET_WEIGHT_S} * (
                    select count(*) from activity_sets s where s.activity_id = f.activity_id)
                from activity_files f where f.activity_id in (select activity_id from targets)
            )
            select activity_id, rn from candidates
            qualify row_number() over (
                partition by activity_id order by richness desc, rn nulls last) = 1""",
        {"athlete": athlete_id},
    )
    con.execute("delete from _att_target where rn is null")  # the stored file stays: it is richer
    for table in ("activity_files", "activity_hr_seconds", "activity_sets"):
        con.execute(f"delete from {table} where activity_id in (select activity_id from _att_target)")
    con.execute(
        """insert into activity_files
           select g.activity_id, t.file, t.format, t.start_lat, t.start_lon, t.start_timezone,
                  -- pace structure is a run's: a ride's or walk's stops and surges say nothing of it
                  case when a.category = 'run' then t.structure end,
                  t.rpe, t.hr_s, t.hr_spikes, t.clock_jumps
           from _att_target g join _att t using (rn) join activities a using (activity_id)"""
    )
    con.execute(
        """insert into activity_hr_seconds
           select g.activity_id, h.bpm, h.seconds from _att_target g join _att_hr h using (rn)"""
    )
    con.execute(
        """insert into activity_sets
           select g.activity_id, s.set_index, s.category, s.name, s.reps, s.weight_kg, s.duration_s
           from _att_target g join _att_sets s using (rn)"""
    )
    # The zone the activity's local time was taken in, where its file's GPS told it.
    con.execute(
        """update activities set start_timezone = t.start_timezone
           from _att_target g join _att t using (rn)
           where activities.activity_id = g.activity_id and t.start_timezone is not null"""
    )
    attached = con.execute("select count(*) from _att_target").fetchone()[0]
    if attached:
        versions.touch(con, f"select {int(athlete_id)} as athlete_id")
    for table in ("_att", "_att_hr", "_att_sets", "_att_target"):
        con.execute(f"drop table if exists {table}")
    return attached
