-- Schema version 17: each session's values stored at write time (ingest/database/session_values.py).
-- What queries/sql/session_hr_max.sql, session_intensity.sql and session_load.sql compute for a session
-- depends only on that session, the sessions before it, the athlete's row and the settings, so after a
-- write the values of the athletes it touched are computed once (queries/session_values.py, the same
-- SQL files) and kept here; the coach overview and the EWMA carry then read one table instead of
-- recomputing every session of the history. A reader uses them only when the athlete's marker (its
-- athlete_versions tokens and heart-rate settings, as now) and the basis (a hash of the settings, the
-- SQL texts and the DuckDB version that shaped them) equal what they were computed at; else it
-- computes as before. So a write without a refresh, a changed setting, SQL file or DuckDB can never
-- serve stale values.
-- Both tables carry athlete_id, so their rows move with a merge and go with a delete (the marker then
-- differs: the next refresh replaces them).
-- One row per counted session (session_load.sql's row: twins and excluded activities have none).
create table if not exists session_values (
    athlete_id  integer not null,
    activity_id bigint not null,
    day         date not null,       -- the local day the session started on
    start_local timestamp not null,
    category    varchar,
    sport_type  varchar,
    name        varchar,
    minutes     double,              -- the minutes it counts (session_intensity.sql: whole session for strength, Pilates, mobility)
    distance_km double,
    load        double,              -- session_load.sql's load (arbitrary units)
    load_source varchar,             -- rpe | hr_samples | hr_avg | default
    hr_max      double,              -- the session's HRmax (session_hr_max.sql)
    rpe         double               -- the RPE that set the load, else null
);

-- One row per athlete whose values are stored: the marker and basis they were computed at.
create table if not exists session_values_state (
    athlete_id  integer not null,
    marker      varchar not null,
    basis       varchar not null
);
