-- Metric formulas, written once. Grain: one row per row of `windows` (metrics.sql: one per athlete per
-- day; metrics_today.sql: one per athlete on one day), its columns plus the scored metrics.
-- Parameters: $acwr_model ('rolling' or 'ewma'). Relations: windows (metrics.sql or
--   metrics_today.sql, which the engine supplies as a common table expression).
-- Monotony (Foster 1998) = mean / population SD of the last 7 daily loads; 10 when the SD is 0 and the
--   mean > 0 (10 is also the ceiling); 0 without load. Strain (Foster 1998) = 7-day load x monotony.
-- ACWR, rolling (Gabbett 2016) = 7-day load / (28-day load / 4), null when the 28-day load is 0;
--   EWMA (Williams et al. 2017) = acute EWMA / chronic EWMA, null when the chronic EWMA is 0.
-- Support share = minutes of the support categories / all minutes, last 28 days; 0 without minutes.
-- Run share = running minutes / all minutes, last 28 days; 0 without minutes.
-- (No WITH clause of its own: the engine puts `windows` in front of it.)
select
    *,
    load_7d * monotony as strain,
    case
        when $acwr_model = 'ewma' then case when chronic > 0 then acute / chronic end
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
