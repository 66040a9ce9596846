"""Plausibility rules: the ranges every stored activity's values must lie in, whatever its source.

One table (RULES) of documented ranges, applied by `reject` as one set-based SQL statement to the
staged canonical rows (store.STAGED_COLUMNS) just before `store.write_activities` writes
them, so CSV files, activity files and Strava's API all go through it. A row that breaks a rule is
removed from the staged table and recorded in `import_rejects` with its reason (and its line, when the
staged table has a `line` column, and its id in its source); it is never stored.

Zero is how Garmin Connect writes "no sensor" for heart rate and "not recorded" for moving time
(../shared/formats/garmin_2022.csv: 6 rows with Avg HR 0, 17 with Moving Time 00:00:00, all real
sessions), so those zeros become NULL (unknown) instead of rejecting the session. Likewise an elapsed
time over a week beside a plausible moving time is a recording left running after the session
(../shared/formats/strava_2025_99cols.csv: rides of 2.5 h moving with 31 and 9 days elapsed): the
elapsed time becomes unknown and the session is kept with its moving time.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ingest import categories
from ingest.database import versions
from ingest.database.limits import EARLIEST, WEEK_S

RUN_MAX_M_S = 12.5  # average speed no run reaches (see RULES)
MAX_M_S = 100.0  # average speed no activity reaches (see RULES)


@dataclass(frozen=True)
class Rule:
    """`value` (SQL over a staged row, NULL = not known) must lie in [low, high] for `categories`."""

    column: str  # the staged column the value comes from (named in the reject)
    label: str  # what the value is, in words
    value: str  # SQL expression over the staged row
    low: float
    high: float
    unit: str
    why: str  # the source of the bounds, or that they are crosstrain's convention
    categories: tuple[str, ...] = ()  # empty: every category

    @property
    def candidate(self) -> str:
        """SQL that is true when a known value is out of range, whatever the row's category."""
        test = f"not isfinite({self.value}) or ({self.value}) not between {self.low!r} and {self.high!r}"
        return f"({self.value}) is not null and ({test})"

    @property
    def condition(self) -> str:
        """SQL that is true when a known value breaks the rule (NaN and infinities included)."""
        if not self.categories:
            return self.candidate
        cats = ", ".join(f"'{c}'" for c in self.categories)
        return f"category in ({cats}) and {self.candidate}"

    @property
    def reason(self) -> str:
        """SQL text of the reject reason, with the offending value."""
        scope = f" for {'/'.join(self.categories)}" if self.categories else ""
        unit = f" {self.unit}" if self.unit else ""
        shown = f"round(({self.value})::double, 2)::varchar"
        return (
            f"'{self.label} ' || {shown} || '{unit} is outside "
            f"{_num(self.low)}..{_num(self.high)}{unit}{scope}'"
        )


@dataclass(frozen=True)
class Exclusion:
    """A session of `categories` longer than `hours` is beyond what a person does: stored, excluded."""

    categories: tuple[str, ...]
    hours: float
    why: str  # the source of the bound, or that it is crosstrain's convention


# Sessions far beyond plausible for their kind are kept but count in no metric until the user says
# otherwise (`crosstrain activities set ID --include`): the watch's timer was left running.
EXCLUSIONS: tuple[Exclusion, ...] = (
    Exclusion(("strength", "pilates", "mobility"), 4,
              "crosstrain's convention: a gym, Pilates or yoga session of more than 4 hours is a timer "
              "left running (a real runner's strength sessions of 7 to 18.6 hours lifted the support "
              "share from about 18% to 45%)"),
)  # fmt: skip

# A "run" slower than a walk at a walking heart rate is no run: watches that count steps (HUAWEI's
# "Indoor run" sessions of 1-3 km/h at HR 84-111 over a working day, Dean-Sabroso/StraVisdis) or a
# treadmill walk typed as a run. Stored, excluded, said in the import summary. Below 4 km/h: slower
# than a comfortable walk (Bohannon 1997: 1.27-1.46 m/s, 4.6-5.3 km/h, for adults of 20-79); an
# average heart rate under 115 bpm: about 60% of the default HRmax of 190, light intensity (ACSM's
# Guidelines: 57-63% of HRmax). Without a heart rate the run is kept: a treadmill or app run without
# GPS distance (Nike Run Club, 0.02 km in 19 min at HR 168) looks as slow. Mountain runs this slow
# (2-4 km/h up steep trails) run at 115+ bpm. Crosstrain's convention, measured on seven real sets
# (docs/warnings_on_real_data.md, evaluation 10).
SLOW_RUN_KMH = 4.0
SLOW_RUN_HR = 115.0
SLOW_RUN_SQL = (
    f"category = 'run' and avg_hr < {SLOW_RUN_HR!r} and coalesce(moving_s, elapsed_s) > 0 "
    f"and distance_m > 0 and distance_m / coalesce(moving_s, elapsed_s) * 3.6 < {SLOW_RUN_KMH!r}"
)
SLOW_RUN_REASON = (
    "'run at ' || round(distance_m / coalesce(moving_s, elapsed_s) * 3.6, 1)::varchar || ' km/h, HR ' || "
    f"round(avg_hr)::integer::varchar || ': slower than a walk (under {SLOW_RUN_KMH:g} km/h, HR under "
    f"{SLOW_RUN_HR:g}): counted steps or a walk?'"
)

# A "run" of 10 minutes or more averaging faster than 25 km/h is no run: faster than the 3000 m world
# record (Jakob Ingebrigtsen, 7:17.55 in 2024: 24.7 km/h; the 5000 m record, 12:35.36, is 23.8 km/h)
# held for longer. A ride saved as a run or a GPS glitch (a 30-min "run" of 17.1 km, 34 km/h, in
# Vicente-Ibanez/DataScienceFinal's Garmin export, held-out-6). Stored, excluded, said in the import
# summary, as the slow runs are. Shorter runs keep the 12.5 m/s bound of RULES (a sprint). The record
# is World Athletics'; holding it for 10 minutes is crosstrain's convention.
FAST_RUN_KMH = 25.0
FAST_RUN_MIN_S = 600
FAST_RUN_SQL = (
    f"category = 'run' and coalesce(moving_s, elapsed_s) >= {FAST_RUN_MIN_S!r} and distance_m > 0 "
    f"and distance_m / coalesce(moving_s, elapsed_s) * 3.6 > {FAST_RUN_KMH!r}"
)
FAST_RUN_REASON = (
    "'run at ' || round(distance_m / coalesce(moving_s, elapsed_s) * 3.6, 1)::varchar || ' km/h for ' || "
    "round(coalesce(moving_s, elapsed_s) / 60)::integer::varchar || ' min: faster than the 3000 m world "
    "record (24.7 km/h) held for longer: a ride or a GPS glitch?'"
)

# The time the EXCLUSIONS' kinds of session count (all whole-session categories: queries/params.py
# CATEGORY_ROLES, queries/sql/session_intensity.sql): the whole session, elapsed time, else moving time.
SESSION_S = "coalesce(nullif(elapsed_s, 0), moving_s)"


def exclusion_sql() -> str:
    """SQL over a categorised row (`category`, `moving_s`, `elapsed_s`): why it is excluded, or NULL."""
    whens = " ".join(
        f"when category in ({', '.join(repr(c) for c in e.categories)}) and {SESSION_S} > {e.hours * 3600!r} "
        f"then category || ' session of ' || round({SESSION_S} / 3600, 1)::varchar || "
        f"' h, over {e.hours:g} h: a timer left running?'"
        for e in EXCLUSIONS
    )
    runs = f"when {SLOW_RUN_SQL} then {SLOW_RUN_REASON} when {FAST_RUN_SQL} then {FAST_RUN_REASON}"
    return f"case {whens} {runs} end"


def _num(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 else f"{x:,.0f}"


# Average speed: distance over moving time, else elapsed time.
SPEED = "distance_m / nullif(coalesce(moving_s, elapsed_s), 0)"

RULES: tuple[Rule, ...] = (
    Rule("moving_s", "moving time", "moving_s", 1, WEEK_S, "s",
         "crosstrain's convention: one session lasts from a second to a week (the longest single-stage "
         "races, e.g. Tor des Geants, take about 6 days)"),
    Rule("elapsed_s", "elapsed time", "elapsed_s", 1, WEEK_S, "s", "as moving time"),
    Rule("distance_m", "distance", "distance_m / 1000", 0, 1000, "km",
         "a run over 1,000 km is not one session: the 6-day running record is 1,036 km (Yiannis Kouros)",
         ("run",)),
    Rule("distance_m", "distance", "distance_m / 1000", 0, 5000, "km",
         "crosstrain's convention: 5,000 km is beyond any human-powered week (Race Across America: "
         "4,800 km in 8+ days)"),
    Rule("distance_m", "average speed", SPEED, 0, RUN_MAX_M_S, "m/s",
         "Bolt's 100 m record averages 10.4 m/s (peak 12.4 m/s): no run averages more", ("run",)),
    Rule("distance_m", "average speed", SPEED, 0, MAX_M_S, "m/s",
         "above the speed-skiing record (70.8 m/s, 2016), the fastest human-powered or gravity sport"),
    Rule("elevation_gain_m", "elevation gain", "elevation_gain_m", 0, 30_000, "m",
         "crosstrain's convention: the biggest multi-day mountain races climb about 24,000 m "
         "(Tor des Geants)"),
    Rule("avg_hr", "average heart rate", "avg_hr", 25, 250, "bpm",
         "resting rates of trained athletes go down to about 28 bpm and maximal rates rarely exceed "
         "220 bpm (Tanaka et al. 2001); 25..250 keeps every real reading"),
    Rule("max_hr", "maximum heart rate", "max_hr", 25, 250, "bpm", "as average heart rate"),
    Rule("rpe", "perceived exertion", "rpe", 0, 10, "", "Borg's CR-10 scale (0 to 10, halves included)"),
    Rule("relative_effort", "relative effort", "relative_effort", 0, 10_000, "",
         "crosstrain's convention: Strava's relative effort of a 24-hour race stays in the low thousands"),
)  # fmt: skip

# Values that mean "not recorded" rather than a reading (see the module docstring).
ZERO_IS_UNKNOWN = ("avg_hr", "max_hr", "moving_s")

# FIT's time zero, 1989-12-31T00:00:00Z (FIT SDK, date_time type): a Garmin device whose clock was never
# set dates its sessions there, and Garmin Connect exports them so (MDMM02/Healthy-Girly: a 1989-12-31
# 01:05 "Running" of 8 minutes among 2026 sessions). A day either side covers every UTC offset.
CLOCK_NOT_SET = ("1989-12-30", "1990-01-02")
# Start times: from 1970 to tomorrow (UTC), and a local time within 18 hours of the UTC one (real
# offsets run from -12 to +14 hours). A watch whose clock says 2030 must not hide later sessions.
DATE_RULES: tuple[tuple[str, str, str], ...] = (
    ("start_at", "start_at is null", "no start time"),
    ("start_local", "start_local is null", "no local start time"),
    (
        "start_at",
        f"start_at < timestamp '{EARLIEST}' or start_at > (now() at time zone 'UTC') + interval 1 day",
        f"'start ' || strftime(start_at, '%Y-%m-%d %H:%M') || ' UTC is not between {EARLIEST} and tomorrow'",
    ),
    (
        "start_at",
        f"start_at >= timestamp '{CLOCK_NOT_SET[0]}' and start_at < timestamp '{CLOCK_NOT_SET[1]}'",
        "'start ' || strftime(start_at, '%Y-%m-%d %H:%M') || ' UTC is FIT''s time zero (1989-12-31): "
        "the device''s clock was not set'",
    ),
    (
        "start_local",
        "abs(epoch(start_local) - epoch(start_at)) > 18 * 3600",
        "'local start ' || strftime(start_local, '%Y-%m-%d %H:%M') || ' is more than 18 hours from the "
        "UTC start'",
    ),
    ("source_id", "source_id is null", "no id"),
    ("sport_type", "sport_type is null or trim(sport_type) = ''", "no activity type"),
)
NUMERIC = sorted({r.column for r in RULES} | {"rpe", "relative_effort"})


def _checks() -> list[tuple[str, str, str, str]]:
    """(column, condition SQL, candidate SQL, reason SQL) in the order they are tried; the first that
    fails counts. The candidate is the condition without its category (a wider, cheaper filter)."""
    dates = [(c, cond, cond, r if r.startswith("'") else f"'{r}'") for c, cond, r in DATE_RULES]
    labels = {r.column: r.label for r in RULES if r.value.startswith(r.column)}
    finite = [
        (c, cond, cond, f"'{labels.get(c, c)} is not a finite number'")
        for c in NUMERIC
        for cond in [f"{c} is not null and not isfinite({c})"]
    ]
    return dates + finite + [(r.column, r.condition, r.candidate, r.reason) for r in RULES]


def candidates_sql() -> str:
    """A cheap filter true for every row that breaks a rule (and maybe a few more): per value, its
    narrowest range of any category; `x not between` is true for NaN and infinities too (DuckDB orders
    NaN above every number), so the finiteness checks need no extra test."""
    narrowest: dict[str, tuple[float, float]] = {}
    for r in RULES:
        low, high = narrowest.get(r.value, (r.low, r.high))
        narrowest[r.value] = (max(low, r.low), min(high, r.high))
    assert set(NUMERIC) <= {r.column for r in RULES if r.value == r.column or r.value.startswith(r.column)}
    ranges = [f"({value}) not between {low!r} and {high!r}" for value, (low, high) in narrowest.items()]
    dates = [cond for _, cond, _ in DATE_RULES]
    return " or ".join(f"({c})" for c in dates + ranges)


def violations_sql(table: str) -> str:
    """SQL returning one row per row of `table` (staged columns plus `category`) that breaks a rule:
    its rowid `_rid`, `reject_column` and `reject_reason` (the first rule it breaks)."""
    checks = _checks()
    column = " ".join(f"when {cond} then '{c}'" for c, cond, _, _ in checks)
    reason = " ".join(f"when {cond} then {r}" for _, cond, _, r in checks)
    return f"""
        select * from (
            select _rid, case {column} end as reject_column, case {reason} end as reject_reason
            from {table}
        ) where reject_reason is not null"""


def reject(con: duckdb.DuckDBPyConnection, staged: str, import_id: int | None) -> int:
    """Remove the rows of table `staged` that break a rule; record them in `import_rejects`.

    Leaves them in temp table `_implausible` (line, source_id, strava_id, column, reason) for the
    caller's report; returns how many there were. Needs `categories.register` done on `con`.
    """
    left_on = f"elapsed_s > {WEEK_S} and moving_s between 1 and {WEEK_S}"
    con.execute(
        f"""update {staged} set {", ".join(f"{c} = nullif({c}, 0)" for c in ZERO_IS_UNKNOWN)},
                   elapsed_s = case when {left_on} then null else elapsed_s end
            where {" or ".join(f"{c} = 0" for c in ZERO_IS_UNKNOWN)} or ({left_on})"""
    )
    # one scan for rows that may break a rule; categories and reasons only for those (usually none)
    candidate = candidates_sql()
    con.execute(
        f"create or replace temp table _candidates as select rowid as _rid, * from {staged} where {candidate}"
    )
    present = {r[0] for r in con.execute("select column_name from (describe _candidates)").fetchall()}
    line = "c.line::integer" if "line" in present else "null::integer"
    if not con.execute("select exists (select 1 from _candidates)").fetchone()[0]:
        # No row near a bound (the usual write): the same empty tables without planning the rules'
        # statements, ~10 ms a write (bench/README.md "Activity files").
        con.execute("create or replace temp table _moving_fallback as select _rid from _candidates")
        con.execute(
            f"""create or replace temp table _implausible as
                select c._rid, {line} as line, c.source_id, c.strava_id, null::varchar as "column",
                       null::varchar as reason
                from _candidates c"""
        )
        con.execute("drop table _candidates")
        return 0
    categorised = categories.categorised("select _rid, sport_type, name from _candidates", "_candidates")
    con.execute(
        f"""create or replace temp table _cand_rows as
            select c.*, k.category from _candidates c left join ({categorised}) k using (_rid)"""
    )
    con.execute(f"create or replace temp table _bad as {violations_sql('_cand_rows')}")
    _moving_fallback(con, staged)
    con.execute(
        f"""create or replace temp table _implausible as
            select b._rid, {line} as line, c.source_id, c.strava_id,
                   b.reject_column as "column", b.reject_reason as reason
            from _bad b join _candidates c using (_rid)
            where b._rid not in (select _rid from _moving_fallback)"""
    )
    for table in ("_candidates", "_cand_rows", "_bad"):
        con.execute(f"drop table {table}")
    found = con.execute("select count(*) from _implausible").fetchone()[0]
    if not found:
        return 0
    con.execute(f"delete from {staged} where rowid in (select _rid from _implausible)")
    if import_id is None:  # a write without an import record (tests, tools): the caller reads _implausible
        return found
    con.execute(
        """insert into import_rejects (import_id, file, line, "column", reason, source_id)
           select ?, coalesce((select path from imports where import_id = ?), 'import'), line, "column",
                  reason, source_id
           from _implausible order by line, _rid""",
        [import_id, import_id],
    )
    return found


def _moving_fallback(con: duckdb.DuckDBPyConnection, staged: str) -> None:
    """Rows refused only for their moving time (below a second, or so short that the average speed is
    beyond the rules) whose elapsed time passes every rule keep that instead: temp table
    `_moving_fallback` (_rid), their moving time set to NULL in `staged` (minutes then count the
    elapsed time). A real ride's moving time glitched to 14 s beside 3:06:30 elapsed and 91.5 km
    (RGazzaneo/projeto_garmin, 2018-03-11): its elapsed time is the session, not a reason to lose it."""
    con.execute(
        f"""create or replace temp table _moving_fallback as
            with fixable as (
                select r.* replace (null::double as moving_s)
                from _cand_rows r join _bad b using (_rid)
                where r.moving_s is not null and r.elapsed_s is not null
                  and (b.reject_column = 'moving_s' or b.reject_reason like 'average speed %')
            )
            select _rid from fixable
            where _rid not in (select _rid from ({violations_sql("fixable")}))"""
    )
    con.execute(f"update {staged} set moving_s = null where rowid in (select _rid from _moving_fallback)")


def moving_fallbacks(con: duckdb.DuckDBPyConnection) -> int:
    """How many rows the last `reject` on this connection gave their elapsed time as minutes."""
    try:
        return con.execute("select count(*) from _moving_fallback").fetchone()[0]
    except duckdb.CatalogException:
        return 0


def stored_violations_sql() -> str:
    """SQL listing stored activities that break a rule (for tests and checks): activity_id, column, reason."""
    return f"""
        with rows as (select activity_id as _rid, * from activities)
        select _rid as activity_id, reject_column, reject_reason from ({violations_sql("rows")})"""


def exclude_stored(con: duckdb.DuckDBPyConnection) -> int:
    """Exclude stored activities that break a rule (imported before the rules existed) and say so.

    They are counted nowhere (`excluded`, which `crosstrain activities set --include` can undo), and
    listed in `import_rejects` under an `imports` row of kind 'check', so the user can find them.
    """
    con.execute(f"create or replace temp table _stored_bad as {stored_violations_sql()}")
    found = con.execute("select count(*) from _stored_bad").fetchone()[0]
    if found:
        import_id = con.execute(
            """insert into imports (kind, path, started_at, finished_at, rows_rejected, status)
               values ('check', 'stored activities', now() at time zone 'UTC', now() at time zone 'UTC', ?,
                       'ok') returning import_id""",
            [found],
        ).fetchone()[0]
        con.execute(
            """insert into import_rejects (import_id, file, line, "column", reason, source_id)
               select ?, 'stored activities', null, b.reject_column,
                      b.reject_reason || ' (stored before the plausibility rules; now excluded)', a.source_id
               from _stored_bad b join activities a using (activity_id)""",
            [import_id],
        )
        con.execute(
            "update activities set excluded = true where activity_id in (select activity_id from _stored_bad)"
        )
        versions.touch(con, "select athlete_id from activities join _stored_bad using (activity_id)")
    con.execute("drop table _stored_bad")
    return found


def describe() -> list[tuple[str, str, str, str]]:
    """(value, categories, range, why) per rule, for the README and the docs."""
    out = []
    for r in RULES:
        scope = ", ".join(r.categories) or "all"
        out.append((r.label, scope, f"{_num(r.low)}..{_num(r.high)} {r.unit}".strip(), r.why))
    return out
