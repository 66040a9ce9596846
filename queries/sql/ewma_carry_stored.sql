-- EWMA state carried in, from the stored values (engine.STORED: only when every scope athlete's are
-- current). Grain: one row per athlete in q_scope, ewma_carry.sql's columns: the same sum over the
-- sessions of [$from, $end], grouped by month (so the last bits may differ from the computed step's
-- order). Parameters: ewma_carry.sql's ($from, $end, $a_fit, $a_fat, $a_acute, $a_chronic, $acwr_model).
-- Relations: q_scope, session_months (migration 018: each month's loads weighted to its last day,
--   session_months.sql), session_values (each session's stored row).
-- The months wholly inside [$from, $end] (from F = last_day($from - 1) + 1, the first month starting
-- on or after $from, to L = the last month's end on or before $end) count as their sums x
-- (1 - a)^(days from the month's last day to $end); the sessions of the days the window cuts at
-- either end count one by one, as in ewma_carry.sql: [$from, least(F - 1, $end)] and
-- [greatest(L + 1, F), $end] (every day of [$from, $end] outside [F, L] once, also when no month is
-- whole and F > L), one scan with the two ranges (two scans, a union, measured slower).
select
    sc.athlete_id,
    cast($end as date) as day,
    coalesce(s.fitness, 0) as fitness,
    coalesce(s.fatigue, 0) as fatigue,
    coalesce(s.acute, 0) as acute,
    coalesce(s.chronic, 0) as chronic
from q_scope sc
left join (
    select
        x.athlete_id,
        $a_fit * sum(x.fit) as fitness,
        $a_fat * sum(x.fat) as fatigue,
        $a_acute * sum(case when $acwr_model = 'ewma' then x.acute end) as acute,
        $a_chronic * sum(case when $acwr_model = 'ewma' then x.chronic end) as chronic
    from (
        select
            v.athlete_id,
            v.load * power(1 - $a_fit, date_diff('day', v.day, cast($end as date))) as fit,
            v.load * power(1 - $a_fat, date_diff('day', v.day, cast($end as date))) as fat,
            v.load * power(1 - $a_acute, date_diff('day', v.day, cast($end as date))) as acute,
            v.load * power(1 - $a_chronic, date_diff('day', v.day, cast($end as date))) as chronic
        from session_values v
        where
            v.athlete_id in (select athlete_id from q_scope) and (
                v.day between cast($from as date) and least(last_day(cast($from as date) - 1), cast($end as date))
                or v.day between greatest(
                    cast(date_trunc('month', cast($end as date) + 1) as date), last_day(cast($from as date) - 1) + 1
                ) and cast($end as date)
            )
        union all
        select
            v.athlete_id,
            power(1 - $a_fit, date_diff('day', last_day(v.month), cast($end as date))) * v.fit,
            power(1 - $a_fat, date_diff('day', last_day(v.month), cast($end as date))) * v.fat,
            power(1 - $a_acute, date_diff('day', last_day(v.month), cast($end as date))) * v.acute,
            power(1 - $a_chronic, date_diff('day', last_day(v.month), cast($end as date))) * v.chronic
        from session_months v
        where
            v.athlete_id in (select athlete_id from q_scope) and v.month
            between last_day(cast($from as date) - 1) + 1
            and cast(date_trunc('month', cast($end as date) + 1) as date) - 1
    ) as x
    group by x.athlete_id
) as s on s.athlete_id = sc.athlete_id
