-- Daily windows. Grain: one row per athlete per day of q_daily_load (the calendar [$start, $end]): the
-- rolling sums and EWMAs every metric is scored from (scores.sql holds the formulas, shared with
-- metrics_today.sql). Rolling windows look back 27 days: rows before $start + 27 see a partial window,
-- so callers start the calendar 27 days before the first day they read.
-- Parameters: $start (first calendar day); $a_fit, $a_fat (fitness, fatigue: alpha = 1 - e^(-1/N),
--   N = 42 and 7); $a_acute, $a_chronic (EWMA ACWR, Williams et al. 2017: alpha = 2 / (N + 1), N = 7 and
--   28; computed only when $acwr_model is 'ewma', else 0); $block_days (EWMA block length).
-- Relations: q_daily_load, q_athlete_history(athlete_id, first_day), q_session_load (sessions from some day on, through the calendar),
--   q_ewma_carry(athlete_id, day, fitness, fatigue, acute, chronic) (ewma_carry.sql: the state at the
--   end of the day before q_session_load's first day, from every older session; 0 when q_session_load
--   holds the whole history).
--
-- Windows: 7 days = the day and the 6 before; 28 days = the day and the 27 before; days without
--   sessions count as 0. run_km_prev_7d, run_km_prev2_7d = run km of the 7 days before the last 7, and
--   of the 7 before those (week-on-week progression over the last two weeks).
-- EWMAs of daily load seeded at 0 before the athlete's first day, F(t) = (1 - a) F(t-1) + a L(t), i.e.
--   F(t) = a sum_s (1 - a)^(t - s) L(s): fitness and fatigue (the performance-management chart of
--   Coggan on Banister's 1991 model) and the acute and chronic loads of the EWMA ACWR. Computed
--   without recursion: the value the day before each block of $block_days days is that closed-form sum
--   over every earlier session (factors <= 1): the carried state decayed to that day,
--   F(c) (1 - a)^(b - 1 - c), plus the sum over the sessions of q_session_load before the block; and
--   inside a block F(t) = (1 - a)^(t - b + 1) [F(b - 1) + a sum_{b <= s <= t} (1 - a)^(b - 1 - s) L(s)],
--   a running sum whose factors stay below e^($block_days/N); blocks are 100 x the smallest N long
--   (700 days for N = 7), so they stay below e^100.
-- Form = fitness - fatigue of the previous day.
-- ewma_days: days from the athlete's first activity (q_athlete_history.first_day) to the day, both
--   counted: scores.sql divides each ACWR EWMA by the weight its zero seed leaves out, so that a constant
--   load reads 1.0 from the first day.
with days as (
    select
        d.*,
        cast(floor(date_diff('day', cast($start as date), d.day) / $block_days) as integer) as block,
        date_diff('day', h.first_day, d.day) + 1 as ewma_days
    from q_daily_load d
    left join q_athlete_history h on h.athlete_id = d.athlete_id
),

blocks as (
    select athlete_id, block, min(day) as block_start
    from days
    group by athlete_id, block
),

seed as (
    select
        b.athlete_id,
        b.block,
        b.block_start,
        c.fitness * power(1 - $a_fit, date_diff('day', c.day, b.block_start) - 1)
        + $a_fit * coalesce(sum(s.load * power(1 - $a_fit, date_diff('day', s.day, b.block_start) - 1)), 0)
            as fitness_0,
        c.fatigue * power(1 - $a_fat, date_diff('day', c.day, b.block_start) - 1)
        + $a_fat * coalesce(sum(s.load * power(1 - $a_fat, date_diff('day', s.day, b.block_start) - 1)), 0)
            as fatigue_0,
        c.acute * power(1 - $a_acute, date_diff('day', c.day, b.block_start) - 1)
        + $a_acute
        * coalesce(sum(s.load * power(1 - $a_acute, date_diff('day', s.day, b.block_start) - 1)), 0)
            as acute_0,
        c.chronic * power(1 - $a_chronic, date_diff('day', c.day, b.block_start) - 1)
        + $a_chronic
        * coalesce(sum(s.load * power(1 - $a_chronic, date_diff('day', s.day, b.block_start) - 1)), 0)
            as chronic_0
    from blocks b
    join q_ewma_carry c on c.athlete_id = b.athlete_id
    left join q_session_load s on s.athlete_id = b.athlete_id and s.day < b.block_start
    group by b.athlete_id, b.block, b.block_start, c.day, c.fitness, c.fatigue, c.acute, c.chronic
),

ewma as (
    select
        d.athlete_id,
        d.day,
        d.load,
        d.minutes,
        d.support_minutes,
        d.run_minutes,
        d.run_km,
        d.ewma_days,
        power(1 - $a_fit, date_diff('day', sd.block_start, d.day) + 1) * (
            sd.fitness_0 + $a_fit * sum(d.load * power(1 - $a_fit, date_diff('day', d.day, sd.block_start) - 1))
                over w_block
        ) as fitness,
        power(1 - $a_fat, date_diff('day', sd.block_start, d.day) + 1) * (
            sd.fatigue_0 + $a_fat * sum(d.load * power(1 - $a_fat, date_diff('day', d.day, sd.block_start) - 1))
                over w_block
        ) as fatigue,
        case when $acwr_model = 'ewma' then
            power(1 - $a_acute, date_diff('day', sd.block_start, d.day) + 1) * (
                sd.acute_0
                + $a_acute * sum(d.load * power(1 - $a_acute, date_diff('day', d.day, sd.block_start) - 1))
                    over w_block
            )
        else 0 end as acute,
        case when $acwr_model = 'ewma' then
            power(1 - $a_chronic, date_diff('day', sd.block_start, d.day) + 1) * (
                sd.chronic_0
                + $a_chronic * sum(d.load * power(1 - $a_chronic, date_diff('day', d.day, sd.block_start) - 1))
                    over w_block
            )
        else 0 end as chronic
    from days d
    join seed sd on sd.athlete_id = d.athlete_id and sd.block = d.block
    window w_block as (
        partition by d.athlete_id, d.block order by d.day rows between unbounded preceding and current row
    )
),

rolling as (
    select
        *,
        sum(load) over w7 as load_7d,
        avg(load) over w7 as mean_7d,
        stddev_pop(load) over w7 as sd_7d,
        sum(load) over w28 as load_28d,
        sum(minutes) over w28 as minutes_28d,
        sum(support_minutes) over w28 as support_minutes_28d,
        sum(run_minutes) over w28 as run_minutes_28d,
        sum(case when minutes > 0 or load > 0 then 1 else 0 end) over w28 as active_days_28d,
        sum(run_km) over w7 as run_km_7d,
        lag(fitness) over w_all - lag(fatigue) over w_all as form
    from ewma
    window
        w7 as (partition by athlete_id order by day rows between 6 preceding and current row),
        w28 as (partition by athlete_id order by day rows between 27 preceding and current row),
        w_all as (partition by athlete_id order by day)
)

select
    athlete_id,
    day,
    load,
    load_7d,
    mean_7d,
    sd_7d,
    load_28d,
    minutes_28d,
    support_minutes_28d,
    run_minutes_28d,
    active_days_28d,
    run_km_7d,
    lag(run_km_7d, 7) over (partition by athlete_id order by day) as run_km_prev_7d,
    lag(run_km_7d, 14) over (partition by athlete_id order by day) as run_km_prev2_7d,
    fitness,
    fatigue,
    coalesce(form, 0) as form,
    acute,
    chronic,
    ewma_days
from rolling
