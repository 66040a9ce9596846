-- The athlete's own load per minute, by category (or light activity type) and kind of session, over their done sessions of the
-- $days days up to $as_of: what a planned session of that category and kind scores per minute in
-- `plan check` (plan_sessions.sql), so that planned and done sessions are on one scale (crosstrain's
-- convention, see plan_sessions.sql). Grain: one row per (intensity_key, quality) with at least
-- $min_sessions such sessions.
-- intensity_key: the activity type's own row where the intensity table has one (walk, golf, hike:
--   q_intensity_types), else the category: what session_intensity.sql scores a session like, so a
--   planned hike is not scored as the athlete's rides.
-- Parameters: $athlete_id, $as_of (the last day of done history, inclusive), $days, $min_sessions.
-- Relations: q_session_load (session_load.sql for the athlete over at least [$as_of - $days + 1, $as_of]:
--   the report's own loads, whatever set them: RPE, heart rate or a default intensity),
--   q_run_keywords(keyword), q_intensity_types(type_name, intensity_key), activity_files (structure).
-- quality: a quality session as summary.sql counts one (a name holding a keyword of q_run_keywords, or
--   an activity file whose samples show intervals, hills or strides); plan_sessions.sql reads a planned
--   session's kind the same way (its intensity and structure, through plan_files.sql's structures).
-- rate: their load per minute, all their load over all their minutes (each session weighs by its
--   minutes, as it does in the load: the plan that repeats those sessions scores their load exactly;
--   a median of rates would score long easy sessions at the rate of short hard ones).
with done as (
    select l.activity_id, coalesce(t.intensity_key, l.category) as intensity_key, l.name, l.load, l.minutes
    from q_session_load l
    left join q_intensity_types t on t.type_name = lower(trim(l.sport_type))
    where
        l.athlete_id = $athlete_id and l.minutes > 0 and l.load > 0
        and l.day between cast($as_of as date) - cast($days as integer) + 1 and cast($as_of as date)
),

quality as (
    select d.activity_id
    from done d
    join q_run_keywords k on lower(coalesce(d.name, '')) like '%' || k.keyword || '%'
    union
    select d.activity_id
    from done d
    join activity_files f on f.activity_id = d.activity_id
    where f.structure in ('intervals', 'hills', 'strides', 'quality')
)

select
    d.intensity_key,
    q.activity_id is not null as quality,
    sum(d.load) / sum(d.minutes) as rate,
    count(*) as sessions
from done d
left join quality q on q.activity_id = d.activity_id
group by all
having count(*) >= $min_sessions
