"""An athlete's time zone from the GPS of their activity files, when nothing better is known.

Issue 9's order for local days: the activity's own zone (Strava's API, a file's GPS start), then
`--timezone`, then the zone stored on the athlete, then this machine's. Activities without a file
(manual entries, an old export's rows whose file is missing) use the athlete's zone; when that zone
is unset or only this machine's (`timezone_source = 'machine'`) and the import's files say where the
athlete lives, the GPS zone is stored instead (source 'gps'). A zone the user gave (`--timezone`:
'option'; `athletes set`: 'set') or Strava's is never replaced.

Rule (crosstrain's convention): among the import's GPS activities of the RECENT_DAYS up to its latest
one, the zone most of them started in; a tie goes to the zone of the latest of the tied ones. Someone
who moved from Cairo to Vienna a year ago gets Vienna, not the zone of most of their history.

Before the athlete's zone, a row of a Strava export without a file takes the zone of the export's GPS
activity nearest to it in time when one started within NEAR_DAYS (crosstrain's convention): a gym
session typed in by hand was logged where that week's runs were, so the Cairo years of someone now in
Vienna keep Cairo's clock. Not when the athlete's zone is one the user gave or Strava's.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import duckdb

RECENT_DAYS = 365
REPLACEABLE = ("machine",)  # sources a GPS zone may replace (besides no zone at all)
NEAR_DAYS = 7  # a row without a file takes the zone of a GPS activity at most this far from it
GPS_ZONE_TABLE = "_gps_zone"  # temp table (tz varchar): the zone `offer` leaves for `offered`


def gps_zone(starts: list[tuple[datetime, str]]) -> str | None:
    """The zone of most of the recent GPS activities, from (UTC start, IANA zone) pairs; None without any."""
    if not starts:
        return None
    latest = max(t for t, _ in starts)
    recent = [(t, z) for t, z in starts if t >= latest - timedelta(days=RECENT_DAYS)]
    counts = Counter(z for _, z in recent)
    top = max(counts.values())
    tied = {z for z, n in counts.items() if n == top}
    return max((t, z) for t, z in recent if z in tied)[1]


def offer(con: duckdb.DuckDBPyConnection, zone: str | None) -> None:
    """Offer `zone` to the CSV import that follows (a Strava export's activities.csv, whose staging
    calls `offered`): a temp table, none when `zone` is None."""
    con.execute(f"create or replace temp table {GPS_ZONE_TABLE} (tz varchar)")
    if zone:
        con.execute(f"insert into {GPS_ZONE_TABLE} values (?)", [zone])


def withdraw(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the offered zone."""
    con.execute(f"drop table if exists {GPS_ZONE_TABLE}")


def offered(con: duckdb.DuckDBPyConnection) -> str | None:
    """The zone `offer` left for this import, if any."""
    found = con.execute(
        "select count(*) from duckdb_tables() where table_name = ? and temporary", [GPS_ZONE_TABLE]
    ).fetchone()[0]
    return con.execute(f"select max(tz) from {GPS_ZONE_TABLE}").fetchone()[0] if found else None


def store_gps_zone(con: duckdb.DuckDBPyConnection, athlete_ids: str, zone: str | None) -> None:
    """Store `zone` (None: nothing) on the athletes of `athlete_ids` (SQL selecting athlete_id) whose
    zone is unset or this machine's. Call inside the import's transaction, before rows are placed."""
    if not zone:
        return
    sources = ", ".join(f"'{s}'" for s in REPLACEABLE)
    con.execute(
        f"""update athletes set timezone = ?, timezone_source = 'gps'
            where athlete_id in ({athlete_ids}) and (timezone is null or timezone_source in ({sources}))""",
        [zone],
    )


def near_zones(con: duckdb.DuckDBPyConnection, athlete: str | None) -> int:
    """Add to `_row_zones` (source_id, tz, moving_s: the export's rows with a GPS file) the rows of
    `_parsed` without one that have a GPS activity of the same athlete within NEAR_DAYS, with that
    activity's zone (the nearer of the one before and the one after); return how many.
    `_file_athletes` maps the file's athlete names to ids; `athlete` is the --athlete name."""
    sources = ", ".join(f"'{s}'" for s in REPLACEABLE + ("gps",))
    con.execute(
        f"""create or replace temp table _near_zones as
            with timed as (
                select p.source_id::varchar as source_id, p.utc_at::timestamp as t, f.athlete_id, z.tz
                from _parsed p
                join _file_athletes f on f.name = coalesce(p.athlete, ?)
                join athletes a on a.athlete_id = f.athlete_id
                left join _row_zones z on z.source_id = p.source_id::varchar
                where p.reject_reason is null and p.utc_at is not null and p.source_id is not null
                  and (a.timezone_source is null or a.timezone_source in ({sources}))
            ),
            gps as (select athlete_id, t, tz from timed where tz is not null),
            bare as (select source_id, athlete_id, t from timed where tz is null),
            near as (
                select b.source_id, b.t - g.t as gap, g.tz
                from bare b asof join gps g on b.athlete_id = g.athlete_id and b.t >= g.t
                union all
                select b.source_id, g.t - b.t as gap, g.tz
                from bare b asof join gps g on b.athlete_id = g.athlete_id and b.t <= g.t
            )
            select source_id, arg_min(tz, gap) as tz from near
            where gap <= to_days({NEAR_DAYS}) group by source_id""",
        [athlete],
    )
    found = con.execute("select count(*) from _near_zones").fetchone()[0]
    con.execute("insert into _row_zones (source_id, tz) select source_id, tz from _near_zones")
    con.execute("drop table _near_zones")
    return found


def gps_note(names: list[str], zone: str) -> str:
    """The summary's line for an athlete zone taken from GPS, saying how to change it."""
    who = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    name = names[0] if len(names) == 1 else "NAME"
    return (
        f"{zone}, from the GPS of most recent activities, stored on {who} for activities without GPS "
        f'(if that is wrong: crosstrain athletes set "{name}" --timezone ZONE, then import again; '
        f"or import with --timezone ZONE)"
    )
