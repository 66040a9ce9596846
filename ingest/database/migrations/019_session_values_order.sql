-- Schema version 19: session values are written older first, the last RECENT_DAYS days after them
-- (ingest/database/session_values.py), so a reader of the last weeks skips the row groups of the
-- older sessions. Values stored before this version are in the order they were computed in: computed
-- again, and written in that order, by the next refresh.
delete from session_values_state;
