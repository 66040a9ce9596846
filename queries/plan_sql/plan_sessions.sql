-- Done plus planned sessions. Grain: one row per activity of athlete $athlete_id that started on a
-- local day up to $as_of, and one per planned session on a later day; shaped like `activities` (the
-- analytics read this relation in its place: queries/engine.reading), with `planned_id` (null for done
-- sessions). Planned sessions count like recorded ones: load from their RPE, else minutes x the
-- category's intensity; they are nobody's twin and not excluded.
-- Parameters: $athlete_id, $as_of (the last day of done history, inclusive).
-- plan_intensity, plan_structure: the plan's intensity (easy, long, tempo, intervals ...) and structure
--   (steady, intervals, hills, strides, mixed) of a planned session; null for done ones.
-- Relations: activities, q_planned (planned_sessions with intensity and structure: queries/plan.py). (`union all by name` fills activities' other columns with
-- null for planned rows: DuckDB's, as is the plan's whole projection; the report SQL stays portable.)
select
    a.*,
    cast(null as bigint) as planned_id,
    cast(null as varchar) as plan_intensity,
    cast(null as varchar) as plan_structure
from activities a
where a.athlete_id = $athlete_id and a.start_local < cast($as_of as date) + 1

union all by name

select
    -p.planned_id as activity_id,
    p.athlete_id,
    'plan' as source,
    cast(p.planned_id as varchar) as source_id,
    p.start_local as start_at,
    p.start_local,
    p.has_time,
    p.sport_type,
    p.category,
    p.name,
    p.description,
    p.moving_s,
    p.moving_s as elapsed_s,
    p.distance_m,
    p.rpe,
    cast(null as bigint) as twin_of,
    false as excluded,
    p.planned_id,
    p.intensity as plan_intensity,
    p.structure as plan_structure
from q_planned p
where p.athlete_id = $athlete_id and p.start_local >= cast($as_of as date) + 1
