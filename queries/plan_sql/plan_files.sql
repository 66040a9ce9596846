-- Activity files with the plan's structures. Grain: one row per activity file, plus one per planned
-- session of q_plan_sessions whose structure or intensity says how it runs; shaped like activity_files
-- (the report's SQL reads this relation in its place for `plan check`: queries/engine.reading), so a
-- planned interval, hill or strides session counts as a quality run for monotone_runs, as a recorded
-- one does. A planned tempo, threshold or race run (steady, but hard) or a mixed one (easy with strides,
-- tempo with hills) gets structure `quality`, which summary.sql counts as a quality run too.
-- A planned session (summary.sql reads it for runs only) the plan names easy, recovery or long, steady or of no structure, whose RPE by the plan
-- (written, or its intensity's default: ingest/plans/words.INTENSITY_RPE) is under $hard_run_intensity,
-- gets structure `easy` (no recorded file has it: ingest/files/structure.py), which summary.sql counts
-- as an easy run that is not hard for hard_every_run and easy_runs_hard (its load stays the athlete's
-- rate: the plan's word decides what the run is meant to be, as for the hard days). An easy run the
-- plan writes at RPE 5+ (EulateMikel/Behobia's "Easy run RPE 5/10") stays what the athlete's rate says.
-- Parameters: $hard_run_intensity. Relations: activity_files, q_plan_sessions.
select *
from activity_files

union all by name

select
    activity_id,
    case
        when
            plan_intensity in ('easy', 'recovery', 'long')
            and coalesce(plan_structure, 'steady') = 'steady'
            and coalesce(plan_rpe, 0) < $hard_run_intensity
            then 'easy'
        else
            coalesce(
                case when plan_structure in ('intervals', 'hills', 'strides') then plan_structure end,
                case
                    when plan_intensity in ('intervals', 'hills', 'strides') then plan_intensity
                    when plan_intensity in ('tempo', 'threshold', 'race') then 'quality'
                end,
                case when plan_structure = 'mixed' then 'quality' else plan_structure end
            )
    end as structure
from q_plan_sessions
where planned_id is not null and (plan_structure is not null or plan_intensity is not null)
