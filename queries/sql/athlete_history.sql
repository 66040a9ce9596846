-- Athlete history. Grain: one row per athlete in q_scope with at least one activity on a local day
-- up to $end (one pass over the whole history, shared by session load and the summary).
-- Parameters: $end (local date, inclusive); $hr_rest, $hr_max (HRmax when the athlete has no plausible
--   recorded max_hr). Relations: activities, q_scope(athlete_id).
-- hr_max = the athlete's highest recorded max_hr when above $hr_rest + 40, else $hr_max (Banister 1991
--   TRIMP needs HRmax; one implausible device reading must not set it).
-- first_day = local day of the first activity; last_support_day = local day of the last strength or
-- Pilates session (null: none). Second recordings (twin_of) and excluded activities count nowhere.
with observed as (
    select
        a.athlete_id,
        max(a.max_hr) as max_hr,
        min(a.start_local) as first_start,
        max(case when a.category in ('strength', 'pilates') then a.start_local end) as last_support_start
    from activities a
    join q_scope s on s.athlete_id = a.athlete_id
    where a.start_local < cast($end as date) + 1 and a.twin_of is null and not a.excluded
    group by a.athlete_id
)

select
    athlete_id,
    case when max_hr > $hr_rest + 40 then max_hr else $hr_max end as hr_max,
    cast(first_start as date) as first_day,
    cast(last_support_start as date) as last_support_day
from observed
