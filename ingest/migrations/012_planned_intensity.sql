-- Schema version 12: what a planned session's words say, kept for `plan check` and `plan suggest`.
-- ingest/plans/words.py reads them from a calendar event's SUMMARY and DESCRIPTION (or a plan CSV's
-- name): "Tempo 5 x 1 km", "LR 16 mi", "Easy run 45 min", in the import languages and the user's own
-- codes ([plan_keywords] in the settings).
--   intensity: easy, recovery, long, steady, tempo, threshold, intervals, hills, strides, race; null
--              when the words name none.
--   structure: the vocabulary of activity_files.structure (steady, intervals, hills, strides, mixed):
--              "5 x 1 km", "hill repeats", "strides" -> intervals/hills/strides; an easy, long, steady,
--              recovery or tempo run -> steady; null when nothing says.
--   duration_source: 'given' (the plan wrote it, or the event's own length), 'pace' (a distance at the
--              athlete's recent pace for that kind, or --pace), 'default' (crosstrain's documented
--              default pace or duration: said in the import summary).
--   rpe_source: 'given' (an "RPE 6" in the event, or the CSV's rpe column), 'intensity' (crosstrain's
--              default RPE for the intensity, see ingest/plans/words.INTENSITY_RPE), null when rpe is null.
-- Plans imported before this version keep null in the new columns ('given' duration): importing the
-- plan again reads them.
alter table planned_sessions add column if not exists intensity varchar;
alter table planned_sessions add column if not exists structure varchar;
alter table planned_sessions add column if not exists duration_source varchar default 'given';
alter table planned_sessions add column if not exists rpe_source varchar;
update planned_sessions set duration_source = 'given' where duration_source is null;
update planned_sessions set rpe_source = 'given' where rpe is not null;
