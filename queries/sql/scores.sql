-- Metric formulas, written once. Grain: one row per row of `windows` (metrics.sql: one per athlete per
-- day; metrics_today.sql: one per athlete on one day), its columns plus the scored metrics.
-- Parameters: $acwr_model ('rolling' or 'ewma'); $a_acute, $a_chronic (the EWMA ACWR's alphas). Relations: windows (metrics.sql or
--   metrics_today.sql, which the engine supplies as a common table expression).
-- Monotony (Foster 1998) = mean / population SD of the last 7 daily loads; 10 when the SD is 0 and the
--   mean > 0 (10 is also the ceiling); 0 without load. Strain (Foster 1998) = 7-day load x monotony.
-- ACWR, rolling (Gabbett 2016) = 7-day load / (28-day load / 4), null when the 28-day load is 0;
--   EWMA (Williams et al. 2017) = acute EWMA / chronic EWMA, null when the chronic EWMA is 0. Both EWMAs
--   start from 0 before the athlete's first day, so after n days (ewma_days) each holds only
--   1 - (1 - a)^n of the weight a full history gives: each is divided by that (the zero seed's missing
--   weight removed: a weighted mean of the days so far), so a perfectly constant load reads 1.0 from
--   the first day (unseeded it read 1.16 on day 28). Long histories are unchanged ((1 - a)^n -> 0).
--   Both ratios are "coupled": the acute days are part of the chronic window, as in the studies the
--   thresholds come from (Gabbett 2016; Williams et al. 2017). Lolli et al. 2019 showed coupling makes
--   acute and chronic load correlate spuriously; Windt & Gabbett 2018 showed the uncoupled rolling
--   ratio is a fixed function of the coupled one (3C / (4 - C)), so the choice moves the thresholds,
--   not the order of athletes. crosstrain keeps the coupled form the thresholds were read on.
-- Support share = minutes of the support categories / all minutes, last 28 days; 0 without minutes.
-- Run share = running minutes / all minutes, last 28 days; 0 without minutes.
-- (No WITH clause of its own: the engine puts `windows` in front of it.)
select
    *,
    load_7d * monotony as strain,
    case
        when $acwr_model = 'ewma' then
            case
                when chronic > 0 then
                    (acute / (1 - power(1 - $a_acute, greatest(coalesce(ewma_days, 1), 1))))
                    / (chronic / (1 - power(1 - $a_chronic, greatest(coalesce(ewma_days, 1), 1))))
            end
        when load_28d > 0 then load_7d / (load_28d / 4.0)
    end as acwr,
    case when minutes_28d > 0 then support_minutes_28d / minutes_28d else 0.0 end as support_share,
    case when minutes_28d > 0 then run_minutes_28d / minutes_28d else 0.0 end as run_share
from (
    select
        *,
        case
            when load_7d <= 0 then 0.0
            when sd_7d <= 1e-9 * mean_7d then 10.0
            else least(mean_7d / sd_7d, 10.0)
        end as monotony
    from windows
) as scored
