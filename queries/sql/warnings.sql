-- Warnings. Grain: one row per athlete per warning raised at the summary's day.
-- Parameters: the thresholds (queries/params.py DEFAULT_THRESHOLDS, overridable in [thresholds]).
-- Relations: q_summary. Severity: info < warn < high; sort = the order warnings are shown in.
--   no_support_work  : runs in the last 14 days, no strength or Pilates for $support_gap_days+ days
--                      (high at $support_gap_high_days+); "never" counts from the first activity.
--   low_support_share: runs in 28 days and support share < $support_share_low.
--   high_monotony    : monotony >= $monotony_warn (high >= $monotony_high)      (Foster 1998)
--   acwr_spike       : ACWR > $acwr_high (high > $acwr_very_high)               (Gabbett 2016)
--   acwr_low         : ACWR < $acwr_low (info)                                  (Gabbett 2016)
--                      (both only once the history fills the 28-day chronic window:
--                      history_days >= $acwr_min_history_days)
--   run_volume_jump  : 7-day run km > +$run_jump_week over the 7 days before (warn), or
--                      > +$run_jump_2weeks over the 7 days two weeks before (high); the increase must
--                      be at least $run_jump_min_km km                           (Nielsen 2014)
--   monotone_runs    : >= $variety_min_runs runs in 28 days, CV of distance < $variety_cv_distance,
--                      CV of pace < $variety_cv_pace, no quality run             (Seiler 2010)
with raised as (
    select
        athlete_id,
        'no_support_work' as code,
        case when support_gap_days >= $support_gap_high_days then 'high' else 'warn' end as severity
    from q_summary
    where runs_14d > 0 and support_gap_days >= $support_gap_days

    union all
    select athlete_id, 'low_support_share', 'warn'
    from q_summary
    where run_sessions > 0 and support_share < $support_share_low

    union all
    select
        athlete_id,
        'high_monotony',
        case when monotony >= $monotony_high then 'high' else 'warn' end
    from q_summary
    where monotony >= $monotony_warn

    union all
    select athlete_id, 'acwr_spike', case when acwr > $acwr_very_high then 'high' else 'warn' end
    from q_summary
    where acwr > $acwr_high and history_days >= $acwr_min_history_days

    union all
    select athlete_id, 'acwr_low', 'info'
    from q_summary
    where acwr < $acwr_low and history_days >= $acwr_min_history_days

    union all
    select
        athlete_id,
        'run_volume_jump',
        case
            when run_km_prev2_7d > 0 and run_km_7d > run_km_prev2_7d * (1 + $run_jump_2weeks)
                and run_km_7d - run_km_prev2_7d >= $run_jump_min_km then 'high'
            else 'warn'
        end
    from q_summary
    where
        (run_km_prev_7d > 0 and run_km_7d > run_km_prev_7d * (1 + $run_jump_week)
            and run_km_7d - run_km_prev_7d >= $run_jump_min_km)
        or (run_km_prev2_7d > 0 and run_km_7d > run_km_prev2_7d * (1 + $run_jump_2weeks)
            and run_km_7d - run_km_prev2_7d >= $run_jump_min_km)

    union all
    select athlete_id, 'monotone_runs', 'warn'
    from q_summary
    where
        runs_measured >= $variety_min_runs
        and cv_distance < $variety_cv_distance
        and cv_pace < $variety_cv_pace
        and named_quality_runs = 0
        and fast_runs = 0
)

select
    athlete_id,
    code,
    severity,
    case severity when 'high' then 3 when 'warn' then 2 else 1 end as severity_rank
from raised
