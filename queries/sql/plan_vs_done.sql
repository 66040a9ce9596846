-- Planned against done. Grain: one row per athlete, ISO week (Monday) and category (all six) for the
-- weeks of q_plan_missed (weeks holding a past planned session) and category of q_categories:
-- planned and done minutes and sessions, and planned sessions missed.
-- Parameters: $end (last local day counted, inclusive). Relations: q_plan_missed,
--   q_categories(category, category_order), q_session_load(athlete_id, activity_id, start_local,
--   category, minutes: session_intensity.sql's one definition of the minutes a session counts; counted
--   sessions only, holding the plan's weeks up to $end: queries/plan_done.py makes it).
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
        s.athlete_id,
        cast(date_trunc('week', s.start_local) as date) as week,
        s.category,
        sum(s.minutes) as minutes,
        count(*) as sessions
    from q_session_load s
    join weeks w on w.athlete_id = s.athlete_id and cast(date_trunc('week', s.start_local) as date) = w.week
    where s.start_local < cast($end as date) + 1
    group by s.athlete_id, cast(date_trunc('week', s.start_local) as date), s.category
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
