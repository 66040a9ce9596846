-- Summary with its risk level. Grain: one row per athlete in q_summary, highest risk first, then the
-- lowest support share, then by name.
-- Rule: red when any warning is high or at least $risk_red_warns are warn; amber when any is warn;
-- green otherwise (info warnings such as acwr_low do not raise the risk).
-- Parameters: $risk_red_warns. Relations: q_summary, q_warnings.
with counted as (
    select
        s.athlete_id,
        sum(case when w.severity = 'high' then 1 else 0 end) as highs,
        sum(case when w.severity = 'warn' then 1 else 0 end) as warns
    from q_summary s
    left join q_warnings w on w.athlete_id = s.athlete_id
    group by s.athlete_id
)

select
    s.*,
    case
        when highs > 0 or warns >= $risk_red_warns then 'red'
        when warns > 0 then 'amber'
        else 'green'
    end as risk,
    case when highs > 0 or warns >= $risk_red_warns then 3 when warns > 0 then 2 else 1 end as risk_rank
from q_summary s
join counted c on c.athlete_id = s.athlete_id
order by risk_rank desc, s.support_share, s.athlete
