-- Schema version 19: session values are written by calendar quarter, then athlete and day
-- (ingest/database/session_values.py ORDER), so a reader of the last weeks skips the row groups of the
-- other quarters. Values stored before this version are in the order they were computed in: computed
-- again, and written in that order, by the next refresh.
delete from session_values_state;
