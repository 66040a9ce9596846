-- Warnings. Grain: one row per athlete per warning raised at the summary's day.
-- Parameters: the thresholds (queries/params.py DEFAULT_THRESHOLDS, overridable in [thresholds], each
--   with its source there). Relations: q_summary. Severity: info < warn < high.
-- An inactive athlete (no activity in the last $inactive_days days) gets no warning but
-- unlabelled_sessions: their risk says "inactive" instead.
-- "Running is a substantial part of the training" (crosstrain's convention): at least
--   $runner_min_runs runs in 28 days and running at least $runner_min_share of all minutes.
--   no_support_work  : a runner who ran in the last 14 days, no strength or Pilates for
--                      $support_gap_days+ days (high at $support_gap_high_days+); "never" counts from
--                      the first activity. Convention; strength work cut sports injuries to about a
--                      third in Lauersen et al. 2014.
--   low_support_share: a runner whose support share < $support_share_low (convention).
--   high_monotony    : monotony >= $monotony_warn (high >= $monotony_high)        (Foster 1998)
--   acwr_spike       : ACWR > $acwr_high (Gabbett 2016's danger zone from 1.5); high above
--                      $acwr_very_high (crosstrain's convention)
--   acwr_low         : ACWR < $acwr_low (info; below Gabbett 2016's sweet spot)
--                      (both only once the history fills the 28-day chronic window,
--                      history_days >= $acwr_min_history_days, and above the chronic floor: at least
--                      $acwr_min_active_days days with sessions in the 28)
--   return_after_break: info: the first session of the last 7 days came after $break_days+ days
--                      without any (build up gradually; convention)
--   run_volume_jump  : week on week, in either of the last two weeks: run km of the last 7 days >
--                      +$run_jump_week over the 7 days before, or those 7 days over the 7 before them,
--                      and at least $run_jump_min_km km more (warn)               (Nielsen et al. 2014)
--   monotone_runs    : >= $variety_min_runs runs in 28 days, CV of distance < $variety_cv_distance,
--                      CV of pace < $variety_cv_pace, no quality run (crosstrain's heuristics)
--   unlabelled_sessions: info: sessions of the 28 days whose type and name say nothing (category other)
with runner as (
    select
        *,
        run_sessions >= $runner_min_runs and run_share >= $runner_min_share as is_runner,
        history_days >= $acwr_min_history_days and active_days_28d >= $acwr_min_active_days as acwr_meaningful
    from q_summary
    where active
),

raised as (
    select
        athlete_id,
        'no_support_work' as code,
        case when support_gap_days >= $support_gap_high_days then 'high' else 'warn' end as severity
    from runner
    where is_runner and runs_14d > 0 and support_gap_days >= $support_gap_days

    union all
    select athlete_id, 'low_support_share', 'warn'
    from runner
    where is_runner and support_share < $support_share_low

    union all
    select
        athlete_id,
        'high_monotony',
        case when monotony >= $monotony_high then 'high' else 'warn' end
    from runner
    where monotony >= $monotony_warn

    union all
    select athlete_id, 'acwr_spike', case when acwr > $acwr_very_high then 'high' else 'warn' end
    from runner
    where acwr > $acwr_high and acwr_meaningful

    union all
    select athlete_id, 'acwr_low', 'info'
    from runner
    where acwr < $acwr_low and acwr_meaningful

    union all
    select athlete_id, 'return_after_break', 'info'
    from runner
    where break_days >= $break_days

    union all
    select athlete_id, 'run_volume_jump', 'warn'
    from runner
    where
        (run_km_prev_7d > 0 and run_km_7d > run_km_prev_7d * (1 + $run_jump_week)
            and run_km_7d - run_km_prev_7d >= $run_jump_min_km)
        or (run_km_prev2_7d > 0 and run_km_prev_7d > run_km_prev2_7d * (1 + $run_jump_week)
            and run_km_prev_7d - run_km_prev2_7d >= $run_jump_min_km)

    union all
    select athlete_id, 'monotone_runs', 'warn'
    from runner
    where
        runs_measured >= $variety_min_runs
        and cv_distance < $variety_cv_distance
        and cv_pace < $variety_cv_pace
        and named_quality_runs = 0
        and fast_runs = 0

    union all
    select athlete_id, 'unlabelled_sessions', 'info'
    from q_summary
    where unlabelled_sessions > 0
)

select
    athlete_id,
    code,
    severity,
    case severity when 'high' then 3 when 'warn' then 2 else 1 end as severity_rank
from raised
