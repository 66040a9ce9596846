-- One page of GET /api/v3/athlete/activities, mapped to the staged shape of ingest.database.store.STAGED_COLUMNS.
-- Grain: one row per element of the page. Parameters: $athlete_id, $page (the JSON array as text).
-- A summary has no description and usually no perceived exertion: those keep what a Strava export
-- (same source and id) already stored instead of being blanked.
-- Values are cast with try_cast: an element whose id or start is missing, or whose value is present but
-- of the wrong type (a distance of "abc", an object where a number belongs), gets `unreadable_column`
-- and `unreadable_reason`, and the sync rejects that one activity instead of the page.
create or replace temp table _strava_page as
with source as (
    select unnest(json_extract($page::json, '$[*]')) as j
),
fields as (
    select
        j,
        j ->> 'id' as id_text,
        try_cast(j ->> 'id' as bigint) as id,
        try_cast(j ->> 'start_date' as timestamptz) as start_date,
        try_cast(j ->> 'start_date_local' as timestamp) as start_date_local,
        try_cast(j ->> 'moving_time' as double) as moving_time,
        try_cast(j ->> 'elapsed_time' as double) as elapsed_time,
        try_cast(j ->> 'distance' as double) as distance,
        try_cast(j ->> 'total_elevation_gain' as double) as total_elevation_gain,
        try_cast(j ->> 'average_heartrate' as double) as average_heartrate,
        try_cast(j ->> 'max_heartrate' as double) as max_heartrate,
        try_cast(j ->> 'perceived_exertion' as double) as perceived_exertion,
        try_cast(j ->> 'suffer_score' as double) as suffer_score
    from source
),
checked as (
    select
        *,
        -- the first field that is missing or present but unreadable, in the order of the staged columns
        case
            when json_type(j) is distinct from 'OBJECT' then 'activity'
            when id is null then 'id'
            when start_date is null then 'start_date'
            when start_date_local is null then 'start_date_local'
            when j ->> 'moving_time' is not null and moving_time is null then 'moving_time'
            when j ->> 'elapsed_time' is not null and elapsed_time is null then 'elapsed_time'
            when j ->> 'distance' is not null and distance is null then 'distance'
            when j ->> 'total_elevation_gain' is not null and total_elevation_gain is null
                then 'total_elevation_gain'
            when j ->> 'average_heartrate' is not null and average_heartrate is null then 'average_heartrate'
            when j ->> 'max_heartrate' is not null and max_heartrate is null then 'max_heartrate'
            when j ->> 'perceived_exertion' is not null and perceived_exertion is null then 'perceived_exertion'
            when j ->> 'suffer_score' is not null and suffer_score is null then 'suffer_score'
        end as unreadable_column
    from fields
),
renamed as (
    select
        $athlete_id::integer as athlete_id,
        'strava' as source,
        id::varchar as source_id,
        id as strava_id,
        timezone('UTC', start_date) as start_at,
        -- Strava writes local wall-clock time with a misleading 'Z'; the cast ignores it
        start_date_local as start_local,
        true as has_time,
        coalesce(j ->> 'sport_type', j ->> 'type', 'Other') as sport_type,
        j ->> 'name' as name,
        j ->> 'description' as description,
        moving_time as moving_s,
        elapsed_time as elapsed_s,
        distance as distance_m,
        total_elevation_gain as elevation_gain_m,
        average_heartrate as avg_hr,
        max_heartrate as max_hr,
        perceived_exertion as rpe,
        suffer_score as relative_effort,
        j as raw,
        unreadable_column,
        case
            when unreadable_column is null then null
            when unreadable_column = 'activity' then 'not a JSON object: ' || left(j::varchar, 40)
            when (j -> unreadable_column) is null or json_type(j -> unreadable_column) = 'NULL'
                then 'missing'
            else 'cannot read ' || left((j -> unreadable_column)::varchar, 40) || ' as a '
                 || case when unreadable_column = 'id' then 'whole number'
                         when unreadable_column like 'start_date%' then 'date-time'
                         else 'number' end
        end as unreadable_reason,
        id_text
    from checked
)
select
    r.* replace (coalesce(r.description, a.description) as description, coalesce(r.rpe, a.rpe) as rpe)
from renamed r
left join activities a
  on a.athlete_id = r.athlete_id and a.source = r.source and a.source_id = r.source_id
