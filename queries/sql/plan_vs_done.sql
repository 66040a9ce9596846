-- Planned against done. Grain: one row per athlete, ISO week (Monday) and category (all six) for the
-- weeks of q_plan_missed (weeks holding a past planned session) and category of q_categories:
-- planned and done minutes and sessions, and planned sessions missed.
-- Parameters: $end (last local day counted, inclusive). Relations: q_plan_missed, activities,
--   q_categories(category, category_order), q_session_intensity(activity_id, minutes: the one definition
--   of a session's minutes, made by the report up to $end).
with weeks as (
    select distinct athlete_id, week from q_plan_missed
),

planned as (
    select
        athlete_id,
        week,
        category,
        sum(minutes) as minutes,
        count(*) as sessions,
        sum(case when missed then 1 else 0 end) as missed
    from q_plan_missed
    group by athlete_id, week, category
),

done as (
    select
        a.athlete_id,
        cast(date_trunc('week', a.start_local) as date) as week,
        a.category,
        sum(si.minutes) as minutes,
        count(*) as sessions
    from activities a
    join q_session_intensity si on si.activity_id = a.activity_id
    join weeks w on w.athlete_id = a.athlete_id and cast(date_trunc('week', a.start_local) as date) = w.week
    where a.start_local < cast($end as date) + 1 and a.twin_of is null and not a.excluded
    group by a.athlete_id, cast(date_trunc('week', a.start_local) as date), a.category
)

select
    w.athlete_id,
    w.week,
    c.category,
    c.category_order,
    coalesce(p.minutes, 0) as planned_minutes,
    coalesce(p.sessions, 0) as planned_sessions,
    coalesce(d.minutes, 0) as done_minutes,
    coalesce(d.sessions, 0) as done_sessions,
    coalesce(p.missed, 0) as missed_sessions
from weeks w
cross join q_categories c
left join planned p on p.athlete_id = w.athlete_id and p.week = w.week and p.category = c.category
left join done d on d.athlete_id = w.athlete_id and d.week = w.week and d.category = c.category
