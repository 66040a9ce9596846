-- One page of GET /api/v3/athlete/activities, mapped to the staged shape of ingest.store.STAGED_COLUMNS.
-- Grain: one row per SummaryActivity in the page. Parameters: $athlete_id, $page (the JSON array as text).
-- A summary has no description and usually no perceived exertion: those keep what a Strava export
-- (same source and id) already stored instead of being blanked.
create or replace temp table _strava_page as
with source as (
    select unnest(json_extract($page::json, '$[*]')) as j
),
renamed as (
    select
        $athlete_id::integer as athlete_id,
        'strava' as source,
        j ->> 'id' as source_id,
        (j ->> 'id')::bigint as strava_id,
        timezone('UTC', (j ->> 'start_date')::timestamptz) as start_at,
        -- Strava writes local wall-clock time with a misleading 'Z'; the cast ignores it
        (j ->> 'start_date_local')::timestamp as start_local,
        true as has_time,
        coalesce(j ->> 'sport_type', j ->> 'type', 'Other') as sport_type,
        j ->> 'name' as name,
        j ->> 'description' as description,
        (j ->> 'moving_time')::double as moving_s,
        (j ->> 'elapsed_time')::double as elapsed_s,
        (j ->> 'distance')::double as distance_m,
        (j ->> 'total_elevation_gain')::double as elevation_gain_m,
        (j ->> 'average_heartrate')::double as avg_hr,
        (j ->> 'max_heartrate')::double as max_hr,
        (j ->> 'perceived_exertion')::double as rpe,
        (j ->> 'suffer_score')::double as relative_effort,
        j as raw
    from source
)
select
    r.* replace (coalesce(r.description, a.description) as description, coalesce(r.rpe, a.rpe) as rpe)
from renamed r
left join activities a
  on a.athlete_id = r.athlete_id and a.source = r.source and a.source_id = r.source_id
