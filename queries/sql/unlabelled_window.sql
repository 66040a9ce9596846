-- Unlabelled sessions of the 28 days, by name. Grain: one row per athlete in q_session_load and name of
-- its sessions in [$as_of - 27, $as_of] whose type says nothing (q_generic_types) and that landed in the
-- catch-all category (support-work candidates, as summary.sql counts them): how many sessions bear it.
-- The unlabelled_sessions warning names them.
-- Parameters: $as_of (date). Relations: q_session_load, q_categories(category, catch_all),
--   q_generic_types(type_name).
select
    l.athlete_id,
    coalesce(nullif(trim(l.name), ''), l.sport_type) as name,
    count(*) as sessions
from q_session_load l
join q_categories c on c.category = l.category
join q_generic_types g on g.type_name = lower(trim(l.sport_type))
where c.catch_all and l.day between cast($as_of as date) - 27 and cast($as_of as date)
group by l.athlete_id, coalesce(nullif(trim(l.name), ''), l.sport_type)
