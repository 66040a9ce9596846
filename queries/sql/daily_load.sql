-- Daily load. Grain: one row per athlete in q_scope per local calendar day in [$start, $end],
-- zero-filled: a day without sessions has load 0.
-- Parameters: $start, $end (dates, inclusive). Relations: q_scope, q_session_load,
--   q_categories(category, support_share, running).
-- support_minutes = minutes of the categories that count toward the support share (strength, Pilates,
-- mobility); run_minutes and run_km = those of the running category.
with calendar as (
    select s.athlete_id, cast(d.day as date) as day
    from q_scope s
    cross join (
        select unnest(generate_series(cast($start as date), cast($end as date), interval 1 day)) as day
    ) as d
),

by_day as (
    select
        l.athlete_id,
        l.day,
        sum(l.load) as load,
        sum(l.minutes) as minutes,
        sum(case when c.support_share then l.minutes else 0 end) as support_minutes,
        sum(case when c.running then l.minutes else 0 end) as run_minutes,
        sum(case when c.running then l.distance_km else 0 end) as run_km
    from q_session_load l
    left join q_categories c on c.category = l.category
    where l.day between cast($start as date) and cast($end as date)
    group by l.athlete_id, l.day
)

select
    c.athlete_id,
    c.day,
    coalesce(b.load, 0) as load,
    coalesce(b.minutes, 0) as minutes,
    coalesce(b.support_minutes, 0) as support_minutes,
    coalesce(b.run_minutes, 0) as run_minutes,
    coalesce(b.run_km, 0) as run_km
from calendar c
left join by_day b on b.athlete_id = c.athlete_id and b.day = c.day
