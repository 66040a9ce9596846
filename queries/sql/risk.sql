-- Summary with its risk level. Grain: one row per athlete in q_summary, in no order: callers sort them
-- (queries/report.py `_order_key`: active athletes first, highest risk first, then the lowest support
-- share, then by name; then the inactive ones, the most recently active first; sorting one wide row in
-- SQL cost a report ~1 ms).
-- Rule: "inactive" when the athlete has no activity in the last $inactive_days days (see summary.sql);
-- else red when any warning is high or at least $risk_red_warns are warn; amber when any is warn; green
-- otherwise (info warnings such as acwr_low do not raise the risk). Crosstrain's convention.
-- Parameters: $risk_red_warns. Relations: q_summary, q_warnings.
-- The rank is worked out on the athlete's id alone and joined to the summary's row once: each of the
-- summary's ~60 columns passed through a step costs planning time (one wide pass instead of two).
with ranked as (
    select
        s.athlete_id,
        case
            when not s.active then 0
            when
                sum(case when w.severity = 'high' then 1 else 0 end) > 0
                or sum(case when w.severity = 'warn' then 1 else 0 end) >= $risk_red_warns
                then 3
            when sum(case when w.severity = 'warn' then 1 else 0 end) > 0 then 2
            else 1
        end as risk_rank
    from q_summary s
    left join q_warnings w on w.athlete_id = s.athlete_id
    group by s.athlete_id, s.active
)

select
    s.*,
    r.risk_rank,
    case r.risk_rank when 0 then 'inactive' when 3 then 'red' when 2 then 'amber' else 'green' end as risk
from q_summary s
join ranked r on r.athlete_id = s.athlete_id
