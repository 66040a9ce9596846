-- Schema version 14: why an activity counts in no metric when crosstrain, not the user, excluded it.
-- activities.excluded_reason: set by the plausibility table's exclusions (ingest/database/plausibility.py
--   EXCLUSIONS: a strength session of 7 to 18 hours is a timer left running); the activity is stored with
--   excluded = true unless the user's correction says otherwise (`activities set ID --include`).
alter table activities add column if not exists excluded_reason varchar;
