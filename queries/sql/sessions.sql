-- Sessions for the calendar. Grain: one row per activity of q_session_load in [$start, $end].
-- Parameters: $start, $end (local dates, inclusive). Relations: q_session_load,
--   q_categories(category, catch_all), q_generic_types(type_name).
-- unlabelled: the type says nothing (Workout, Other, Training) and the name matched no keyword, so the
-- session landed in the catch-all category (the report's unlabelled_sessions counts these; the
-- dashboard offers a category picker for them). load_source: srpe, trimp or intensity (session_load.sql).
select
    l.activity_id,
    l.day,
    l.start_local,
    l.category,
    l.sport_type,
    l.name,
    l.minutes,
    l.distance_km,
    l.load,
    l.load_source,
    coalesce(c.catch_all, false) and g.type_name is not null as unlabelled
from q_session_load l
left join q_categories c on c.category = l.category
left join q_generic_types g on g.type_name = lower(trim(l.sport_type))
where l.day between cast($start as date) and cast($end as date)
