-- Schema version 11: pace structures computed by the first rule are forgotten.
-- That rule (three 1-minute bouts 15% above the median speed) called phone-GPS stop-and-go in a city
-- "intervals" (20 of 40 real runs, 58 of 74 rides), which counted as varied running and could hide a
-- `monotone_runs` warning. The rule of ingest/files/structure.py judges runs only, on moving time.
-- The speed samples are not kept (heart rate is), so a structure can't be recomputed here: null means
-- "not known" (run variety then goes by names and pace, as for activities without files) until the
-- export is imported again, which computes it with today's rule.
update activity_files set structure = null where structure is not null;

-- a reader keeping results per athlete (queries/overview_cache.py) computes them again
update athlete_versions set version = cast(gen_random_uuid() as varchar);
