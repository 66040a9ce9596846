-- What activity files tell about each activity, for `activities list`. Grain: one row per activity of
-- the athletes in q_scope. Parameters: none.
-- Relations: activities, activity_files, activity_sets, q_scope, q_session_load (load_source),
--   q_hr_zones_time (hr_zones.sql: seconds per activity and zone), q_hr_zones (the five zones).
-- timezone: IANA zone of the activity's local time where a file's GPS told it; zones_s: seconds in each
-- of the five HR zones (null without heart-rate samples); structure: the pace structure (null without
-- pace samples); exercises: the strength sets in order (an empty list without set data).
-- For the CLI's listing only (DuckDB lists and structs), not one of the analytics run on Spark.
with zones as (
    select a.activity_id, list(coalesce(t.seconds, 0) order by z.zone) as zones_s
    from (select distinct activity_id from q_hr_zones_time) a
    cross join q_hr_zones z
    left join q_hr_zones_time t on t.activity_id = a.activity_id and t.zone = z.zone
    group by a.activity_id
),

exercises as (
    select
        s.activity_id,
        list({'category': s.category, 'name': s.name, 'reps': s.reps, 'weight_kg': s.weight_kg}
             order by s.set_index) as exercises
    from activity_sets s
    group by s.activity_id
)

select
    a.activity_id,
    a.start_timezone as timezone,
    l.load_source,
    z.zones_s,
    f.structure,
    coalesce(e.exercises, []) as exercises
from activities a
join q_scope q on q.athlete_id = a.athlete_id
left join q_session_load l on l.activity_id = a.activity_id
left join activity_files f on f.activity_id = a.activity_id
left join zones z on z.activity_id = a.activity_id
left join exercises e on e.activity_id = a.activity_id
