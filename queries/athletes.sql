-- One row per athlete: sources, activity count, first and last activity (local dates), time zone.
with counts as (
    select athlete_id, list(distinct source order by source) as sources, count(*) as activities,
           min(start_local)::date as first_activity, max(start_local)::date as last_activity
    from activities
    group by athlete_id
)
select a.name, coalesce(c.sources, []) as sources, coalesce(c.activities, 0) as activities,
       strftime(c.first_activity, '%Y-%m-%d') as first_activity,
       strftime(c.last_activity, '%Y-%m-%d') as last_activity, a.timezone
from athletes a left join counts c using (athlete_id)
order by a.name
