-- Schema version 18: each athlete's sessions summed per calendar month, stored with their session
-- values (017) in the same refresh, under the same marker and basis (ingest/database/session_values.py).
-- What reads the whole history (athlete_history.sql's first, last and last support day, the latest
-- HRmax, and ewma_carry.sql's EWMA state carried in from three years of sessions) then reads a few dozen
-- month rows per athlete and the sessions of the one or two months a window cuts, not every session.
-- One row per athlete per calendar month with a counted session (queries/sql/session_months.sql).
create table if not exists session_months (
    athlete_id         integer not null,
    month              date not null,     -- the month's first day
    first_start        timestamp not null,
    last_start         timestamp not null,
    last_support_start timestamp,         -- the month's last session of a support-work category (null: none)
    hr_max             double,            -- the largest session HRmax of the month
    fit                double,            -- sum of load x (1 - a_fit)^(days to the month's last day)
    fat                double,            -- the same with a_fat, a_acute, a_chronic
    acute              double,
    chronic            double
);

-- Values stored before this version have no months: computed again by the next refresh.
delete from session_values_state;
