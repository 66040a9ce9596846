-- Weekly sums of the scope's sessions. Grain: one row per athlete per ISO week (Monday) per category with
-- at least one session in [$start, $end]: minutes, sessions, distance_km (every category's) and load.
-- Read by weekly_balance.sql (which zero-fills the grid of weeks and categories; the engine supplies
-- this as its common table expression `by_week`) and by the overview's weekly frame (queries/frames.py,
-- which lays out the same grid in numpy from these non-empty cells).
-- Parameters: $start (a Monday), $end (last local day counted, inclusive). Relations: q_session_load.
select
    athlete_id,
    cast(date_trunc('week', day) as date) as week,
    category,
    sum(minutes) as minutes,
    count(*) as sessions,
    sum(distance_km) as distance_km,
    sum(load) as load
from q_session_load
where day between cast($start as date) and cast($end as date)
group by athlete_id, cast(date_trunc('week', day) as date), category
