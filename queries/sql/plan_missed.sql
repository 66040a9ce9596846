-- Planned sessions that are past. Grain: one row per planned session of the athletes in q_scope on a
-- local day in [$start, $end], with whether it was missed.
-- A planned session is done when its day holds a done session of its category for it: planned and done
-- sessions of one day and category are matched in start order, so two planned runs and one done run
-- leave the shorter planned run missed (crosstrain's convention: the day and category, not the time or
-- the length, make a match; a session moved to another day counts as missed).
-- Parameters: $start, $end (local dates, inclusive). Relations: planned_sessions, activities, q_scope.
with planned as (
    select
        p.athlete_id,
        p.planned_id,
        cast(p.start_local as date) as day,
        p.start_local,
        p.sport_type,
        p.category,
        p.name,
        p.moving_s / 60.0 as minutes,
        coalesce(p.distance_m, 0) / 1000.0 as distance_km,
        row_number() over (
            partition by p.athlete_id, cast(p.start_local as date), p.category
            order by p.start_local, p.moving_s desc, p.planned_id
        ) as rank_in_day
    from planned_sessions p
    join q_scope s on s.athlete_id = p.athlete_id
    where p.start_local >= cast($start as date) and p.start_local < cast($end as date) + 1
),

done as (
    select a.athlete_id, cast(a.start_local as date) as day, a.category, count(*) as sessions
    from activities a
    join q_scope s on s.athlete_id = a.athlete_id
    where
        a.start_local >= cast($start as date) and a.start_local < cast($end as date) + 1
        and a.twin_of is null and not a.excluded
    group by a.athlete_id, cast(a.start_local as date), a.category
)

select
    p.*,
    cast(date_trunc('week', p.day) as date) as week,
    p.rank_in_day > coalesce(d.sessions, 0) as missed
from planned p
left join done d on d.athlete_id = p.athlete_id and d.day = p.day and d.category = p.category
