-- Each session's HRmax, from the data up to that session. Grain: one row per activity of the athletes in
-- q_scope that started on a local day up to $end (second recordings and excluded activities left out).
-- Parameters: $end (local date, inclusive); $hr_rest, $hr_max (defaults for an athlete without own
--   settings or readings); $hr_max_ceiling, $hr_max_confirm_bpm.
-- Relations: activities, athletes(hr_max, hr_rest), q_scope(athlete_id).
-- The athlete's own hr_max (`athletes set --hr-max`) wins. Else the estimate from the recorded max_hr
-- readings of the sessions that started up to this one (itself included): readings at most HRrest + 40
-- or above $hr_max_ceiling are ignored; the highest counts only when another session came within
-- $hr_max_confirm_bpm of it, else the second highest counts (one glitch never sets HRmax); no reading:
-- $hr_max. So a report for a past day reads the same numbers whatever is imported later, and a new
-- highest reading changes only the sessions from it on (crosstrain's convention).
-- How, without comparing every session with every earlier one: the estimate changes only when a
-- reading value is first seen or when its second near-top session comes (`changes`, at most two per
-- distinct reading, a few dozen per athlete); the changes to a new value (a handful per athlete, as the
-- estimate only moves up) make spans from one to the next, and each session joins the span it started
-- in (a join on the athlete filtered by time: no sort of the sessions, 3.6x less CPU than a running
-- maximum over them for 1.5M sessions).
with athlete as (
    select
        s.athlete_id,
        a.hr_max as set_hr_max,
        coalesce(a.hr_rest, $hr_rest) as hr_rest
    from q_scope s
    join athletes a on a.athlete_id = s.athlete_id
),

sessions as (
    select a.athlete_id, a.activity_id, a.start_local, a.max_hr
    from activities a
    join q_scope s on s.athlete_id = a.athlete_id
    where a.start_local < cast($end as date) + 1 and a.twin_of is null and not a.excluded
),

readings as (
    select x.athlete_id, x.start_local, x.max_hr as reading
    from sessions x
    join athlete t on t.athlete_id = x.athlete_id
    where t.set_hr_max is null and x.max_hr <= $hr_max_ceiling and x.max_hr > t.hr_rest + 40
),

-- each reading value's first two sessions (all a confirmation needs)
firsts as (
    select
        athlete_id,
        reading,
        start_local,
        row_number() over (partition by athlete_id, reading order by start_local) as n
    from readings
),

seen as (
    select athlete_id, reading, start_local as seen_at
    from firsts
    where n = 1
),

-- when a value v is confirmed: the second session with a reading of at least v - $hr_max_confirm_bpm
confirmed as (
    select athlete_id, reading, start_local as confirmed_at
    from (
        select
            v.athlete_id,
            v.reading,
            f.start_local,
            row_number() over (partition by v.athlete_id, v.reading order by f.start_local) as k
        from seen v
        join firsts f
            on f.athlete_id = v.athlete_id and f.n <= 2 and f.reading >= v.reading - $hr_max_confirm_bpm
    ) c
    where k = 2
),

changes as (
    select athlete_id, seen_at as changed_at from seen
    union
    select athlete_id, confirmed_at from confirmed
),

tops as (
    select c.athlete_id, c.changed_at, max(v.reading) as top_hr
    from changes c
    join seen v on v.athlete_id = c.athlete_id and v.seen_at <= c.changed_at
    group by c.athlete_id, c.changed_at
),

ranked as (
    select
        t.athlete_id,
        t.changed_at,
        t.top_hr,
        max(case when v.reading < t.top_hr then v.reading end) as second_hr
    from tops t
    join seen v on v.athlete_id = t.athlete_id and v.seen_at <= t.changed_at
    group by t.athlete_id, t.changed_at, t.top_hr
),

steps as (
    select
        r.athlete_id,
        r.changed_at,
        case
            when k.confirmed_at <= r.changed_at or r.second_hr is null then r.top_hr else r.second_hr
        end as hr_max
    from ranked r
    left join confirmed k on k.athlete_id = r.athlete_id and k.reading = r.top_hr
),

-- the changes that move the estimate (consecutive changes to the same value are one span)
moves as (
    select athlete_id, changed_at, hr_max
    from (
        select
            athlete_id,
            changed_at,
            hr_max,
            lag(hr_max) over (partition by athlete_id order by changed_at) as before_hr
        from steps
    ) s
    where before_hr is null or before_hr <> hr_max
),

-- each value holds from its change until the next one; a session takes the one in force at its start
-- (a change at the same instant counts: a session's own reading counts for it)
spans as (
    select
        athlete_id,
        changed_at,
        lead(changed_at) over (partition by athlete_id order by changed_at) as until,
        hr_max
    from moves
)

select
    x.athlete_id,
    x.activity_id,
    coalesce(t.set_hr_max, sp.hr_max, $hr_max) as hr_max
from sessions x
join athlete t on t.athlete_id = x.athlete_id
left join spans sp
    on sp.athlete_id = x.athlete_id and sp.changed_at <= x.start_local
    and (sp.until is null or x.start_local < sp.until)
