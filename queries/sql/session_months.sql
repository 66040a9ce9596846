-- Each athlete's sessions summed per calendar month, stored with the session values (migration 018) so
-- that the whole-history readers (athlete_history_stored.sql, ewma_carry_stored.sql) read a few dozen
-- rows per athlete. Grain: one row per athlete per month with a session in q_session_load.
-- Parameters: $a_fit, $a_fat, $a_acute, $a_chronic (the EWMA factors, as ewma_carry.sql binds them).
-- Relations: q_session_load (session_load.sql's rows of the refreshed athletes, their whole history),
--   q_categories(category, support_work).
-- first_start, last_start, last_support_start: as athlete_history.sql's, over the month's sessions;
-- hr_max: the largest session HRmax (session_hr_max.sql); fit, fat, acute, chronic: the month's loads
-- each weighted (1 - a)^(days from its day to the month's last day), so the EWMA at a later day E is
-- a x (sum over months of (1 - a)^(E - month's last day) x the month's sum), the terms of
-- ewma_carry.sql grouped by month (the same sum in another order: the last bits may differ).
select
    l.athlete_id,
    cast(date_trunc('month', l.day) as date) as month,
    min(l.start_local) as first_start,
    max(l.start_local) as last_start,
    max(case when c.support_work then l.start_local end) as last_support_start,
    max(l.hr_max) as hr_max,
    sum(l.load * f.fit) as fit,
    sum(l.load * f.fat) as fat,
    sum(l.load * f.acute) as acute,
    sum(l.load * f.chronic) as chronic
from q_session_load l
left join q_categories c on c.category = l.category
join (
    -- each factor once per number of days to a month's end (as ewma_carry.sql: the same power() of the
    -- same numbers as per session, 31 calls instead of one per session)
    select
        d.days,
        power(1 - $a_fit, d.days) as fit,
        power(1 - $a_fat, d.days) as fat,
        power(1 - $a_acute, d.days) as acute,
        power(1 - $a_chronic, d.days) as chronic
    from (select unnest(generate_series(0, 30)) as days) as d
) as f on f.days = date_diff('day', l.day, last_day(l.day))
group by l.athlete_id, cast(date_trunc('month', l.day) as date)
