-- Weeks of the report. Grain: one row per athlete per ISO week of q_weekly_balance, categories as
-- columns; monotony and strain are the rolling 7-day values on the week's last day counted (its
-- Sunday, or $end for the current week), which for a whole week is Foster's weekly monotony.
-- Parameters: $end. Relations: q_weekly_balance, q_metrics.
with pivoted as (
    select
        athlete_id,
        week,
        sum(case when category = 'run' then minutes else 0 end) as run_minutes,
        sum(case when category = 'strength' then minutes else 0 end) as strength_minutes,
        sum(case when category = 'pilates' then minutes else 0 end) as pilates_minutes,
        sum(case when category = 'mobility' then minutes else 0 end) as mobility_minutes,
        sum(case when category = 'cross' then minutes else 0 end) as cross_minutes,
        sum(case when category = 'other' then minutes else 0 end) as other_minutes,
        sum(case when category = 'run' then sessions else 0 end) as run_sessions,
        sum(case when category = 'strength' then sessions else 0 end) as strength_sessions,
        sum(case when category = 'pilates' then sessions else 0 end) as pilates_sessions,
        sum(case when category = 'mobility' then sessions else 0 end) as mobility_sessions,
        sum(case when category = 'cross' then sessions else 0 end) as cross_sessions,
        sum(case when category = 'other' then sessions else 0 end) as other_sessions,
        sum(run_km) as run_km,
        sum(load) as load
    from q_weekly_balance
    group by athlete_id, week
)

select
    p.*,
    coalesce(m.monotony, 0) as monotony,
    coalesce(m.strain, 0) as strain
from pivoted p
left join q_metrics m
    on m.athlete_id = p.athlete_id and m.day = least(p.week + 6, cast($end as date))
