-- Unlabelled sessions: the athlete's activities whose type says nothing (Workout, Other, Training)
-- and whose name matched no category keyword, so they count as `other`; the athlete page offers a
-- category for them. Grain: one row per such activity (twins and excluded rows left out), newest first.
-- Parameters: $athletes (names; each row's `athlete` says whose), $types (those type names in lower
--   case: ingest.categories.NAME_DECIDES),
--   $catch_all (the categories such sessions land in: queries.params.CATEGORY_ROLES' catch_all role).
with source as (
    select p.name as athlete, a.activity_id, a.start_local, a.sport_type, a.name, a.moving_s, a.elapsed_s
    from activities a
    join athletes p on p.athlete_id = a.athlete_id
    where array_contains($athletes, p.name)
      and array_contains($catch_all, a.category)
      and a.twin_of is null
      and not a.excluded
      and array_contains($types, lower(trim(a.sport_type)))
),
shaped as (
    select
        athlete,
        activity_id,
        cast(start_local as date) as day,
        start_local,
        sport_type,
        coalesce(name, '') as name,
        round(coalesce(moving_s, elapsed_s, 0) / 60.0, 1) as minutes
    from source
)
select athlete, activity_id, day, sport_type, name, minutes
from shaped
order by athlete, start_local desc, activity_id desc
