-- Schema version 8: planned sessions, stored apart from the activities that were done.
-- A coach's plan (a generic CSV or an iCalendar file, ingest/plans/importer.py) or the suggestions of
-- `crosstrain plan suggest --apply`. Importing a plan again replaces the athlete's planned sessions on
-- the days it covers (first to last planned day). Local wall-clock times in _local, like activities.
create sequence planned_id_seq start 1;

create table planned_sessions (
    planned_id   bigint not null default nextval('planned_id_seq'),
    athlete_id   integer not null,
    start_local  timestamp not null,    -- planned local start; the day at 00:00 when no time was given
    has_time     boolean not null default true,
    sport_type   varchar not null,      -- as the plan named it (the summary's type for a calendar event)
    category     varchar not null,      -- run, strength, pilates, mobility, cross, other
    name         varchar,
    description  varchar,
    moving_s     double not null,
    distance_m   double,
    rpe          double,
    source       varchar not null,      -- 'csv', 'ics' or 'suggest'
    source_file  varchar,
    created_at   timestamp not null default (now() at time zone 'UTC')
);

-- The last `plan check` stored per athlete (at plan import, `plan suggest --apply` and the dashboard's
-- plan page), so the coach overview shows every athlete's plan findings without projecting 1,000 plans.
create table plan_checks (
    athlete_id  integer not null,
    as_of       date not null,          -- the last day of done history the plan was projected from
    first_day   date not null,
    last_day    date not null,
    findings    json not null,          -- plan check's findings
    high_findings integer not null,     -- how many of them are high, warn; the first one's day
    warn_findings integer not null,
    first_finding date,
    checked_at  timestamp not null default (now() at time zone 'UTC')
);
