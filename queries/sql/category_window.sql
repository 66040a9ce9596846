-- Minutes and sessions by category over the 28 days to $as_of. Grain: one row per athlete in q_scope
-- per category of q_categories (all of them, zero-filled).
-- Parameters: $as_of (date). Relations: q_scope, q_categories(category, category_order),
--   q_session_load (at least [$as_of - 27, $as_of]).
with by_category as (
    select athlete_id, category, sum(minutes) as minutes, count(*) as sessions
    from q_session_load
    where day between cast($as_of as date) - 27 and cast($as_of as date)
    group by athlete_id, category
)

select
    s.athlete_id,
    c.category,
    c.category_order,
    coalesce(b.minutes, 0) as minutes,
    coalesce(b.sessions, 0) as sessions
from q_scope s
cross join q_categories c
left join by_category b on b.athlete_id = s.athlete_id and b.category = c.category
