-- Projected histories. Grain: one row per session of q_plan_sessions per projected day in q_plan_days
-- on or before that day. Each projected day d becomes a stand-in athlete (athlete_id = d's
-- projection_id) whose history is the sessions up to d, moved $to - d days later, so that the report's
-- windows, all relative to their last day, end on d when the report runs once at $to for every stand-in
-- athlete: one pass of the same SQL gives every day's summary and warnings.
-- Parameters: $to (the last projected day). Relations: q_plan_sessions, q_plan_days(projection_id, day).
select
    s.* replace (
        d.projection_id as athlete_id,
        s.start_local + to_days(date_diff('day', d.day, cast($to as date))) as start_local,
        s.start_at + to_days(date_diff('day', d.day, cast($to as date))) as start_at
    )
from q_plan_sessions s
join q_plan_days d on s.start_local < d.day + 1
