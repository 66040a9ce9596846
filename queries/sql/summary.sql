-- Summary at $as_of. Grain: one row per athlete in q_scope.
-- Parameters: $as_of (date), $pace_outlier (fraction), $inactive_days (days), $hard_run_intensity
--   (load per minute from which a rated run is hard), $acwr_thin_week_share (fraction),
--   $break_days (days). Relations: q_run_level (run_level.sql: the usual running level), athletes,
--   q_scope, q_session_load (at least the 28 days up to $as_of), q_athlete_history
--   (athlete_history.sql up to $as_of), q_metrics (scores.sql; must hold the day $as_of),
--   q_run_keywords(keyword), q_easy_keywords(keyword), q_categories(category, running, support_work,
--   heart_rate_load, catch_all), q_generic_types(type_name), activity_files, q_hr_zones_time (hr_zones.sql).
-- Windows end on $as_of: 28 days = [$as_of - 27, $as_of], 14 days = [$as_of - 13, $as_of], 7 days =
--   [$as_of - 6, $as_of].
-- days_since_support: days since the last strength or Pilates session (null: none ever);
-- support_days_28d: days of the 28 with a strength or Pilates session;
-- support_gap_days: the same, or days since the first activity when there was none (how long the
-- athlete has gone without support work as far as we know). history_days: days from the first
-- activity to $as_of, both counted (0: none yet).
-- last_activity: local day of the last activity up to $as_of (null: none yet); active: one within the
--   last $inactive_days days. break_days: days between the first session of the last 7 days and the
--   session before it (null: no session in the 7 days, or none before them).
-- unlabelled_sessions: sessions of the 28 days whose type says nothing (Workout, Training, Garmin's Gym
--   & Fitness Equipment ...: q_generic_types) and whose name matched no keyword, so they landed in the
--   catch-all category: support-work candidates.
-- Is the 28 days' load established (the ACWR's chronic load; crosstrain's convention)?
--   chronic_gap_days: the longest run of days without a session in [$as_of - 27, $as_of] before one
--   (the days before the window's first session count; the days since its last session do not: a
--   stop at the end is the acute load falling, which acwr_low may say);
--   thin_weeks: how many of the 3 weeks before the last 7 ([$as_of - 13, $as_of - 7], [- 20, - 14],
--   [- 27, - 21]) hold less than $acwr_thin_week_share of the 28 days' mean weekly load (load_28d / 4).
-- run_km_usual_7d, run_km_max_prev_7d: the mean and the largest run km of those 3 weeks;
--   run_km_week_before: the first of them ([$as_of - 13, $as_of - 7]), run_km_max_before_7d: the larger
--   of the two before it (so a jump last week can be judged as this week's is).
-- run_km_level_7d, run_km_level_before_7d: the athlete's usual running level, which a run volume jump
--   must also exceed, this week and the week before (run_level.sql); 0 when fewer than two weeks hold runs.
-- Run intensity, from runs whose load came from an RPE or heart rate (load_source rpe, hr_samples,
--   hr_avg: the load per minute is then on the CR-10 scale): runs_rated, hard_runs (load per minute >=
--   $hard_run_intensity); easy_runs_rated, easy_runs_hard: the same for runs whose name holds a word of
--   q_easy_keywords (meant easy), or a planned run the plan names easy (activity_files structure `easy`,
--   only plan check's: queries/plan_sql/plan_files.sql), which never counts as hard (the plan's word).
-- hr_low_min, hr_moderate_min, hr_high_min: minutes of heart-rate samples of the 28 days in Seiler's
--   three intensity zones (q_hr_zones_time), for the categories whose load may come from heart rate
--   (running and cross-training: endurance work).
-- Run variety (crosstrain's heuristics) over 28 days, runs of at least 0.5 km: coefficient of
-- variation (population SD / mean) of distance and of pace (s/km); quality runs = name contains a
-- keyword (interval, sprint, hill ...), or its activity file's pace samples show intervals, hills or
-- strides (activity_files; `quality` is what queries/plan.py gives a planned tempo, threshold, race or
-- mixed run),
-- or pace at least $pace_outlier faster than the 28-day mean pace.
with sessions as (
    -- the 28 days' sessions, each with what it counts as (one scan of q_session_load, one join each)
    select
        l.athlete_id,
        l.activity_id,
        l.name,
        l.day,
        l.distance_km,
        l.minutes,
        l.load,
        coalesce(c.running, false) as running,
        coalesce(c.support_work, false) as support_work,
        coalesce(c.catch_all and g.type_name is not null, false) as unlabelled,
        coalesce(
            c.running and l.load_source in ('rpe', 'hr_samples', 'hr_avg') and l.minutes > 0, false
        ) as rated,
        coalesce(c.running and l.distance_km >= 0.5 and l.minutes > 0, false) as measured,
        case when c.running and l.distance_km >= 0.5 and l.minutes > 0 then l.minutes * 60.0 / l.distance_km end
            as pace_s_per_km
    from q_session_load l
    left join q_categories c on c.category = l.category
    left join q_generic_types g on g.type_name = lower(trim(l.sport_type))
    where l.day between cast($as_of as date) - 27 and cast($as_of as date)
),

-- Each distinct name is matched against the keywords once, not each session (a squad's sessions share
-- few names: the pattern joins over every session were a fifth of this query for 1,000 athletes).
names as (
    select distinct lower(coalesce(name, '')) as lname
    from sessions
),

easy_names as (
    select distinct n.lname
    from names n
    join q_easy_keywords k on n.lname like '%' || k.keyword || '%'
),

quality_names as (
    select distinct n.lname
    from names n
    join q_run_keywords k on n.lname like '%' || k.keyword || '%'
),

meant_easy as (
    select distinct s.activity_id
    from sessions s
    join easy_names e on e.lname = lower(coalesce(s.name, ''))
),

planned_easy as (
    -- plan check: a planned run the plan names easy (queries/plan_sql/plan_files.sql); none on done data
    select distinct s.activity_id
    from sessions s
    join activity_files f on f.activity_id = s.activity_id
    where s.rated and f.structure = 'easy'
),

named_quality as (
    select distinct s.activity_id
    from sessions s
    join quality_names q on q.lname = lower(coalesce(s.name, ''))
    where s.measured
    union
    -- activity files (issue 12): intervals, hills or strides recognised from the pace samples
    select s.activity_id
    from sessions s
    join activity_files f on f.activity_id = s.activity_id
    where s.measured and f.structure in ('intervals', 'hills', 'strides', 'quality')
),

gaps as (
    -- days without a session before each day with one (the days before the window's first count)
    select
        athlete_id,
        date_diff(
            'day', coalesce(lag(day) over (partition by athlete_id order by day), cast($as_of as date) - 28), day
        ) - 1 as gap_before
    from (select distinct athlete_id, day from sessions) as d
),

longest_gap as (
    select athlete_id, max(gap_before) as chronic_gap_days
    from gaps
    group by athlete_id
),

mean_pace as (
    select athlete_id, avg(pace_s_per_km) as mean_pace
    from sessions
    group by athlete_id
),

runs as (
    select
        s.*,
        m.mean_pace,
        g.chronic_gap_days,
        e.activity_id is not null or pe.activity_id is not null as easy,
        pe.activity_id is not null as planned_easy,
        q.activity_id is not null as quality
    from sessions s
    join mean_pace m on m.athlete_id = s.athlete_id
    join longest_gap g on g.athlete_id = s.athlete_id
    left join meant_easy e on e.activity_id = s.activity_id
    left join planned_easy pe on pe.activity_id = s.activity_id
    left join named_quality q on q.activity_id = s.activity_id
),

window_28 as (
    select
        athlete_id,
        sum(case when running then 1 else 0 end) as run_sessions,
        sum(case when support_work then 1 else 0 end) as support_sessions,
        count(distinct case when support_work then day end) as support_days,
        sum(case when running then distance_km else 0 end) as run_km,
        sum(case when running and day >= cast($as_of as date) - 13 then 1 else 0 end) as runs_14d,
        min(case when day >= cast($as_of as date) - 6 then day end) as first_day_7d,
        sum(case when day >= cast($as_of as date) - 6 then 1 else 0 end) as sessions_7d,
        sum(case when unlabelled then 1 else 0 end) as unlabelled_sessions,
        sum(
            case when running and day between cast($as_of as date) - 13 and cast($as_of as date) - 7
                then distance_km else 0 end
        ) as run_km_w1,
        sum(
            case when running and day between cast($as_of as date) - 20 and cast($as_of as date) - 14
                then distance_km else 0 end
        ) as run_km_w2,
        sum(
            case when running and day between cast($as_of as date) - 27 and cast($as_of as date) - 21
                then distance_km else 0 end
        ) as run_km_w3,
        sum(case when day between cast($as_of as date) - 13 and cast($as_of as date) - 7 then load else 0 end)
            as load_w1,
        sum(case when day between cast($as_of as date) - 20 and cast($as_of as date) - 14 then load else 0 end)
            as load_w2,
        sum(case when day between cast($as_of as date) - 27 and cast($as_of as date) - 21 then load else 0 end)
            as load_w3,
        max(chronic_gap_days) as chronic_gap_days,
        sum(case when rated then 1 else 0 end) as runs_rated,
        -- (load per minute only where minutes > 0: `rated`)
        sum(
            case
                when rated and not planned_easy
                    then case when load / minutes >= $hard_run_intensity then 1 else 0 end
                else 0
            end
        ) as hard_runs,
        sum(case when rated and easy then 1 else 0 end) as easy_runs_rated,
        sum(
            case
                when rated and easy and not planned_easy
                    then case when load / minutes >= $hard_run_intensity then 1 else 0 end
                else 0
            end
        ) as easy_runs_hard,
        sum(case when measured then 1 else 0 end) as runs_measured,
        case
            when avg(case when measured then distance_km end) > 0
                then stddev_pop(case when measured then distance_km end)
                / avg(case when measured then distance_km end)
        end as cv_distance,
        case
            when avg(pace_s_per_km) > 0 then stddev_pop(pace_s_per_km) / avg(pace_s_per_km)
        end as cv_pace,
        sum(case when measured and quality then 1 else 0 end) as named_quality_runs,
        sum(case when measured and pace_s_per_km <= mean_pace * (1 - $pace_outlier) then 1 else 0 end)
            as fast_runs
    from runs
    group by athlete_id
),

hr_time as (
    select
        z.athlete_id,
        sum(case when z.intensity = 'low' then z.seconds else 0 end) / 60.0 as hr_low_min,
        sum(case when z.intensity = 'moderate' then z.seconds else 0 end) / 60.0 as hr_moderate_min,
        sum(case when z.intensity = 'high' then z.seconds else 0 end) / 60.0 as hr_high_min
    from q_hr_zones_time z
    join q_categories c on c.category = z.category
    where c.heart_rate_load and z.day between cast($as_of as date) - 27 and cast($as_of as date)
    group by z.athlete_id
)

select
    sc.athlete_id,
    a.name as athlete,
    coalesce(w.run_sessions, 0) as run_sessions,
    coalesce(w.run_km, 0) as run_km,
    coalesce(w.runs_14d, 0) as runs_14d,
    coalesce(w.unlabelled_sessions, 0) as unlabelled_sessions,
    coalesce(w.sessions_7d, 0) as sessions_7d,
    coalesce(m.minutes_28d, 0) as minutes_28d,
    coalesce(m.support_share, 0) as support_share,
    coalesce(m.run_share, 0) as run_share,
    coalesce(w.support_sessions, 0) / 4.0 as strength_sessions_per_week,
    coalesce(w.support_days, 0) as support_days_28d,
    date_diff('day', h.last_support_day, cast($as_of as date)) as days_since_support,
    date_diff('day', coalesce(h.last_support_day, h.first_day), cast($as_of as date)) as support_gap_days,
    coalesce(date_diff('day', h.first_day, cast($as_of as date)) + 1, 0) as history_days,
    h.first_day,
    h.last_day as last_activity,
    coalesce(h.last_day > cast($as_of as date) - cast($inactive_days as integer), false) as active,
    case
        when w.first_day_7d is not null and h.last_day_before_week is not null
            then date_diff('day', h.last_day_before_week, w.first_day_7d)
    end as break_days,
    coalesce(m.active_days_28d, 0) as active_days_28d,
    coalesce(m.monotony, 0) as monotony,
    coalesce(m.strain, 0) as strain,
    m.acwr,
    coalesce(m.load_7d, 0) as load_7d,
    coalesce(m.load_28d, 0) as load_28d,
    coalesce(m.acute, 0) as acute_load,
    coalesce(m.chronic, 0) as chronic_load,
    coalesce(m.fitness, 0) as fitness,
    coalesce(m.fatigue, 0) as fatigue,
    coalesce(m.form, 0) as form,
    coalesce(m.run_km_7d, 0) as run_km_7d,
    coalesce(m.run_km_prev_7d, 0) as run_km_prev_7d,
    coalesce(m.run_km_prev2_7d, 0) as run_km_prev2_7d,
    coalesce((w.run_km_w1 + w.run_km_w2 + w.run_km_w3) / 3.0, 0) as run_km_usual_7d,
    coalesce(greatest(w.run_km_w1, w.run_km_w2, w.run_km_w3), 0) as run_km_max_prev_7d,
    coalesce(w.run_km_w1, 0) as run_km_week_before,
    coalesce(greatest(w.run_km_w2, w.run_km_w3), 0) as run_km_max_before_7d,
    coalesce(rl.run_km_level_7d, 0) as run_km_level_7d,
    coalesce(rl.run_km_level_before_7d, 0) as run_km_level_before_7d,
    coalesce(w.chronic_gap_days, 28) as chronic_gap_days,
    (case when w.load_w1 < $acwr_thin_week_share * coalesce(m.load_28d, 0) / 4.0 then 1 else 0 end)
    + (case when w.load_w2 < $acwr_thin_week_share * coalesce(m.load_28d, 0) / 4.0 then 1 else 0 end)
    + (case when w.load_w3 < $acwr_thin_week_share * coalesce(m.load_28d, 0) / 4.0 then 1 else 0 end) as thin_weeks,
    coalesce(w.runs_rated, 0) as runs_rated,
    coalesce(w.hard_runs, 0) as hard_runs,
    coalesce(w.easy_runs_rated, 0) as easy_runs_rated,
    coalesce(w.easy_runs_hard, 0) as easy_runs_hard,
    coalesce(z.hr_low_min, 0) as hr_low_min,
    coalesce(z.hr_moderate_min, 0) as hr_moderate_min,
    coalesce(z.hr_high_min, 0) as hr_high_min,
    coalesce(w.runs_measured, 0) as runs_measured,
    w.cv_distance,
    w.cv_pace,
    coalesce(w.named_quality_runs, 0) as named_quality_runs,
    coalesce(w.fast_runs, 0) as fast_runs
from q_scope sc
join athletes a on a.athlete_id = sc.athlete_id
left join q_metrics m on m.athlete_id = sc.athlete_id and m.day = cast($as_of as date)
left join window_28 w on w.athlete_id = sc.athlete_id
left join q_athlete_history h on h.athlete_id = sc.athlete_id
left join hr_time z on z.athlete_id = sc.athlete_id
left join q_run_level rl on rl.athlete_id = sc.athlete_id
