-- Default intensity of each session: the load per minute it gets when it has neither an RPE nor (for
-- categories whose load may come from heart rate) a heart rate; and each session's minutes (written
-- here once: session_load.sql, plan_vs_done.sql and so the activities list read them). Grain: one row per activity of the
-- athletes in q_scope that started on a local day up to $end (second recordings and excluded activities
-- left out).
-- Parameters: $end (local date, inclusive); $trimp_scale; $own_median_sessions (0: off),
--   $own_median_last, $own_median_preceding (queries/engine.py: ceil($own_median_last) - 1, at least 0);
--   $candidate_key (the intensity a support-work candidate scores as); $other_intensity.
-- Relations: activities, activity_files (rpe), q_scope, q_categories(category, heart_rate_load,
--   catch_all, whole_session), q_generic_types(type_name), q_intensity(intensity_key, intensity),
--   q_intensity_types(type_name, intensity_key), q_athlete_history(hr_rest, trimp_k, trimp_b),
--   q_session_hr_max(activity_id, hr_max).
-- intensity_key: what a session scores like, so the same session scores the same whatever its name:
--   1. its type's own row where the intensity table has one (walks and golf are light: q_intensity_types);
--   2. a support-work candidate (a type that says nothing, Workout or Gym & Fitness Equipment, whose name
--      matched no keyword: the catch-all category) scores as the athlete's gym sessions: $candidate_key
--      (strength), like the same class named "Treino academia";
--   3. else its category.
-- intensity: the athlete's own median load per minute over their last $own_median_last EARLIER sessions
--   of the same key that were scored by RPE or, where the category's load may come from heart rate, by
--   average HR (TRIMP x $trimp_scale with that session's HRmax), once at least $own_median_sessions came
--   before (crosstrain's convention: the athlete's habits beat a table); else the table's intensity.
--   Earlier sessions only, so a later import never changes a past session's load. An average HR at or
--   below resting (HRr 0) measures nothing and is left out, so the median is never 0: no session counts
--   as zero load because it lacks heart rate.
with sessions as (
    select
        a.athlete_id,
        a.activity_id,
        a.start_local,
        a.category,
        lower(trim(a.sport_type)) as type_name,
        -- minutes, the one definition (every reader takes these): the whole session (elapsed time) for
        -- categories whose role is whole_session (strength, Pilates, mobility: queries/params.py), else
        -- moving time; elapsed time where the other is missing
        case
            when wc.whole_session and a.elapsed_s > 0 then a.elapsed_s
            else coalesce(nullif(a.moving_s, 0), a.elapsed_s, 0)
        end / 60.0 as minutes,
        a.avg_hr,
        a.rpe
    from activities a
    join q_scope s on s.athlete_id = a.athlete_id
    left join q_categories wc on wc.category = a.category
    where a.start_local < cast($end as date) + 1 and a.twin_of is null and not a.excluded
),

-- the files' RPE of the scope's activities (joined to sessions below: the sessions are not read twice,
-- which made DuckDB write them all out once more, 1M rows for a CSV import that has no file at all)
file_rpe as (
    select f.activity_id, max(f.rpe) as rpe
    from activity_files f
    join activities a on a.activity_id = f.activity_id
    join q_scope s on s.athlete_id = a.athlete_id
    group by f.activity_id
),

keyed as (
    select
        x.athlete_id,
        x.activity_id,
        x.start_local,
        x.minutes,
        case
            when t.intensity_key is not null then t.intensity_key
            when c.catch_all and g.type_name is not null then $candidate_key
            else x.category
        end as intensity_key,
        case when coalesce(x.rpe, fr.rpe) between 1 and 10 then coalesce(x.rpe, fr.rpe) end as rpe,
        case
            when x.avg_hr > 0 and c.heart_rate_load
                then least(greatest((x.avg_hr - h.hr_rest) / greatest(m.hr_max - h.hr_rest, 1.0), 0.0), 1.0)
        end as hrr,
        h.trimp_k,
        h.trimp_b
    from sessions x
    join q_athlete_history h on h.athlete_id = x.athlete_id
    join q_session_hr_max m on m.athlete_id = x.athlete_id and m.activity_id = x.activity_id
    left join q_categories c on c.category = x.category
    left join q_generic_types g on g.type_name = x.type_name
    left join q_intensity_types t on t.type_name = x.type_name
    left join file_rpe fr on fr.activity_id = x.activity_id
),

rated as (
    select
        k.*,
        case
            when k.minutes <= 0 then null
            when k.rpe is not null then k.rpe
            when k.hrr > 0 then k.hrr * k.trimp_k * exp(k.trimp_b * k.hrr) * $trimp_scale
        end as rate
    from keyed k
),

-- how many measured sessions of the same key came before each session (a running count up to and
-- with the session, less its own: a cumulative frame is cheaper than one that ends a row before)
counted as (
    select
        r.*,
        count(r.rate) over (
            partition by r.athlete_id, r.intensity_key order by r.start_local, r.activity_id
            rows between unbounded preceding and current row
        ) - case when r.rate is null then 0 else 1 end as before_n
    from rated r
),

-- the median of the last $own_median_last measured sessions once the k-th measured one is in (seq = k):
-- the k-th and the $own_median_preceding before it (the engine's whole number: Spark takes only a literal
-- frame), computed once per measured session as a window (DuckDB's framed median; queries/spark_sql.py gives
-- Spark, which refuses a frame on median, percentile(rate, 0.5))
own_after as (
    select
        athlete_id,
        intensity_key,
        before_n + 1 as seq,
        median(rate) over (
            partition by athlete_id, intensity_key order by before_n
            rows between $own_median_preceding preceding and current row
        ) as own_rate
    from counted
    where rate is not null
),

-- a session without a rate of its own takes the median as it stood after the last measured session
-- before it (seq = its count before): an equi-join, not a join to each of the earlier sessions
own as (
    select c.athlete_id, c.activity_id, m.own_rate
    from counted c
    join own_after m
        on m.athlete_id = c.athlete_id and m.intensity_key = c.intensity_key and m.seq = c.before_n
    where c.rate is null and $own_median_sessions > 0 and c.before_n >= $own_median_sessions
        and $own_median_last > 0
)

select
    c.athlete_id,
    c.activity_id,
    c.minutes,
    c.intensity_key,
    coalesce(o.own_rate, i.intensity, $other_intensity) as intensity,
    case when o.own_rate is not null then 'own_median' else 'table' end as intensity_source
from counted c
left join own o on o.athlete_id = c.athlete_id and o.activity_id = c.activity_id
left join q_intensity i on i.intensity_key = c.intensity_key
