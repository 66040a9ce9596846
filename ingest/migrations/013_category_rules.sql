-- Schema version 13: a label given to every session of one name and type (`crosstrain activities set ID
-- --category C --same-name`, the athlete page's "all sessions of this name"). ingest/database/corrections.py
-- lays the rule over every later import and sync of the athlete (ingest/database/store.write_activities), after
-- the category rules and before a correction of one activity (which still wins). Type and name are kept
-- as the session wrote them and matched by ingest.categories.key_sql (case, accents and punctuation
-- aside: "M”A”Dabolic day" and "MADabolic Day" are one name). One rule per athlete, type and name, kept
-- so by ingest/database/corrections.py (no index, as for activities: see migration 002).
create table if not exists category_rules (
    athlete_id  integer not null,
    sport_type  varchar not null,
    name        varchar not null,
    type_key    varchar not null,
    name_key    varchar not null,
    category    varchar not null,   -- run, strength, pilates, mobility, cross, other
    updated_at  timestamp not null default (now() at time zone 'UTC')
);
