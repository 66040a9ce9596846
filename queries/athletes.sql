-- One row per athlete: sources, activity counts, first and last activity (local dates), time zone and
-- where it came from, heart-rate settings. `activities` counts every stored row; `double_recordings`
-- (second recordings of a session, twin_of set) and `excluded` ones among them count in no metric.
with counts as (
    select athlete_id, list(distinct source order by source) as sources, count(*) as activities,
           count(*) filter (where twin_of is not null) as double_recordings,
           count(*) filter (where excluded) as excluded,
           min(start_local)::date as first_activity, max(start_local)::date as last_activity
    from activities
    group by athlete_id
)
select a.name, coalesce(c.sources, []) as sources, coalesce(c.activities, 0) as activities,
       coalesce(c.double_recordings, 0) as double_recordings, coalesce(c.excluded, 0) as excluded,
       strftime(c.first_activity, '%Y-%m-%d') as first_activity,
       strftime(c.last_activity, '%Y-%m-%d') as last_activity, a.timezone, a.timezone_source,
       a.hr_max, a.hr_rest, a.sex
from athletes a left join counts c using (athlete_id)
order by a.name
