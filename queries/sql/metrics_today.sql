-- Metrics on one day. Grain: one row per athlete in q_scope, on the day $as_of only: the columns of
-- metrics.sql that summary.sql reads, as plain aggregates over the last 28 days instead of daily
-- window functions over a calendar (compare reads one day for every athlete; metrics.sql serves the
-- daily series). Formulas and sources as in metrics.sql:
--   monotony (Foster 1998) = mean / population SD of the 7 daily loads [$as_of - 6, $as_of] (days
--   without sessions count as 0); 10 when the SD is 0 and the mean > 0 (10 is also the ceiling); 0
--   without load. Strain = 7-day load x monotony. ACWR (Gabbett 2016) = 7-day load / (28-day load / 4),
--   null when the 28-day load is 0. Support share = (strength + pilates + mobility minutes) / all
--   minutes over 28 days, 0 without minutes. Run km over the 7 days ending $as_of, $as_of - 7 and
--   $as_of - 14 (Nielsen 2014 progression).
--   Fitness, fatigue (Banister 1991): one step of F(t) = (1 - a) F(t-1) + a L(t) from the state at the
--   end of $as_of - 1 (q_ewma_carry); form = that previous day's fitness - fatigue.
-- Parameters: $as_of (date), $a_fit, $a_fat (EWMA alpha = 1 - e^(-1/N), N = 42 and 7).
-- Relations: q_scope, q_session_load (at least [$as_of - 27, $as_of]), q_ewma_carry (ewma_carry.sql
--   at $as_of - 1).
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
        athlete_id,
        sum(case when day = cast($as_of as date) then load else 0 end) as load_today,
        sum(load) as load_28d,
        sum(minutes) as minutes_28d,
        sum(case when category in ('strength', 'pilates', 'mobility') then minutes else 0 end)
            as support_minutes_28d,
        sum(case when category = 'run' and day >= cast($as_of as date) - 6 then distance_km else 0 end)
            as run_km_7d,
        sum(
            case
                when category = 'run' and day between cast($as_of as date) - 13 and cast($as_of as date) - 7
                    then distance_km
                else 0
            end
        ) as run_km_prev_7d,
        sum(
            case
                when category = 'run' and day between cast($as_of as date) - 20 and cast($as_of as date) - 14
                    then distance_km
                else 0
            end
        ) as run_km_prev2_7d
    from q_session_load
    where day between cast($as_of as date) - 27 and cast($as_of as date)
    group by athlete_id
),

scored as (
    select
        *,
        case
            when load_7d <= 0 then 0.0
            when sd_7d <= 1e-9 * mean_7d then 10.0
            else least(mean_7d / sd_7d, 10.0)
        end as monotony
    from week
)

select
    sc.athlete_id,
    cast($as_of as date) as day,
    coalesce(w.load_today, 0) as load,
    k.load_7d,
    coalesce(w.load_28d, 0) as load_28d,
    k.monotony,
    k.load_7d * k.monotony as strain,
    case when w.load_28d > 0 then k.load_7d / (w.load_28d / 4.0) end as acwr,
    (1 - $a_fit) * c.fitness + $a_fit * coalesce(w.load_today, 0) as fitness,
    (1 - $a_fat) * c.fatigue + $a_fat * coalesce(w.load_today, 0) as fatigue,
    c.fitness - c.fatigue as form,
    case when w.minutes_28d > 0 then w.support_minutes_28d / w.minutes_28d else 0.0 end as support_share,
    coalesce(w.run_km_7d, 0) as run_km_7d,
    coalesce(w.run_km_prev_7d, 0) as run_km_prev_7d,
    coalesce(w.run_km_prev2_7d, 0) as run_km_prev2_7d
from q_scope sc
join scored k on k.athlete_id = sc.athlete_id
join q_ewma_carry c on c.athlete_id = sc.athlete_id
left join window_28 w on w.athlete_id = sc.athlete_id
