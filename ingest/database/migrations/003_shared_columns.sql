-- Schema version 3: columns that several features share.
-- athletes: where the stored time zone came from ('option', 'strava', 'gps', 'machine', 'set'), and the
--   heart-rate settings TRIMP uses (null: estimated from the athlete's own readings).
-- activities: `twin_of` links a second recording of the same session to the row that counts (the
--   analytics read only rows with twin_of null); `excluded` is a user's "count this nowhere";
--   `start_timezone` is the IANA zone the activity's local time was taken in, where known.
alter table athletes add column timezone_source varchar;
alter table athletes add column hr_max double;
alter table athletes add column hr_rest double;
alter table athletes add column sex varchar;
alter table activities add column twin_of bigint;
alter table activities add column excluded boolean not null default false;
alter table activities add column start_timezone varchar;
