"""Double recordings: the same session stored twice, linked so that it counts once.

A phone app and a watch both uploaded to Strava, or a watch synced to both Garmin Connect and Strava,
give two rows for one session. Both are kept (neither source is wrong, and a later re-import must
find its row), and the one that does not count carries `twin_of` = the activity_id of the one that
does; the analytics read only rows with `twin_of` null (migration 003).

Two stored activities are recordings of one session when they belong to the same athlete and
category, neither is excluded by the user, and
- they carry the same Strava id; or
- both have a time of day and their intervals (start + elapsed time, else moving time) overlap by at
  least TWIN_OVERLAP of the shorter one, on the UTC or on the local clock (a source placed in a wrong
  time zone still matches on its wall clock; two Strava rows match on UTC only); without a duration,
  their starts are within SAME_START_S;
- or one has only a date: the same local day, from different sources, durations within
  DATE_ONLY_DURATION (two rows of one training log on one day are two sessions, not one twice).

The row that counts is the richest of each group, decided by, in order: it has an RPE (session RPE
is the load's first choice), it has heart rate, it has a time of day, more minutes, then the earliest
stored (lowest activity_id). The same rows always give the same choice, so re-imports keep it.
"""

from __future__ import annotations

import duckdb

# Overlap of two recordings, as a share of the shorter one, that makes them one session
# (crosstrain's convention, the rule of issue 9: a phone and a watch started 31-50 s apart overlap
# by more than 98% over a 45-minute run; two sessions of one day do not overlap at all).
TWIN_OVERLAP = 0.8
# Recordings without a duration: starts this close are one session (crosstrain's convention).
SAME_START_S = 120
# Date-only rows from different sources: durations within this share are one session (convention).
DATE_ONLY_DURATION = 0.05

# Two Strava rows carry UTC instants from one clock (the export's dates, the API's start_date): their
# wall clocks can differ only because a file-less row sits in another zone than a row whose GPS gave
# one, so the local-clock match is for pairs from different sources (or sources that record local time).
_WALL_CLOCK = "(x.source <> y.source or x.source <> 'strava')"

_CONDITION = f"""
    (x.strava_id = y.strava_id)
    or (x.has_time and y.has_time
        and case when x.span_s > 0 and y.span_s > 0
                 then greatest(least(x.at_s + x.span_s, y.at_s + y.span_s) - greatest(x.at_s, y.at_s),
                               case when {_WALL_CLOCK} then least(x.local_s + x.span_s, y.local_s + y.span_s)
                                                            - greatest(x.local_s, y.local_s) end)
                      >= {TWIN_OVERLAP} * least(x.span_s, y.span_s)
                 else least(abs(x.at_s - y.at_s),
                            case when {_WALL_CLOCK} then abs(x.local_s - y.local_s) end)
                      <= {SAME_START_S} end)
    or ((not x.has_time or not y.has_time) and x.source <> y.source and x.day = y.day
        and abs(x.dur_s - y.dur_s) <= {DATE_ONLY_DURATION} * greatest(x.dur_s, y.dur_s))"""


def link(con: duckdb.DuckDBPyConnection, days: str | None, touched: str | None = None) -> int:
    """Recompute `twin_of` for every activity on the (athlete_id, day) pairs of query `days` (None: every
    stored activity), one day either side (a session near midnight, or in a mistaken zone, may sit on
    the next local day).

    Runs inside the caller's transaction. Returns the number of second recordings that involve a row
    of query `touched` (activity_id), or all second recordings on those days when `touched` is None.
    Set-based: a self-join of the candidates on (athlete, category, day); the ranking and the writes
    only touch the rows that have a twin.
    """
    scope = "activities a"
    if days is not None:
        scope = f"""activities a
            join (select distinct t.athlete_id, cast(t.day as date) + s.d as day
                  from ({days}) t, (values (-1), (0), (1)) s(d)) d
              on d.athlete_id = a.athlete_id and d.day = cast(a.start_local as date)"""
    con.execute(
        f"""create or replace temp table _twin_cand as
            select a.activity_id, a.athlete_id, a.category, a.source, a.strava_id, a.has_time, a.excluded,
                   a.twin_of, cast(a.start_local as date) as day,
                   epoch(a.start_at) as at_s, epoch(a.start_local) as local_s,
                   coalesce(nullif(a.elapsed_s, 0), a.moving_s, 0) as span_s,
                   coalesce(a.moving_s, a.elapsed_s, 0) as dur_s
            from {scope}"""
    )
    # Each unordered pair once (x before y on the same day, or y on the next day), then both ways.
    # A pair on consecutive local days overlaps only if the first runs past midnight, unless two
    # sources placed the session in different zones: the next-day join reads only such rows.
    # `live` is a filter over `_twin_cand`, read where it is used rather than copied (not materialized).
    con.execute(
        f"""create or replace temp table _twin_pairs as
            with live as not materialized (select * from _twin_cand where not excluded),
            mixed as (select athlete_id from live group by athlete_id having count(distinct source) > 1),
            late as (
                select * from live
                where local_s + span_s > epoch(day + 1) or athlete_id in (select athlete_id from mixed)
            ),
            one_way as (
                select x.activity_id as x, y.activity_id as y
                from live x join live y
                  on y.athlete_id = x.athlete_id and y.category = x.category and y.day = x.day
                where x.activity_id < y.activity_id and ({_CONDITION})
                union all
                select x.activity_id, y.activity_id
                from late x join live y
                  on y.athlete_id = x.athlete_id and y.category = x.category and y.day = x.day + 1
                where {_CONDITION}
            )
            select x, y from one_way union all select y, x from one_way"""
    )
    con.execute(
        """create or replace temp table _twin_links as
           with ranked as (
               select activity_id,
                      {'no_rpe': rpe is null, 'no_hr': not coalesce(avg_hr > 0, false),
                       'no_time': not has_time, 'less_minutes': -coalesce(nullif(moving_s, 0), elapsed_s, 0),
                       'id': activity_id} as rank
               from activities where activity_id in (select x from _twin_pairs)
           ),
           best as (
               select p.x, min(r.rank) as best_rank
               from _twin_pairs p join ranked r on r.activity_id = p.y group by p.x
           ),
           direct as (
               select r.activity_id, case when b.best_rank < r.rank then b.best_rank.id end as twin_of
               from ranked r join best b on b.x = r.activity_id
           )
           -- a row whose best twin is itself a second recording points at the row that counts
           select d.activity_id, coalesce(d2.twin_of, d.twin_of) as twin_of
           from direct d left join direct d2 on d2.activity_id = d.twin_of"""
    )
    con.execute(
        """update activities set twin_of = n.twin_of
           from (select c.activity_id, l.twin_of
                 from _twin_cand c left join _twin_links l on l.activity_id = c.activity_id
                 where c.twin_of is not null or l.activity_id is not null) n
           where activities.activity_id = n.activity_id and activities.twin_of is distinct from n.twin_of"""
    )
    found_sql = "select count(*) from _twin_links where twin_of is not null"
    if touched is not None and con.execute(found_sql).fetchone()[0]:
        found_sql = f"""with t as ({touched})
            {found_sql} and (activity_id in (select * from t) or twin_of in (select * from t))"""
    found = con.execute(found_sql).fetchone()[0]
    for table in ("_twin_cand", "_twin_pairs", "_twin_links"):
        con.execute(f"drop table if exists {table}")
    return found


def relink_orphans(con: duckdb.DuckDBPyConnection) -> int:
    """After activities were deleted (a full Strava sync): re-link the days of rows whose `twin_of`
    points at a deleted activity, so that one of them counts again. Returns the links left there."""
    return link(
        con,
        """select athlete_id, cast(start_local as date) as day from activities
           where twin_of is not null and twin_of not in (select activity_id from activities)""",
    )
