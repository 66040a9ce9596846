-- The scope's counted sessions (second recordings and excluded activities left out): the day, category
-- and distance of session_load.sql's rows, without their load. Grain: one row per such activity.
-- Read by summary.sql's run level (the engine supplies it as the common table expression `counted`; on
-- the stored path the stored session rows' same columns instead, engine.STORED: the same rows).
-- Relations: activities, q_scope.
select
    a.athlete_id,
    cast(a.start_local as date) as day,
    a.category,
    coalesce(a.distance_m, 0) / 1000.0 as distance_km
from activities a
join q_scope s on s.athlete_id = a.athlete_id
where a.twin_of is null and not a.excluded
