-- Back-to-back hard days. Grain: one row per pair of hard sessions on consecutive local days whose
-- second day is in [$from, $to]; the first may be done or planned.
-- Hard session (crosstrain's convention, after the hard/easy principle: a hard day is followed by an
-- easy one, Bowerman; Foster et al. 2001 advise alternating hard and easy days, as monotony measures):
-- a session RPE of at least $hard_rpe ("very hard" on Foster's CR-10 scale is 7), a planned intensity of
-- q_hard_intensities (tempo, threshold, intervals, hills, race, long), or a name holding a keyword of
-- q_hard_keywords (interval, tempo, threshold, hill, race ...). A planned session the import gave an
-- intensity is read by it, not by its name's words: "Easy 60-75 min OR long run" plans the easy run
-- (the first choice), a "Pre-race shakeout" is a recovery run (real calendars, docs/plan_judgements.csv).
-- A planned "long" run shorter than $long_min_s is no long run (alexteal's deload week: "1 miles Long
-- Run", 10 min, after a tempo; crosstrain's convention: 45 min).
-- Parameters: $from, $to (local dates, inclusive), $hard_rpe, $long_min_s. Relations: q_plan_sessions (with
--   plan_intensity, and plan_rpe: a planned session's RPE is the plan's, not the load per minute it
--   scores), q_hard_keywords(keyword), q_hard_intensities(intensity).
with hard as (
    select distinct
        s.activity_id,
        s.planned_id,
        cast(s.start_local as date) as day
    from q_plan_sessions s
    left join q_hard_keywords k on lower(coalesce(s.name, '')) like '%' || k.keyword || '%'
    where
        s.twin_of is null and not s.excluded
        and s.start_local >= cast($from as date) - 1 and s.start_local < cast($to as date) + 1
        and (
            case when s.planned_id is null then s.rpe else s.plan_rpe end >= $hard_rpe
            or (k.keyword is not null and (s.planned_id is null or s.plan_intensity is null))
            or (
                s.plan_intensity in (select intensity from q_hard_intensities)
                and not (s.plan_intensity = 'long' and coalesce(s.moving_s, 0) < $long_min_s)
            )
        )
)

select
    h2.day,
    h1.activity_id as first_activity_id,
    h1.planned_id as first_planned_id,
    h2.activity_id as second_activity_id,
    h2.planned_id as second_planned_id
from hard h1
join hard h2 on h2.day = h1.day + 1
where h2.day between cast($from as date) and cast($to as date)
