-- EWMA state carried in from older history. Grain: one row per athlete in q_scope: the EWMAs of daily
-- load at the end of day $end, from every session up to $end (zero without sessions).
-- Parameters: $from, $end (local dates, inclusive: the days session_history holds); $a_fit, $a_fat
--   (fitness and fatigue: alpha = 1 - e^(-1/N), N = 42 and 7); $a_acute, $a_chronic (EWMA ACWR,
--   Williams et al. 2017: alpha = 2 / (N + 1), N = 7 and 28); $acwr_model (the acute and chronic EWMAs
--   are summed only when it is 'ewma': they cost as much as fitness and fatigue and nothing reads
--   them otherwise).
-- Relations: q_scope, session_history (session_load.sql's rows up to $end, which the engine supplies as
--   a common table expression: one aggregate pass over the sessions, nothing materialised per session).
-- Every EWMA is seeded at 0 before the first session, in closed form (see metrics.sql):
--   F($end) = a sum_s (1 - a)^($end - s) L(s); every factor is <= 1, so no overflow however long the
--   history. metrics.sql and metrics_today.sql continue from this state for the days after $end.
-- Sessions are summed per athlete first and the sums joined to the scope (a join of 1,000 rows, not of
-- every session). Each factor (1 - a)^days is computed once per day of [$from, $end] and joined to the
-- sessions by their days before $end: the same power() of the same numbers as per session, so the same
-- terms bit for bit, at a thousand power() calls instead of one per session (a million for 1,000
-- athletes' three years: most of this query's time).
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
        h.athlete_id,
        $a_fit * sum(h.load * f.fit) as fitness,
        $a_fat * sum(h.load * f.fat) as fatigue,
        $a_acute * sum(h.load * f.acute) as acute,
        $a_chronic * sum(h.load * f.chronic) as chronic
    from session_history h
    join (
        select
            d.days,
            power(1 - $a_fit, d.days) as fit,
            power(1 - $a_fat, d.days) as fat,
            case when $acwr_model = 'ewma' then power(1 - $a_acute, d.days) end as acute,
            case when $acwr_model = 'ewma' then power(1 - $a_chronic, d.days) end as chronic
        from (
            select unnest(generate_series(0, date_diff('day', cast($from as date), cast($end as date)))) as days
        ) as d
    ) as f on f.days = date_diff('day', h.day, cast($end as date))
    group by h.athlete_id
) as s on s.athlete_id = sc.athlete_id
