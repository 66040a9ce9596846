-- Schema version 2: `activities` without index-backed constraints.
-- DuckDB maintains an ART index for every primary key, unique and foreign key constraint, and on a
-- bulk import of a million rows those indexes cost several times the read itself. Uniqueness of
-- (athlete_id, source, source_id) is kept by the one write path (ingest/database/store.py, which anti-joins on
-- that key) and checked by tests/test_store.py; the analytics scan by athlete and date, where DuckDB's
-- zone maps serve better than an index. Ids are numbered by that write path too: a sequence's
-- per-row nextval() is another serial cost on a bulk insert.

create table activities_v2 (
    activity_id      bigint not null,    -- numbered by ingest/database/store.py on insert
    athlete_id       integer not null,
    source           varchar not null,
    source_id        varchar not null,
    strava_id        bigint,
    start_at         timestamp not null,
    start_local      timestamp not null,
    has_time         boolean not null default true,
    sport_type       varchar not null,
    category         varchar not null,
    name             varchar,
    description      varchar,
    moving_s         double,
    elapsed_s        double,
    distance_m       double,
    elevation_gain_m double,
    avg_hr           double,
    max_hr           double,
    rpe              double,
    relative_effort  double,
    raw              json,
    import_id        integer,
    updated_at       timestamp not null default (now() at time zone 'UTC')
);

insert into activities_v2 select * from activities order by athlete_id, start_local;
drop index activities_athlete_start;
drop table activities;
drop sequence activity_id_seq;
alter table activities_v2 rename to activities;
