-- Windows on one day. Grain: one row per athlete in q_scope, on the day $as_of only: the columns of
-- metrics.sql, as plain aggregates over the last 28 days instead of daily window functions over a
-- calendar (compare reads one day for every athlete; metrics.sql serves the daily series). The metrics
-- are scored from these columns by scores.sql, the same formulas as the daily series.
--   7 days = [$as_of - 6, $as_of] (days without sessions count as 0), 28 days = [$as_of - 27, $as_of];
--   run_km_prev_7d, run_km_prev2_7d = run km of [$as_of - 13, $as_of - 7] and [$as_of - 20, $as_of - 14]
--   (week-on-week progression over the last two weeks).
--   EWMAs (fitness, fatigue, acute, chronic): one step of F(t) = (1 - a) F(t-1) + a L(t) from the
--   state at the end of $as_of - 1 (q_ewma_carry); form = that previous day's fitness - fatigue.
--   ewma_days: days from the athlete's first activity to $as_of, both counted (see scores.sql).
-- Parameters: $as_of (date); $a_fit, $a_fat (alpha = 1 - e^(-1/N), N = 42 and 7); $a_acute, $a_chronic
--   (EWMA ACWR, Williams et al. 2017: alpha = 2 / (N + 1), N = 7 and 28).
-- Relations: q_scope, q_athlete_history(athlete_id, first_day), q_session_load (at least [$as_of - 27, $as_of]), q_ewma_carry (ewma_carry.sql
--   at $as_of - 1), q_categories(category, support_share, running).
with week_days as (
    select s.athlete_id, cast(d.day as date) as day
    from q_scope s
    cross join (
        select unnest(generate_series(cast($as_of as date) - 6, cast($as_of as date), interval 1 day)) as day
    ) as d
),

by_day as (
    select athlete_id, day, sum(load) as load
    from q_session_load
    where day between cast($as_of as date) - 6 and cast($as_of as date)
    group by athlete_id, day
),

week as (
    select
        w.athlete_id,
        sum(coalesce(b.load, 0)) as load_7d,
        avg(coalesce(b.load, 0)) as mean_7d,
        stddev_pop(coalesce(b.load, 0)) as sd_7d
    from week_days w
    left join by_day b on b.athlete_id = w.athlete_id and b.day = w.day
    group by w.athlete_id
),

window_28 as (
    select
        l.athlete_id,
        sum(case when l.day = cast($as_of as date) then l.load else 0 end) as load_today,
        sum(l.load) as load_28d,
        sum(l.minutes) as minutes_28d,
        sum(case when c.support_share then l.minutes else 0 end) as support_minutes_28d,
        sum(case when c.running then l.minutes else 0 end) as run_minutes_28d,
        count(distinct case when l.minutes > 0 or l.load > 0 then l.day end) as active_days_28d,
        sum(case when c.running and l.day >= cast($as_of as date) - 6 then l.distance_km else 0 end)
            as run_km_7d,
        sum(
            case
                when c.running and l.day between cast($as_of as date) - 13 and cast($as_of as date) - 7
                    then l.distance_km
                else 0
            end
        ) as run_km_prev_7d,
        sum(
            case
                when c.running and l.day between cast($as_of as date) - 20 and cast($as_of as date) - 14
                    then l.distance_km
                else 0
            end
        ) as run_km_prev2_7d
    from q_session_load l
    left join q_categories c on c.category = l.category
    where l.day between cast($as_of as date) - 27 and cast($as_of as date)
    group by l.athlete_id
)

select
    sc.athlete_id,
    cast($as_of as date) as day,
    coalesce(w.load_today, 0) as load,
    k.load_7d,
    k.mean_7d,
    k.sd_7d,
    coalesce(w.load_28d, 0) as load_28d,
    coalesce(w.minutes_28d, 0) as minutes_28d,
    coalesce(w.support_minutes_28d, 0) as support_minutes_28d,
    coalesce(w.run_minutes_28d, 0) as run_minutes_28d,
    coalesce(w.active_days_28d, 0) as active_days_28d,
    coalesce(w.run_km_7d, 0) as run_km_7d,
    coalesce(w.run_km_prev_7d, 0) as run_km_prev_7d,
    coalesce(w.run_km_prev2_7d, 0) as run_km_prev2_7d,
    (1 - $a_fit) * c.fitness + $a_fit * coalesce(w.load_today, 0) as fitness,
    (1 - $a_fat) * c.fatigue + $a_fat * coalesce(w.load_today, 0) as fatigue,
    c.fitness - c.fatigue as form,
    (1 - $a_acute) * c.acute + $a_acute * coalesce(w.load_today, 0) as acute,
    (1 - $a_chronic) * c.chronic + $a_chronic * coalesce(w.load_today, 0) as chronic,
    date_diff('day', h.first_day, cast($as_of as date)) + 1 as ewma_days
from q_scope sc
join week k on k.athlete_id = sc.athlete_id
join q_ewma_carry c on c.athlete_id = sc.athlete_id
left join window_28 w on w.athlete_id = sc.athlete_id
left join q_athlete_history h on h.athlete_id = sc.athlete_id
