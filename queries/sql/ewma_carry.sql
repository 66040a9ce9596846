-- EWMA state carried in from older history. Grain: one row per athlete in q_scope: the EWMAs of daily
-- load at the end of day $end, from every session up to $end (zero without sessions).
-- Parameters: $end (local date, inclusive); $a_fit, $a_fat (fitness and fatigue: alpha = 1 - e^(-1/N),
--   N = 42 and 7); $a_acute, $a_chronic (EWMA ACWR, Williams et al. 2017: alpha = 2 / (N + 1), N = 7
--   and 28); $acwr_model (the acute and chronic EWMAs are summed only when it is 'ewma': they cost as
--   much as fitness and fatigue and nothing reads them otherwise).
-- Relations: q_scope, session_history (session_load.sql's rows up to $end, which the engine supplies as
--   a common table expression: one aggregate pass over the sessions, nothing materialised per session).
-- Every EWMA is seeded at 0 before the first session, in closed form (see metrics.sql):
--   F($end) = a sum_s (1 - a)^($end - s) L(s); every factor is <= 1, so no overflow however long the
--   history. metrics.sql and metrics_today.sql continue from this state for the days after $end.
-- Sessions are summed per athlete first and the sums joined to the scope (a join of 1,000 rows, not of
-- every session).
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
        athlete_id,
        $a_fit * sum(load * power(1 - $a_fit, date_diff('day', day, cast($end as date)))) as fitness,
        $a_fat * sum(load * power(1 - $a_fat, date_diff('day', day, cast($end as date)))) as fatigue,
        $a_acute * sum(
            case when $acwr_model = 'ewma' then load * power(1 - $a_acute, date_diff('day', day, cast($end as date))) end
        ) as acute,
        $a_chronic * sum(
            case when $acwr_model = 'ewma' then load * power(1 - $a_chronic, date_diff('day', day, cast($end as date))) end
        ) as chronic
    from session_history
    group by athlete_id
) as s on s.athlete_id = sc.athlete_id
