-- Schema version 6: what hardening needs to record.
-- imports.pid: the process that runs an import or sync, so a later writer can tell one still running from
--   one whose process is gone (marked 'interrupted' by ingest/database/db.py when the database is opened to write).
-- import_rejects.source_id: the rejected record's id in its source (a Strava activity id), where it has one.
alter table imports add column pid integer;
alter table import_rejects add column source_id varchar;
