-- Weekly balance. Grain: one row per athlete in q_scope per ISO week (Monday) in [$start, $end] per
-- category (all of q_categories, zero-filled). run_km is the week's run distance on the running row and 0
-- on the others, so summing any column over a week's rows gives the week's total.
-- Parameters: $start (a Monday), $end (last local day counted, inclusive). Relations: q_scope,
-- q_categories(category, category_order, running), by_week (weekly_sums.sql's non-empty cells, which
-- the engine supplies as a common table expression).
select
    g.athlete_id,
    g.week,
    g.category,
    g.category_order,
    coalesce(b.minutes, 0) as minutes,
    coalesce(b.sessions, 0) as sessions,
    case when g.running then coalesce(b.distance_km, 0) else 0 end as run_km,
    coalesce(b.load, 0) as load
from (
    select s.athlete_id, w.week, c.category, c.category_order, c.running
    from q_scope s
    cross join (
        select cast(d.week as date) as week
        from (
            select unnest(generate_series(cast($start as date), cast($end as date), interval 7 day)) as week
        ) as d
    ) as w
    cross join q_categories c
) as g
left join by_week b on b.athlete_id = g.athlete_id and b.week = g.week and b.category = g.category
