-- Minutes and sessions by category over the 28 days to $as_of. Grain: one row per athlete per category
-- with at least one session in the window (report._by_category zero-fills the categories of
-- ingest/categories.py; a grid of every scope athlete and category here, only to drop its empty cells,
-- cost a report 0.5-1.5 ms of planning, replayed).
-- Parameters: $as_of (date). Relations: q_session_load (at least [$as_of - 27, $as_of]).
select athlete_id, category, coalesce(sum(minutes), 0) as minutes, count(*) as sessions
from q_session_load
where day between cast($as_of as date) - 27 and cast($as_of as date)
group by athlete_id, category
