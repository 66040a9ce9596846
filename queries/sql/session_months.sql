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
    sum(l.load * power(1 - $a_fit, date_diff('day', l.day, last_day(l.day)))) as fit,
    sum(l.load * power(1 - $a_fat, date_diff('day', l.day, last_day(l.day)))) as fat,
    sum(l.load * power(1 - $a_acute, date_diff('day', l.day, last_day(l.day)))) as acute,
    sum(l.load * power(1 - $a_chronic, date_diff('day', l.day, last_day(l.day)))) as chronic
from q_session_load l
left join q_categories c on c.category = l.category
group by l.athlete_id, cast(date_trunc('month', l.day) as date)
