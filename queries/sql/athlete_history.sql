-- Athlete history. Grain: one row per athlete in q_scope (one pass over the whole history up to $end,
-- shared by session load and the summary; athletes without activities get nulls).
-- Parameters: $end (local date, inclusive); $hr_rest, $hr_max, $trimp_k, $trimp_b (defaults for an
--   athlete without own settings); $trimp_k_m, $trimp_b_m, $trimp_k_f, $trimp_b_f (Banister's men's and
--   women's constants).
-- Relations: activities, athletes(hr_max, hr_rest, sex), q_scope(athlete_id), q_categories,
--   q_session_hr_max (session_hr_max.sql up to $end).
-- Heart-rate settings (Banister 1991 TRIMP): the athlete's own hr_max, hr_rest and sex win. hr_max is
--   the HRmax known on $end (session_hr_max.sql estimates it for each session from the data up to it;
--   session loads use each session's own). TRIMP constants: Banister's for the athlete's sex, else
--   $trimp_k, $trimp_b.
-- first_day, last_day = local days of the first and last activity up to $end; last_day_before_week =
--   the last one before the 7 days ending $end (a break before this week); last_support_day = the last
--   session of a category that counts as support work (strength, Pilates; null: none).
-- Second recordings (twin_of) and excluded activities count nowhere.
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

observed as (
    select
        a.athlete_id,
        min(a.start_local) as first_start,
        max(a.start_local) as last_start,
        max(case when a.start_local < cast($end as date) - 6 then a.start_local end) as last_start_before_week,
        max(case when c.support_work then a.start_local end) as last_support_start
    from activities a
    join q_scope s on s.athlete_id = a.athlete_id
    left join q_categories c on c.category = a.category
    where a.start_local < cast($end as date) + 1 and a.twin_of is null and not a.excluded
    group by a.athlete_id
),

latest_hr_max as (
    -- the estimate only rises with new readings (session_hr_max.sql), so its value at $end is the
    -- largest of the sessions'
    select athlete_id, max(hr_max) as hr_max
    from q_session_hr_max
    group by athlete_id
)

select
    t.athlete_id,
    coalesce(t.set_hr_max, m.hr_max, $hr_max) as hr_max,
    t.hr_rest,
    t.trimp_k,
    t.trimp_b,
    cast(o.first_start as date) as first_day,
    cast(o.last_start as date) as last_day,
    cast(o.last_start_before_week as date) as last_day_before_week,
    cast(o.last_support_start as date) as last_support_day
from athlete t
left join observed o on o.athlete_id = t.athlete_id
left join latest_hr_max m on m.athlete_id = t.athlete_id
