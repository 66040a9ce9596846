-- Done plus planned sessions. Grain: one row per activity of athlete $athlete_id that started on a
-- local day up to $as_of, and one per planned session on a later day; shaped like `activities` (the
-- analytics read this relation in its place: queries/engine.reading), with `planned_id` (null for done
-- sessions). Planned sessions are nobody's twin and not excluded.
-- Parameters: $athlete_id, $as_of (the last day of done history, inclusive).
-- Load of a planned session, like with like (crosstrain's convention): a done session's load comes
-- from its RPE, heart rate (Banister TRIMP x trimp_scale) or a default intensity, a plan's only from its
-- words, so a plan that repeats what the athlete did must score what the athlete's sessions scored, or
-- the ACWR, monotony and fitness mix two scales (tests/test_plan_check.py: six weeks of runs that score
-- 5.39 a minute by heart rate, planned again as "Easy run" at RPE 3, read ACWR 0.63, a false acwr_low).
-- So:
--   1. a planned session scores per minute the athlete's own load per minute (their load over their
--      minutes) of their done sessions of the same category (or light type: walk, golf, hike) and kind
--      (quality or not, as summary.sql counts a quality run) in the 6 weeks up to $as_of, when at least 3 such sessions were done
--      (q_plan_rates, plan_rates.sql);
--   2. else its RPE from the plan's words (an "RPE 6", or the intensity's default RPE:
--      ingest/plans/words.INTENSITY_RPE), else minutes x the category's intensity, as a done session
--      without RPE or heart rate scores (session_load.sql).
-- That load per minute is the `rpe` the report's SQL reads (crosstrain's loads are all in session-RPE
-- units: session_load.sql), held to the CR-10 range 1-10 that session_load.sql accepts; the plan's own
-- RPE stays in `plan_rpe` for what the plan means (hard days: plan_hard_days.sql; `plan suggest`).
-- A planned run is thus scored at the athlete's own intensity for its kind; for hard_every_run and
-- easy_runs_hard a run the plan names easy, recovery or long (under RPE 5 by the plan) still counts as
-- easy (plan_files.sql: a run not run yet is what the plan says; real calendars judged the other way
-- false: docs/warnings_on_real_data.md), and the plan's words decide hard days.
-- plan_intensity, plan_structure: the plan's intensity (easy, long, tempo, intervals ...) and structure
--   (steady, intervals, hills, strides, mixed) of a planned session; null for done ones.
-- Relations: activities, q_planned (planned_sessions with intensity and structure: queries/plan.py),
--   q_plan_rates(intensity_key, quality, rate) (plan_rates.sql), q_run_keywords(keyword),
--   q_intensity_types(type_name, intensity_key).
-- (`union all by name` fills activities' other columns with null for planned rows: DuckDB's, as is the
-- plan's whole projection; the report SQL stays portable.)
with planned as (
    select
        p.*,
        coalesce(t.intensity_key, p.category) as intensity_key,
        coalesce(p.intensity, '') in ('tempo', 'threshold', 'intervals', 'hills', 'race', 'strides')
        or coalesce(p.structure, '') in ('intervals', 'hills', 'strides', 'mixed')
        or exists (
            select 1 from q_run_keywords k where lower(coalesce(p.name, '')) like '%' || k.keyword || '%'
        ) as quality
    from q_planned p
    left join q_intensity_types t on t.type_name = lower(trim(p.sport_type))
    where p.athlete_id = $athlete_id and p.start_local >= cast($as_of as date) + 1
)

select
    a.*,
    cast(null as bigint) as planned_id,
    cast(null as double) as plan_rpe,
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
    case when r.rate is not null then least(greatest(r.rate, 1.0), 10.0) else p.rpe end as rpe,
    cast(null as bigint) as twin_of,
    false as excluded,
    p.planned_id,
    p.rpe as plan_rpe,
    p.intensity as plan_intensity,
    p.structure as plan_structure
from planned p
left join q_plan_rates r on r.intensity_key = p.intensity_key and r.quality = p.quality
