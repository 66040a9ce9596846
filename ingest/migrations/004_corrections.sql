-- Schema version 4: a user's corrections to activities (`crosstrain activities set`).
-- Keyed by the activity's natural key (athlete, source, id in that source), not by activity_id, so a
-- correction outlives the row: ingest/database/store.py lays it over every re-import or re-sync of the same
-- activity. A null field leaves the imported value alone. The key is kept unique by
-- ingest/database/corrections.py (no index, as for activities: see migration 002).
create table activity_corrections (
    athlete_id  integer not null,
    source      varchar not null,
    source_id   varchar not null,
    category    varchar,            -- run, strength, pilates, mobility, cross, other
    rpe         double,             -- session RPE, CR-10
    excluded    boolean,            -- true: counts in no metric
    updated_at  timestamp not null default (now() at time zone 'UTC')
);
