-- Fitness and fatigue carried in from older history. Grain: one row per athlete in q_scope: the EWMA
-- state at the end of day $end, from every session up to $end (zero without sessions).
-- Parameters: $end (local date, inclusive), $a_fit, $a_fat (EWMA alpha = 1 - e^(-1/N), N = 42 and 7).
-- Relations: q_scope, session_history (session_load.sql's rows up to $end, which the engine supplies as
--   a common table expression: one aggregate pass over the sessions, nothing materialised per session).
-- Banister 1991 EWMA seeded at 0 before the first session, in closed form (see metrics.sql):
--   F($end) = a sum_s (1 - a)^($end - s) L(s); every factor is <= 1, so no overflow however long the
--   history. metrics.sql and metrics_today.sql continue from this state for the days after $end.
-- Sessions are summed per athlete first and the sums joined to the scope (a join of 1,000 rows, not of
-- every session).
select
    sc.athlete_id,
    cast($end as date) as day,
    coalesce(s.fitness, 0) as fitness,
    coalesce(s.fatigue, 0) as fatigue
from q_scope sc
left join (
    select
        athlete_id,
        $a_fit * sum(load * power(1 - $a_fit, date_diff('day', day, cast($end as date)))) as fitness,
        $a_fat * sum(load * power(1 - $a_fat, date_diff('day', day, cast($end as date)))) as fatigue
    from session_history
    group by athlete_id
) as s on s.athlete_id = sc.athlete_id
