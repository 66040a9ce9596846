-- Time in heart-rate zones. Grain: one row per activity of q_session_load with heart-rate samples,
-- per zone it has time in. Parameters: none.
-- Relations: q_session_load (hr_max: the session's HRmax from the data up to it), activity_hr_seconds
--   (seconds per whole bpm),
--   q_hr_zones(zone, low_pct, high_pct, intensity): zone bounds as fractions of HRmax, low inclusive.
-- Zones follow Seiler 2010 (Int J Sports Physiol Perform 5:276-291, table 1: five zones by % HRmax);
-- `intensity` is Seiler's three-zone model (low below the first ventilatory threshold, moderate
-- between the thresholds, high above the second).
with seconds as (
    select l.athlete_id, l.activity_id, l.day, l.category, h.bpm, h.seconds, l.hr_max
    from q_session_load l
    join activity_hr_seconds h on h.activity_id = l.activity_id
)

select
    s.athlete_id,
    s.activity_id,
    s.day,
    s.category,
    z.zone,
    z.intensity,
    sum(s.seconds) as seconds
from seconds s
join q_hr_zones z on s.bpm >= z.low_pct * s.hr_max and s.bpm < z.high_pct * s.hr_max
group by s.athlete_id, s.activity_id, s.day, s.category, z.zone, z.intensity
