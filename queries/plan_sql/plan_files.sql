-- Activity files with the plan's structures. Grain: one row per activity file, plus one per planned
-- session of q_plan_sessions whose structure or intensity says how it runs; shaped like activity_files
-- (the report's SQL reads this relation in its place for `plan check`: queries/engine.reading), so a
-- planned interval, hill or strides session counts as a quality run for monotone_runs, as a recorded
-- one does. A planned tempo, threshold or race run (steady, but hard) or a mixed one (easy with strides,
-- tempo with hills) gets structure `quality`, which summary.sql counts as a quality run too.
-- Parameters: none. Relations: activity_files, q_plan_sessions.
select *
from activity_files

union all by name

select
    activity_id,
    coalesce(
        case when plan_structure in ('intervals', 'hills', 'strides') then plan_structure end,
        case
            when plan_intensity in ('intervals', 'hills', 'strides') then plan_intensity
            when plan_intensity in ('tempo', 'threshold', 'race') then 'quality'
        end,
        case when plan_structure = 'mixed' then 'quality' else plan_structure end
    ) as structure
from q_plan_sessions
where planned_id is not null and (plan_structure is not null or plan_intensity is not null)
