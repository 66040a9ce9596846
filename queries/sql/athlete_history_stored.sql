-- Athlete history from the stored values (engine.STORED: only when every scope athlete's are current).
-- Grain: one row per athlete in q_scope, athlete_history.sql's columns and values; its `athlete` part
--   is the same text.
-- Parameters: $end (local date, inclusive); $hr_rest, $hr_max, $trimp_k, $trimp_b, $trimp_k_m,
--   $trimp_b_m, $trimp_k_f, $trimp_b_f (as athlete_history.sql).
-- Relations: athletes, q_scope, q_categories(category, support_work), session_months (migration 018:
--   per athlete and month, the first, last and last support session and the largest session HRmax),
--   session_values (each session's stored row).
-- Instead of a pass over the whole history: the months before $end's month whole, and the sessions from
-- the first day of ($end - 7)'s month to $end (one or two months: the 7 days ending $end may start in
-- the month before). last_day_before_week reads the months before ($end - 7)'s month and those
-- sessions up to $end - 7. Minima and maxima, so the order of the parts cannot change a value.
with athlete as (
    select
        s.athlete_id,
        a.hr_max as set_hr_max,
        coalesce(a.hr_rest, $hr_rest) as hr_rest,
        case a.sex when 'f' then $trimp_k_f when 'm' then $trimp_k_m else $trimp_k end as trimp_k,
        case a.sex when 'f' then $trimp_b_f when 'm' then $trimp_b_m else $trimp_b end as trimp_b
    from q_scope s
    join athletes a on a.athlete_id = s.athlete_id
),

parts as (
    select
        v.athlete_id,
        v.first_start,
        v.last_start,
        case
            when v.month < cast(date_trunc('month', cast($end as date) - 7) as date) then v.last_start
        end as before_week,
        v.last_support_start,
        v.hr_max
    from session_months v
    where
        v.athlete_id in (select athlete_id from q_scope) and v.month < cast(date_trunc('month', cast($end as date)) as date)
    union all
    select
        v.athlete_id,
        case when v.day >= cast(date_trunc('month', cast($end as date)) as date) then v.start_local end,
        case when v.day >= cast(date_trunc('month', cast($end as date)) as date) then v.start_local end,
        case when v.day <= cast($end as date) - 7 then v.start_local end,
        case
            when v.day >= cast(date_trunc('month', cast($end as date)) as date) and c.support_work
                then v.start_local
        end,
        case when v.day >= cast(date_trunc('month', cast($end as date)) as date) then v.hr_max end
    from session_values v
    left join q_categories c on c.category = v.category
    where
        v.athlete_id in (select athlete_id from q_scope) and v.day
        between cast(date_trunc('month', cast($end as date) - 7) as date) and cast($end as date)
),

observed as (
    select
        athlete_id,
        min(first_start) as first_start,
        max(last_start) as last_start,
        max(before_week) as last_start_before_week,
        max(last_support_start) as last_support_start,
        max(hr_max) as hr_max
    from parts
    group by athlete_id
)

select
    t.athlete_id,
    coalesce(t.set_hr_max, o.hr_max, $hr_max) as hr_max,
    t.hr_rest,
    t.trimp_k,
    t.trimp_b,
    cast(o.first_start as date) as first_day,
    cast(o.last_start as date) as last_day,
    cast(o.last_start_before_week as date) as last_day_before_week,
    cast(o.last_support_start as date) as last_support_day
from athlete t
left join observed o on o.athlete_id = t.athlete_id
