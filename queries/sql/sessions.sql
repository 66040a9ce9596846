-- Sessions for the calendar. Grain: one row per activity of q_session_load in [$start, $end].
-- Parameters: $start, $end (local dates, inclusive). Relations: q_session_load.
select
    activity_id,
    day,
    start_local,
    category,
    sport_type,
    name,
    minutes,
    distance_km,
    load
from q_session_load
where day between cast($start as date) and cast($end as date)
