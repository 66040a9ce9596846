-- Stored activities of one athlete, as `crosstrain activities list` shows them.
-- Grain: one row per stored activity of athlete $athlete_id with local day in [$from, $to] (and
-- category $category unless it is null), second recordings (twin_of) and excluded activities included.
-- Parameters: $athlete_id, $from, $to (local dates, inclusive), $category (varchar or null).
-- Relations: activities, athletes, q_session_load (session_load.sql: the load the report uses; rows
-- that count in no metric, second recordings and excluded ones, have none there, so their load is null).
-- minutes as session_load.sql counts them (session_intensity.sql's definition); rows it does not count
-- (second recordings, excluded) show moving time, else elapsed time. rpe: the RPE that set the
-- load, whatever its source (the row's, a correction's, the watch's: session_load.sql), else the row's.
-- excluded_reason: why crosstrain excluded it (ingest/database/plausibility.py EXCLUSIONS), else null.
select
    a.activity_id as id,
    t.name as athlete,
    a.start_local,
    a.has_time,
    a.sport_type as type,
    a.category,
    a.name,
    coalesce(l.minutes, coalesce(nullif(a.moving_s, 0), a.elapsed_s, 0) / 60.0) as minutes,
    a.distance_m / 1000.0 as distance_km,
    coalesce(l.rpe, a.rpe) as rpe,
    a.avg_hr,
    l.load,
    a.source,
    a.twin_of,
    a.excluded,
    a.excluded_reason
from activities a
join athletes t on t.athlete_id = a.athlete_id
left join q_session_load l on l.activity_id = a.activity_id
where a.athlete_id = $athlete_id
  and a.start_local >= cast($from as date) and a.start_local < cast($to as date) + 1
  and ($category is null or a.category = $category)
order by a.start_local, a.activity_id
