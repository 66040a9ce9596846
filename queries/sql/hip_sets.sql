-- Hip and glute sets. Grain: one row per athlete of q_scope with any strength sets recorded up to $as_of
-- (an athlete without set data gets no row: hip_sets is unknown, not 0).
-- Parameters: $as_of (local date). Relations: activities, activity_sets, q_scope,
--   q_hip_categories(category) (queries/files.py HIP_CATEGORIES).
-- hip_sets = active sets whose exercise category works the hips and glutes, on local days
-- [$as_of - 27, $as_of]; second recordings and excluded activities count nowhere.
with sets as (
    select a.athlete_id, cast(a.start_local as date) as day, h.category as hip_category
    from activity_sets s
    join activities a on a.activity_id = s.activity_id
    join q_scope q on q.athlete_id = a.athlete_id
    left join q_hip_categories h on h.category = s.category
    where a.start_local < cast($as_of as date) + 1 and a.twin_of is null and not a.excluded
)

select
    athlete_id,
    sum(case when hip_category is not null and day >= cast($as_of as date) - 27 then 1 else 0 end) as hip_sets
from sets
group by athlete_id
