-- Warnings. Grain: one row per athlete per warning raised at the summary's day.
-- Parameters: the thresholds (queries/params.py THRESHOLDS: each with its default and its source as what
--   it found, or crosstrain's convention; overridable in [thresholds]). Relations: q_summary.
--   Thresholds read: $acwr_high, $acwr_low, $acwr_max_gap_days, $acwr_min_acute_load,
--   $acwr_min_active_days, $acwr_min_history_days, $acwr_thin_weeks, $acwr_very_high, $break_days,
--   $easy_runs_hard_share, $easy_runs_min_rated, $hard_runs_min_rated, $hard_runs_share,
--   $moderate_min_minutes, $moderate_share, $monotony_high, $monotony_min_load_7d, $monotony_warn,
--   $run_jump_base_km, $run_jump_min_km, $run_jump_week, $runner_min_km, $runner_min_runs,
--   $runner_min_share, $support_days_week, $support_gap_days, $support_gap_high_days, $support_share_low,
--   $variety_cv_distance, $variety_cv_pace, $variety_min_runs.
-- Severity: info < warn < high. queries/warning_registry.py holds everything else about each code (its
-- message, advice, source, order and plan behaviour) and reads each code's condition from this file:
-- one branch per code, each opening with a `-- warning: <code>` line (a test checks both ways): a
-- column of `raised` named after the code, holding its severity where the athlete raises it (null
-- where not), turned into one row per warning raised by the `unpivot` at the end (which drops nulls).
-- One select over summary's row with a column per code, rather than a union of a select per code: the
-- same rows, planned in half the time (the statement reads one row per athlete; planning is its cost).
-- An inactive athlete (no activity in the last $inactive_days days) gets no warning but
-- unlabelled_sessions: their risk says "inactive" instead.
-- Shared facts (crosstrain's convention):
--   is_runner: running is a substantial part of the training: at least $runner_min_runs runs in 28 days
--     and running at least $runner_min_share of all minutes or at least $runner_min_km km (a triathlete's
--     swim, bike and gym minutes don't make a regular runner a non-runner);
--   unlabelled: the 28 days hold support-work candidates (sessions of the catch-all category), so "no
--     support work" would be a guess: the support warnings wait for a label (unlabelled_sessions asks);
--   established: the 28 days' load is an established chronic load: $acwr_min_history_days days of
--     history, at least $acwr_min_active_days days with sessions, no run of $acwr_max_gap_days+ days
--     without one (before the window's first session too) and fewer than $acwr_thin_weeks of the 3 weeks
--     before the last 7 with almost no training (summary.sql's thin_weeks): one empty week before a
--     ramp back (a January challenge) is a real spike;
--   after_break: a session in the last 7 days, and it came $break_days+ days after the one before, or
--     the 28 days (with history and active days enough) are not established because of a gap or a thin
--     week: the weeks after a break, when the ACWR and the run volume jump measure the break.
with base as (
    select
        *,
        run_sessions >= $runner_min_runs
        and (run_share >= $runner_min_share or run_km >= $runner_min_km) as is_runner,
        unlabelled_sessions > 0 as unlabelled,
        history_days >= $acwr_min_history_days
        and active_days_28d >= $acwr_min_active_days
        and chronic_gap_days < $acwr_max_gap_days
        and thin_weeks < $acwr_thin_weeks as established,
        break_days is not null and break_days >= $break_days as long_break
    from q_summary
),

facts as (
    select
        *,
        active and is_runner as active_runner,
        sessions_7d > 0 and (
            long_break
            or (
                history_days >= $acwr_min_history_days
                and active_days_28d >= $acwr_min_active_days
                and (chronic_gap_days >= $acwr_max_gap_days or thin_weeks >= $acwr_thin_weeks)
            )
        ) as after_break
    from base
),

raised as (
    select
        athlete_id,
        -- warning: no_support_work
        case
            when active_runner and not unlabelled and runs_14d > 0 and support_gap_days >= $support_gap_days
                then case when support_gap_days >= $support_gap_high_days then 'high' else 'warn' end
        end as no_support_work,
        -- warning: low_support_share
        -- (not for an athlete who did strength or Pilates on $support_days_week days a week or more, as
        -- the guidelines ask, whatever share of the minutes that is: one long race or ride dwarfs it)
        case
            when
                active_runner and not unlabelled and support_share < $support_share_low
                and support_days_28d < 4 * $support_days_week
                then 'warn'
        end as low_support_share,
        -- warning: unlabelled_sessions
        -- (the one warning an inactive athlete gets)
        case when unlabelled then 'info' end as unlabelled_sessions,
        -- warning: high_monotony
        case
            when active and monotony >= $monotony_warn and load_7d >= $monotony_min_load_7d
                then case when monotony >= $monotony_high then 'high' else 'warn' end
        end as high_monotony,
        -- warning: acwr_spike
        -- (not on a trivial week: under $acwr_min_acute_load load in the last 7 days)
        case
            when active and acwr > $acwr_high and established and load_7d >= $acwr_min_acute_load
                then case when acwr > $acwr_very_high then 'high' else 'warn' end
        end as acwr_spike,
        -- warning: acwr_low
        case when active and acwr < $acwr_low and established then 'info' end as acwr_low,
        -- warning: return_after_break
        case when active and after_break then 'info' end as return_after_break,
        -- warning: run_volume_jump
        -- (a jump into new territory: above the largest of the 3 weeks before, not only their mean, so
        -- the first week after a dip is no jump; this week's, silent in the first week back after a
        -- break, where return_after_break speaks, but not in the weeks after it: a ramp back is the
        -- risk; or last week's, against the two weeks before it, unless they held no running: a jump
        -- stays in view for two weeks); and above the usual level of the weeks before
        -- (run_km_level_7d: a return to it after a light week or two is no jump)
        case
            when
                active_runner
                and (
                    (
                        not long_break
                        and run_km_7d >= $run_jump_base_km
                        and run_km_7d > greatest(run_km_max_prev_7d, run_km_level_7d) * (1 + $run_jump_week)
                        and run_km_7d - greatest(run_km_max_prev_7d, run_km_level_7d) >= $run_jump_min_km
                    )
                    or (
                        run_km_max_before_7d > 0
                        and run_km_week_before >= $run_jump_base_km
                        and run_km_week_before
                        > greatest(run_km_max_before_7d, run_km_level_before_7d) * (1 + $run_jump_week)
                        and run_km_week_before - greatest(run_km_max_before_7d, run_km_level_before_7d)
                        >= $run_jump_min_km
                    )
                )
                then 'warn'
        end as run_volume_jump,
        -- warning: monotone_runs
        case
            when
                active
                and runs_measured >= $variety_min_runs
                and cv_distance < $variety_cv_distance
                and cv_pace < $variety_cv_pace
                and named_quality_runs = 0
                and fast_runs = 0
                then 'warn'
        end as monotone_runs,
        -- warning: hard_every_run
        case
            when active and runs_rated >= $hard_runs_min_rated and hard_runs >= $hard_runs_share * runs_rated
                then 'info'
        end as hard_every_run,
        -- warning: easy_runs_hard
        case
            when
                active and easy_runs_rated >= $easy_runs_min_rated
                and easy_runs_hard >= $easy_runs_hard_share * easy_runs_rated
                then 'info'
        end as easy_runs_hard,
        -- warning: moderate_intensity
        case
            when
                active
                and hr_low_min + hr_moderate_min + hr_high_min >= $moderate_min_minutes
                and hr_moderate_min >= $moderate_share * (hr_low_min + hr_moderate_min + hr_high_min)
                then 'info'
        end as moderate_intensity
        -- end of the warnings
    from facts
)

select
    athlete_id,
    code,
    severity,
    case severity when 'high' then 3 when 'warn' then 2 else 1 end as severity_rank
from raised
unpivot (
    severity for code in (
        no_support_work, low_support_share, unlabelled_sessions, high_monotony, acwr_spike, acwr_low,
        return_after_break, run_volume_jump, monotone_runs, hard_every_run, easy_runs_hard,
        moderate_intensity
    )
) as found
