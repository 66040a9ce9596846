-- Session load. Grain: one row per activity of the athletes in q_scope with local day in [$from, $end].
-- Parameters: $from, $end (local dates, inclusive); $trimp_scale; $other_intensity (for a category
--   missing from q_categories).
-- Relations: activities, q_scope(athlete_id), q_categories(category, intensity, heart_rate_load),
--   activity_files (rpe), activity_hr_seconds (seconds per whole bpm: ingest/files),
--   q_athlete_history(athlete_id, hr_rest, trimp_k, trimp_b) (athlete_history.sql up to at least $end),
--   q_session_intensity(athlete_id, activity_id, minutes, intensity) (session_intensity.sql),
--   q_session_hr_max(athlete_id, activity_id, hr_max) (session_hr_max.sql: each session's HRmax from the
--   data up to that session, so later imports never change a past session's load).
-- minutes: q_session_intensity's (the whole session for strength, Pilates and mobility, else moving time;
-- elapsed time where the other is missing: queries/params.py role whole_session). day = the local calendar date the session started on
-- (start_local), so a run across midnight or a DST change belongs to its start date.
-- Second recordings of a session (twin_of not null) and excluded activities count in no metric.
-- rpe: the session RPE that set the load (the activity's, a correction's or the watch's), else null.
-- load (arbitrary units, one scale for all three sources):
--   1. session RPE x minutes (Foster 2001) when an RPE 1-10 is known;
--   2. else, for categories whose load may come from heart rate (running, cross-training:
--      q_categories.heart_rate_load), Banister TRIMP x trimp_scale (Banister 1991) summed over the
--      heart-rate samples of an activity file (file_load), else from average HR when known:
--      minutes x HRr x k x e^(b x HRr), HRr = (avg_hr - HRrest) / (HRmax - HRrest) clamped to [0, 1],
--      with the session's HRmax (q_session_hr_max), the athlete's HRrest and constants (k, b);
--   3. else minutes x the session's default intensity (q_session_intensity: by activity type or category,
--      or the athlete's own median; a Pilates class without HR is never a rest day).
--   Strength, Pilates and mobility never use heart rate: average HR badly underrates resistance work,
--   for which session RPE is the validated measure (Day et al. 2004; Sweet et al. 2004).
with scoped as (
    select a.*
    from activities a
    join q_scope s on s.athlete_id = a.athlete_id
    where a.start_local >= cast($from as date) and a.start_local < cast($end as date) + 1
      and a.twin_of is null and not a.excluded
),

-- Activity files (issue 12): Banister TRIMP summed over the heart-rate samples kept per whole bpm,
-- sum of seconds / 60 x HRr x k x e^(b x HRr) x trimp_scale, HRr and constants as below; the watch's RPE.
file_load as (
    select
        f.activity_id,
        max(f.rpe) as file_rpe,
        sum(hs.seconds / 60.0 * hs.hrr * hs.trimp_k * exp(hs.trimp_b * hs.hrr)) * $trimp_scale as sample_trimp
    from activity_files f
    join scoped sc on sc.activity_id = f.activity_id
    left join (
        select
            x.activity_id, x.seconds, h.trimp_k, h.trimp_b,
            least(greatest((x.bpm - h.hr_rest) / greatest(m.hr_max - h.hr_rest, 1.0), 0.0), 1.0) as hrr
        from activity_hr_seconds x
        join scoped s2 on s2.activity_id = x.activity_id
        join q_athlete_history h on h.athlete_id = s2.athlete_id
        join q_session_hr_max m on m.athlete_id = s2.athlete_id and m.activity_id = s2.activity_id
    ) hs on hs.activity_id = f.activity_id
    group by f.activity_id
),

measured as (
    select
        sc.activity_id,
        sc.athlete_id,
        cast(sc.start_local as date) as day,
        sc.start_local,
        sc.category,
        sc.sport_type,
        sc.name,
        si.minutes,  -- session_intensity.sql: the one definition of a session's minutes
        coalesce(sc.distance_m, 0) / 1000.0 as distance_km,
        case when coalesce(sc.rpe, fl.file_rpe) between 1 and 10 then coalesce(sc.rpe, fl.file_rpe) end as rpe,
        case when c.heart_rate_load then fl.sample_trimp end as sample_trimp,
        case
            when sc.avg_hr > 0 and c.heart_rate_load
                then least(greatest((sc.avg_hr - h.hr_rest) / greatest(m.hr_max - h.hr_rest, 1.0), 0.0), 1.0)
        end as hrr,
        m.hr_max,
        h.trimp_k,
        h.trimp_b,
        coalesce(si.intensity, c.intensity, $other_intensity) as intensity
    from scoped sc
    join q_athlete_history h on h.athlete_id = sc.athlete_id
    join q_session_hr_max m on m.athlete_id = sc.athlete_id and m.activity_id = sc.activity_id
    left join q_categories c on c.category = sc.category
    left join file_load fl on fl.activity_id = sc.activity_id
    left join q_session_intensity si on si.athlete_id = sc.athlete_id and si.activity_id = sc.activity_id
)

select
    m.activity_id,
    m.athlete_id,
    m.day,
    m.start_local,
    m.category,
    m.sport_type,
    m.name,
    m.minutes,
    m.distance_km,
    case
        when m.rpe is not null then m.rpe * m.minutes
        when m.sample_trimp is not null then m.sample_trimp
        when m.hrr is not null then m.minutes * m.hrr * m.trimp_k * exp(m.trimp_b * m.hrr) * $trimp_scale
        else m.minutes * m.intensity
    end as load,
    case
        when m.rpe is not null then 'rpe'
        when m.sample_trimp is not null then 'hr_samples'
        when m.hrr is not null then 'hr_avg'
        else 'default'
    end as load_source,
    m.hr_max,
    m.rpe
from measured m
