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
  time zone still matches on its wall clock); without a duration, their starts are within SAME_START_S;
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

_CONDITION = f"""
    (x.strava_id = y.strava_id)
    or (x.has_time and y.has_time
        and case when x.span_s > 0 and y.span_s > 0
                 then greatest(least(x.at_s + x.span_s, y.at_s + y.span_s) - greatest(x.at_s, y.at_s),
                               least(x.local_s + x.span_s, y.local_s + y.span_s)
                               - greatest(x.local_s, y.local_s))
                      >= {TWIN_OVERLAP} * least(x.span_s, y.span_s)
                 else least(abs(x.at_s - y.at_s), abs(x.local_s - y.local_s)) <= {SAME_START_S} end)
    or ((not x.has_time or not y.has_time) and x.source <> y.source and x.day = y.day
        and abs(x.dur_s - y.dur_s) <= {DATE_ONLY_DURATION} * greatest(x.dur_s, y.dur_s))"""


def link(con: duckdb.DuckDBPyConnection, days: str, touched: str | None = None) -> int:
    """Recompute `twin_of` for every activity on the (athlete_id, day) pairs of query `days`, one day
    either side (a session near midnight, or in a mistaken zone, may sit on the next local day).

    Runs inside the caller's transaction. Returns the number of second recordings that involve a row
    of query `touched` (activity_id), or all second recordings on those days when `touched` is None.
    """
    con.execute(
        f"""create or replace temp table _twin_cand as
            with days as (
                select distinct t.athlete_id, cast(t.day as date) + s.d as day
                from ({days}) t, (values (-1), (0), (1)) s(d)
            )
            select a.activity_id, a.athlete_id, a.category, a.source, a.strava_id, a.has_time, a.excluded,
                   a.twin_of, cast(a.start_local as date) as day,
                   epoch(a.start_at) as at_s, epoch(a.start_local) as local_s,
                   coalesce(nullif(a.elapsed_s, 0), a.moving_s, 0) as span_s,
                   coalesce(a.moving_s, a.elapsed_s, 0) as dur_s,
                   {{'no_rpe': a.rpe is null, 'no_hr': not coalesce(a.avg_hr > 0, false),
                     'no_time': not a.has_time,
                     'less_minutes': -coalesce(nullif(a.moving_s, 0), a.elapsed_s, 0),
                     'id': a.activity_id}} as rank
            from activities a
            join days d on d.athlete_id = a.athlete_id and d.day = cast(a.start_local as date)"""
    )
    con.execute(
        f"""create or replace temp table _twin_links as
            with live as (select * from _twin_cand where not excluded),
            pairs as (
                select x.activity_id as x, y.rank as y_rank
                from live x
                join (select l.*, l.day + s.d as near_day from live l, (values (-1), (0), (1)) s(d)) y
                  on y.athlete_id = x.athlete_id and y.category = x.category and y.near_day = x.day
                where x.activity_id <> y.activity_id and ({_CONDITION})
            ),
            best as (select x, min(y_rank) as best_rank from pairs group by x),
            direct as (
                select c.activity_id, case when b.best_rank < c.rank then b.best_rank.id end as twin_of
                from _twin_cand c left join best b on b.x = c.activity_id
            )
            -- a row whose best twin is itself a second recording points at the row that counts
            select d.activity_id, coalesce(d2.twin_of, d.twin_of) as twin_of
            from direct d left join direct d2 on d2.activity_id = d.twin_of"""
    )
    con.execute(
        """update activities set twin_of = l.twin_of from _twin_links l
           where activities.activity_id = l.activity_id and activities.twin_of is distinct from l.twin_of"""
    )
    if touched is None:
        found = con.execute("select count(*) from _twin_links where twin_of is not null").fetchone()[0]
    else:
        found = con.execute(
            f"""with t as ({touched})
                select count(*) from _twin_links
                where twin_of is not null
                  and (activity_id in (select * from t) or twin_of in (select * from t))"""
        ).fetchone()[0]
    con.execute("drop table if exists _twin_cand")
    con.execute("drop table if exists _twin_links")
    return found
