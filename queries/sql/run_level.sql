-- The usual running level at $as_of (crosstrain's convention), which a run volume jump must also exceed
-- (summary.sql reads it as q_run_level). Grain: one row per athlete with runs in the weeks it reads.
-- run_km_level_7d: the second-largest run km of the $run_jump_level_weeks weeks before the last 7
--   (weeks_back 1 = [$as_of - 13, $as_of - 7] ...), so one big week cannot set it, counting only the runs
--   since the last layoff (a run-free gap of $run_jump_layoff_days+ days between two run days): a week or
--   two light, or a shorter gap, keep the level; a layoff resets it; run_km_level_before_7d: the same for
--   the week before, from the $run_jump_level_weeks weeks before it (weeks_back 2 ...). Null (summary.sql:
--   0) when fewer than two such weeks hold runs.
-- Parameters: $as_of (date), $run_jump_level_weeks (weeks), $run_jump_layoff_days (days). Relations: counted
--   (the scope's counted sessions' day, category and distance_km: counted_sessions.sql's rows, which the
--   engine supplies as a common table expression; on the stored path the stored session rows' same
--   columns), q_categories(category, running).
-- A step of its own (engine.STEPS), not a part of summary.sql: it reads only the stored rows, so the cold
-- overview makes it on its second cursor while the first makes the summary's other inputs.
with recent_runs as (
    -- runs of the $run_jump_level_weeks + 1 weeks before the last 7 and the $run_jump_layoff_days days before them
    select r.athlete_id, r.day, r.distance_km as km
    from counted r
    join q_categories c on c.category = r.category
    where
        c.running
        and r.day between cast($as_of as date) - 7 * (cast($run_jump_level_weeks as integer) + 2) - cast($run_jump_layoff_days as integer)
        and cast($as_of as date)
),

layoff as (
    -- the first run day after the last run-free gap of $run_jump_layoff_days+ days (a first run read counts from
    -- the day before the read window, so it ends a layoff only when the gap is within it)
    select athlete_id, max(day) as back_day
    from (
        select
            athlete_id,
            day,
            date_diff(
                'day',
                coalesce(
                    lag(day) over (partition by athlete_id order by day),
                    cast($as_of as date) - 7 * (cast($run_jump_level_weeks as integer) + 2) - cast($run_jump_layoff_days as integer) - 1
                ),
                day
            ) as gap_before
        from (select distinct athlete_id, day from recent_runs) as d
    ) as g
    where gap_before >= cast($run_jump_layoff_days as integer)
    group by athlete_id
),

run_weeks as (
    -- run km of each week before the last 7 (weeks_back 1 = [$as_of - 13, $as_of - 7]) since the layoff
    select r.athlete_id, r.weeks_back, sum(r.km) as km
    from (
        select
            athlete_id,
            day,
            km,
            cast(floor(date_diff('day', day, cast($as_of as date)) / 7.0) as integer) as weeks_back
        from recent_runs
    ) as r
    left join layoff l on l.athlete_id = r.athlete_id
    where
        r.weeks_back between 1 and cast($run_jump_level_weeks as integer) + 1
        and (l.back_day is null or r.day >= l.back_day)
    group by r.athlete_id, r.weeks_back
),

run_top as (
    -- the largest week of each of the two windows the level reads (weeks 1.. and weeks 2..)
    select
        athlete_id,
        max(case when weeks_back <= cast($run_jump_level_weeks as integer) then km end) as top_now,
        max(case when weeks_back >= 2 then km end) as top_before
    from run_weeks
    group by athlete_id
)

-- the second-largest week of each window: the largest again when two weeks share it, else the
-- largest below it (aggregates, not a ranking window per window: the same km)
select
    w.athlete_id,
    case
        when sum(case when w.weeks_back <= cast($run_jump_level_weeks as integer) and w.km = t.top_now then 1 else 0 end) >= 2
            then max(t.top_now)
        else max(case when w.weeks_back <= cast($run_jump_level_weeks as integer) and w.km < t.top_now then w.km end)
    end as run_km_level_7d,
    case
        when sum(case when w.weeks_back >= 2 and w.km = t.top_before then 1 else 0 end) >= 2 then max(t.top_before)
        else max(case when w.weeks_back >= 2 and w.km < t.top_before then w.km end)
    end as run_km_level_before_7d
from run_weeks w
join run_top t on t.athlete_id = w.athlete_id
group by w.athlete_id
