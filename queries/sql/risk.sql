-- Summary with its risk level. Grain: one row per athlete in q_summary, in no order: callers sort them
-- (queries/report.py `_order_key`: active athletes first, highest risk first, then the lowest support
-- share, then by name; then the inactive ones, the most recently active first; sorting one wide row in
-- SQL cost a report ~1 ms).
-- Rule: "inactive" when the athlete has no activity in the last $inactive_days days (see summary.sql);
-- else red when any warning is high or at least $risk_red_warns are warn; amber when any is warn; green
-- otherwise (info warnings such as acwr_low do not raise the risk). Crosstrain's convention.
-- Parameters: $risk_red_warns. Relations: q_summary, q_warnings.
with counted as (
    select
        s.athlete_id,
        sum(case when w.severity = 'high' then 1 else 0 end) as highs,
        sum(case when w.severity = 'warn' then 1 else 0 end) as warns
    from q_summary s
    left join q_warnings w on w.athlete_id = s.athlete_id
    group by s.athlete_id
),

ranked as (
    select
        s.*,
        case
            when not s.active then 0
            when c.highs > 0 or c.warns >= $risk_red_warns then 3
            when c.warns > 0 then 2
            else 1
        end as risk_rank
    from q_summary s
    join counted c on c.athlete_id = s.athlete_id
)

select
    *,
    case risk_rank when 0 then 'inactive' when 3 then 'red' when 2 then 'amber' else 'green' end as risk
from ranked
