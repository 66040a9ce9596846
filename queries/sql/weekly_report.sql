-- Weeks of the report. Grain: one row per athlete per ISO week of q_weekly_balance from $start on: the
-- week's run km and load, and monotony and strain as the rolling 7-day values on the week's last day
-- counted (its Sunday, or $end for the current week), which for a whole week is Foster's weekly
-- monotony. Minutes and sessions by category are q_weekly_balance's own rows.
-- Parameters: $start (the first week's Monday: q_weekly_balance may begin earlier), $end.
-- Relations: q_weekly_balance, q_metrics.
with weekly as (
    select athlete_id, week, sum(run_km) as run_km, sum(load) as load
    from q_weekly_balance
    where week >= cast($start as date)
    group by athlete_id, week
)

select
    w.*,
    coalesce(m.monotony, 0) as monotony,
    coalesce(m.strain, 0) as strain
from weekly w
left join q_metrics m
    on m.athlete_id = w.athlete_id and m.day = least(w.week + 6, cast($end as date))
