-- Schema version 1: athletes, their activities, and a record of every import and sync.
-- Units are in column names; UTC timestamps end in _at, local wall-clock times in _local.

create sequence athlete_id_seq start 1;
create sequence activity_id_seq start 1;
create sequence import_id_seq start 1;

create table athletes (
    athlete_id   integer primary key default nextval('athlete_id_seq'),
    name         varchar not null unique,
    strava_id    bigint unique,          -- Strava's athlete id once connected
    timezone     varchar,                -- IANA zone used for CSV times without offset
    created_at   timestamp not null default (now() at time zone 'UTC')
);

-- One row per import of a file or per Strava sync run.
create table imports (
    import_id     integer primary key default nextval('import_id_seq'),
    kind          varchar not null,      -- 'csv', 'zip', 'strava_sync'
    path          varchar,               -- file name or 'strava'
    format        varchar,               -- 'strava', 'garmin', 'generic', 'strava_api'
    athlete_id    integer,
    started_at    timestamp not null,
    finished_at   timestamp,
    rows_new      integer not null default 0,
    rows_updated  integer not null default 0,
    rows_duplicate integer not null default 0,
    rows_rejected integer not null default 0,
    rows_deleted  integer not null default 0,
    status        varchar not null default 'running'  -- 'running', 'ok', 'failed'
);

-- Rows of an import that could not be read: where and why.
create table import_rejects (
    import_id  integer not null,
    file       varchar not null,
    line       integer,
    "column"   varchar,
    reason     varchar not null
);

create table activities (
    activity_id      bigint primary key default nextval('activity_id_seq'),
    athlete_id       integer not null references athletes (athlete_id),
    source           varchar not null,   -- origin system: 'strava', 'garmin', 'generic'
    source_id        varchar not null,   -- id in that system, or a content hash where it has none
    strava_id        bigint,             -- Strava activity id when known (API or Strava export)
    start_at         timestamp not null, -- UTC
    start_local      timestamp not null, -- athlete's wall-clock time
    has_time         boolean not null default true,  -- false when the source gave only a date
    sport_type       varchar not null,   -- as the source named it
    category         varchar not null,   -- run, strength, pilates, mobility, cross, other
    name             varchar,
    description      varchar,
    moving_s         double,
    elapsed_s        double,
    distance_m       double,
    elevation_gain_m double,
    avg_hr           double,
    max_hr           double,
    rpe              double,             -- session RPE 1-10
    relative_effort  double,             -- Strava relative effort / suffer score
    raw              json,               -- the source's raw record (Strava API summary)
    import_id        integer,
    updated_at       timestamp not null default (now() at time zone 'UTC'),
    unique (athlete_id, source, source_id)
);

create index activities_athlete_start on activities (athlete_id, start_local);
