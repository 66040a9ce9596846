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
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import duckdb

RECENT_DAYS = 365
REPLACEABLE = ("machine",)  # sources a GPS zone may replace (besides no zone at all)
GPS_ZONE_TABLE = "_gps_zone"  # temp table (tz varchar): the import's GPS zone, read by `store_gps_zone`


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
    """Make `zone` the import's GPS zone for `store_gps_zone` (a temp table; none when `zone` is None)."""
    con.execute(f"create or replace temp table {GPS_ZONE_TABLE} (tz varchar)")
    if zone:
        con.execute(f"insert into {GPS_ZONE_TABLE} values (?)", [zone])


def withdraw(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the import's GPS zone."""
    con.execute(f"drop table if exists {GPS_ZONE_TABLE}")


def store_gps_zone(con: duckdb.DuckDBPyConnection, athlete_ids: str) -> None:
    """Store the offered GPS zone on the athletes of `athlete_ids` (SQL selecting athlete_id) whose
    zone is unset or this machine's. Call inside the import's transaction, before rows are placed."""
    con.execute(f"create temp table if not exists {GPS_ZONE_TABLE} (tz varchar)")
    sources = ", ".join(f"'{s}'" for s in REPLACEABLE)
    con.execute(
        f"""update athletes set timezone = z.tz, timezone_source = 'gps'
            from (select max(tz) as tz from {GPS_ZONE_TABLE}) z
            where z.tz is not null and athlete_id in ({athlete_ids})
              and (timezone is null or timezone_source in ({sources}))"""
    )


def gps_note(names: list[str], zone: str) -> str:
    """The summary's line for an athlete zone taken from GPS, saying how to change it."""
    who = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    name = names[0] if len(names) == 1 else "NAME"
    return (
        f"{zone}, from the GPS of most recent activities, stored on {who} for activities without GPS "
        f'(if that is wrong: crosstrain athletes set "{name}" --timezone ZONE, then import again; '
        f"or import with --timezone ZONE)"
    )
