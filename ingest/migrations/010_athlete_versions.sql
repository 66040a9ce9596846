-- Schema version 10: a change marker per athlete (ingest/database/versions.py).
-- Every write that changes what the analytics read of an athlete's activities (their rows, the files
-- attached to them) gives the athlete a new random token here, in the writer's own transaction. A
-- reader that keeps results between calls (the dashboard's coach overview, queries/overview_cache.py)
-- recomputes only the athletes whose token, or whose row in `athletes`, changed. No constraints: a
-- merge moves the source's rows to the target like every athlete_id table (so the target's marker
-- changes), a delete removes them.
create table athlete_versions (
    athlete_id integer not null,
    version    varchar not null     -- a random UUID, new on every write
);

insert into athlete_versions select athlete_id, cast(gen_random_uuid() as varchar) from athletes;
