-- Summary at $as_of. Grain: one row per athlete in q_scope.
-- Parameters: $as_of (date), $pace_outlier (fraction). Relations: athletes, q_scope, q_session_load
-- (at least the 28 days up to $as_of), q_athlete_history (athlete_history.sql up to $as_of: first_day,
-- last_support_day), q_metrics (must hold the day $as_of), q_run_keywords(keyword).
-- Windows end on $as_of: 28 days = [$as_of - 27, $as_of], 14 days = [$as_of - 13, $as_of].
-- days_since_support: days since the last strength or Pilates session (null: none ever);
-- support_gap_days: the same, or days since the first activity when there was none (how long the
-- athlete has gone without support work as far as we know). history_days: days from the first
-- activity to $as_of, both counted.
-- Run variety (Seiler 2010) over 28 days, runs of at least 0.5 km: coefficient of variation (population
-- SD / mean) of distance and of pace (s/km); quality runs = name contains a keyword (interval, sprint,
-- hill ...) or pace at least $pace_outlier faster than the 28-day mean pace.
with window_28 as (
    select
        athlete_id,
        sum(case when category = 'run' then minutes else 0 end) as run_minutes,
        sum(case when category = 'strength' then minutes else 0 end) as strength_minutes,
        sum(case when category = 'pilates' then minutes else 0 end) as pilates_minutes,
        sum(case when category = 'mobility' then minutes else 0 end) as mobility_minutes,
        sum(case when category = 'cross' then minutes else 0 end) as cross_minutes,
        sum(case when category = 'other' then minutes else 0 end) as other_minutes,
        sum(case when category = 'run' then 1 else 0 end) as run_sessions,
        sum(case when category = 'strength' then 1 else 0 end) as strength_sessions,
        sum(case when category = 'pilates' then 1 else 0 end) as pilates_sessions,
        sum(case when category = 'mobility' then 1 else 0 end) as mobility_sessions,
        sum(case when category = 'cross' then 1 else 0 end) as cross_sessions,
        sum(case when category = 'other' then 1 else 0 end) as other_sessions,
        sum(case when category = 'run' then distance_km else 0 end) as run_km,
        sum(case when category = 'run' and day >= cast($as_of as date) - 13 then 1 else 0 end) as runs_14d
    from q_session_load
    where day between cast($as_of as date) - 27 and cast($as_of as date)
    group by athlete_id
),

recent_runs as (
    select athlete_id, activity_id, name, distance_km, minutes * 60.0 / distance_km as pace_s_per_km
    from q_session_load
    where
        category = 'run' and distance_km >= 0.5 and minutes > 0
        and day between cast($as_of as date) - 27 and cast($as_of as date)
),

named_quality as (
    select distinct r.activity_id
    from recent_runs r
    join q_run_keywords k on lower(coalesce(r.name, '')) like '%' || k.keyword || '%'
),

mean_pace as (
    select athlete_id, avg(pace_s_per_km) as mean_pace
    from recent_runs
    group by athlete_id
),

runs as (
    select
        r.athlete_id,
        r.distance_km,
        r.pace_s_per_km,
        m.mean_pace,
        case when q.activity_id is not null then 1 else 0 end as named_quality
    from recent_runs r
    join mean_pace m on m.athlete_id = r.athlete_id
    left join named_quality q on q.activity_id = r.activity_id
),

variety as (
    select
        athlete_id,
        count(*) as runs_measured,
        case when avg(distance_km) > 0 then stddev_pop(distance_km) / avg(distance_km) end as cv_distance,
        case when avg(pace_s_per_km) > 0 then stddev_pop(pace_s_per_km) / avg(pace_s_per_km) end as cv_pace,
        sum(named_quality) as named_quality_runs,
        sum(case when pace_s_per_km <= mean_pace * (1 - $pace_outlier) then 1 else 0 end) as fast_runs
    from runs
    group by athlete_id
)

select
    sc.athlete_id,
    a.name as athlete,
    coalesce(w.run_minutes, 0) as run_minutes,
    coalesce(w.strength_minutes, 0) as strength_minutes,
    coalesce(w.pilates_minutes, 0) as pilates_minutes,
    coalesce(w.mobility_minutes, 0) as mobility_minutes,
    coalesce(w.cross_minutes, 0) as cross_minutes,
    coalesce(w.other_minutes, 0) as other_minutes,
    coalesce(w.run_sessions, 0) as run_sessions,
    coalesce(w.strength_sessions, 0) as strength_sessions,
    coalesce(w.pilates_sessions, 0) as pilates_sessions,
    coalesce(w.mobility_sessions, 0) as mobility_sessions,
    coalesce(w.cross_sessions, 0) as cross_sessions,
    coalesce(w.other_sessions, 0) as other_sessions,
    coalesce(w.run_km, 0) as run_km,
    coalesce(w.runs_14d, 0) as runs_14d,
    coalesce(m.support_share, 0) as support_share,
    (coalesce(w.strength_sessions, 0) + coalesce(w.pilates_sessions, 0)) / 4.0 as strength_sessions_per_week,
    date_diff('day', h.last_support_day, cast($as_of as date)) as days_since_support,
    date_diff('day', coalesce(h.last_support_day, h.first_day), cast($as_of as date)) as support_gap_days,
    coalesce(date_diff('day', h.first_day, cast($as_of as date)) + 1, 0) as history_days,
    coalesce(m.monotony, 0) as monotony,
    coalesce(m.strain, 0) as strain,
    m.acwr,
    coalesce(m.load_7d, 0) as load_7d,
    coalesce(m.load_28d, 0) as load_28d,
    coalesce(m.fitness, 0) as fitness,
    coalesce(m.fatigue, 0) as fatigue,
    coalesce(m.form, 0) as form,
    coalesce(m.run_km_7d, 0) as run_km_7d,
    coalesce(m.run_km_prev_7d, 0) as run_km_prev_7d,
    coalesce(m.run_km_prev2_7d, 0) as run_km_prev2_7d,
    coalesce(v.runs_measured, 0) as runs_measured,
    v.cv_distance,
    v.cv_pace,
    coalesce(v.named_quality_runs, 0) as named_quality_runs,
    coalesce(v.fast_runs, 0) as fast_runs
from q_scope sc
join athletes a on a.athlete_id = sc.athlete_id
left join q_metrics m on m.athlete_id = sc.athlete_id and m.day = cast($as_of as date)
left join window_28 w on w.athlete_id = sc.athlete_id
left join q_athlete_history h on h.athlete_id = sc.athlete_id
left join variety v on v.athlete_id = sc.athlete_id
