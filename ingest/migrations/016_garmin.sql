-- Schema version 16: Garmin Connect through Garmin's Personal API (ingest/garmin/).
-- Every table carries athlete_id, so an athlete's Garmin link, bookkeeping and cursor move with a
-- merge and go with a delete (ingest/admin/athletes.py). The key and token themselves are never in
-- the database: they live in the keys file (ingest/garmin/keys.py, mode 0600) under `link_id`.
create table if not exists garmin_links (
    athlete_id   integer not null,
    link_id      varchar not null,   -- the athlete's entry in the keys file
    connected_at timestamp
);

-- One row per Garmin activity seen: what it was stored as, so a re-listed activity whose summary
-- did not change costs no download, and a changed one replaces the rows it gave before.
create table if not exists garmin_activities (
    athlete_id   integer not null,
    garmin_id    bigint not null,
    summary_hash varchar not null,   -- md5 of the summary fields crosstrain reads
    stored_as    varchar not null,   -- 'file' (its FIT went through the files importer) | 'summary'
    source       varchar,            -- the activities rows' key: source ('fit', 'gpx', 'tcx', 'garmin')
    source_ids   varchar[],          -- ... and source_id of each session
    synced_at    timestamp
);

-- The cursor: every date window up to `synced_through` is stored; the next sync starts a look-back
-- before it. `first_day` is the earliest day ever listed (where --full starts again).
create table if not exists garmin_cursor (
    athlete_id     integer not null,
    first_day      date not null,
    synced_through date not null
);
