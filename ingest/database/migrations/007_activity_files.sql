-- Schema version 7: what activity files (FIT, GPX, TCX) add to an activity, kept compactly so that
-- a change of HR settings recomputes loads and zones without re-reading the files.
-- activity_files: one row per activity fed by a file (the richest file of a session's recordings):
--   where it came from, the start point and its IANA zone, the pace structure, the RPE the watch
--   recorded, and what was cleaned (HR spikes dropped, clock jumps skipped).
-- activity_hr_seconds: seconds spent at each whole bpm, per activity: Banister TRIMP summed over the
--   samples and the time in any zone are sums over these rows (a 1-hour run is ~60-100 rows).
-- activity_sets: the active sets of a strength session (the watch's first exercise guess).
create table activity_files (
    activity_id    bigint not null,
    file           varchar not null,
    format         varchar not null,   -- 'fit', 'gpx', 'tcx'
    start_lat      double,
    start_lon      double,
    start_timezone varchar,            -- IANA zone of the start point (null without GPS)
    structure      varchar,            -- steady, intervals, hills, strides, mixed; null without pace
    rpe            double,             -- session RPE 1-10 recorded by the watch
    hr_s           double,             -- seconds with a heart-rate sample
    hr_spikes      integer,
    clock_jumps    integer
);
create table activity_hr_seconds (
    activity_id bigint not null,
    bpm         smallint not null,
    seconds     double not null
);
create table activity_sets (
    activity_id bigint not null,
    set_index   integer not null,
    category    varchar,               -- FIT exercise_category, e.g. 'squat'; null when unknown
    name        varchar,               -- FIT exercise name, e.g. 'barbell_deadlift'
    reps        integer,
    weight_kg   double,
    duration_s  double
);
