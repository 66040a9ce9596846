"""Garmin Connect's `Activities.csv`.

Facts this relies on (see ../shared/formats/README.md): `Date` is local time without offset; `--`
marks a missing value; numbers carry thousands separators (`"1,000"`) or, in a decimal-comma locale,
decimal commas (`"9,33"`, `00:03:42,5`) with dot thousands (`"8.630"`); times are `HH:MM:SS`; the
duration column is `Time` in older exports and `Total Time` in newer ones; the header and the type
names are in the account's language (garmin_languages.py).

Units are the account's: distances in km or miles, elevation in metres or feet; pool swims in metres
or yards and track runs in metres. Average stride length is in metres whatever the account (an
imperial export in a public repository: 159 spm x 1.09 m = 2.89 m/s against 9 mi in 83:33), so a
run's cadence x stride length against its distance / time tells the units (`units`).

Some rows are wider than the header: in ../shared/formats/garmin_2026_total_time.csv (33 names) lines 2
and 3 have 37 fields, 4 values inserted after `Steps`. The columns up to `Steps` still line up from the
start and the trailing block (`Decompression` .. `Max Elevation`) from the end, so a wider row's values
are taken by position from the start before `Decompression` and from the end from it on. A header
without `Decompression` gives no such anchor: its wider rows are rejected, as rows of other formats are.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import duckdb

from ingest.database import plausibility
from ingest.exports.formats import evidence
from ingest.exports.formats.common import (
    METRES_PER,
    Field,
    FileFacts,
    ParseQuery,
    col,
    date_check,
    english_type,
    first_col,
    header_field,
    numeric_date_formats,
    sql_list,
    width_reject,
)
from ingest.exports.formats.header import Header

DATE_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M"]
REQUIRED = ("activity type", "date", "title", "distance")
EXTRA_FIELDS = 15  # the most fields a row may have beyond its header and still be read
TRAILING_FROM = "decompression"  # the first column of the block that lines up from the row's end
# Types whose distance is not in the account's distance unit: pool swims (metres or yards), track runs.
SWIM, TRACK = "swim", "track"
EVIDENCE = "runs with cadence and stride length"
# Average speeds no activity (no run) reaches, the plausibility rules' ceilings: a whole number that would
# give more, read in the account's unit, is metres.
FAST_M_S, RUN_FAST_M_S = plausibility.MAX_M_S, plausibility.RUN_MAX_M_S
# A Moving or Elapsed Time this many seconds or more above the row's Time (the timer, which stops while
# the activity is paused; when written H:MM:SS) is a pause left open, not training: the timer's value is
# taken (crosstrain's convention; newbabak/activity-to-sleep-analysis, held-out-4: strength sessions of
# Time 0:45-0:52 with 6-22 h moving and elapsed were excluded as timers left running). 4 h, the
# exclusion bound of a gym session (ingest/database/plausibility.py EXCLUSIONS).
PAUSED_S = 4 * 3600


def missing(header: Header) -> list[str]:
    names = set(header.names)
    found = [n for n in REQUIRED if n not in names]
    if not names & {"time", "total time", "elapsed time", "avg pace"}:
        found.append("time")
    return found


def timer_seconds(header: Header, num: str, locate: Callable[[str], str] = str) -> tuple[str | None, str]:
    """The timer column and SQL for a row's timer seconds: `Time`/`Total Time`, else (an export
    trimmed by hand, such as one re-saved by Excel) average pace x distance; NULL without either."""
    p = header.positions()
    if timer := first_col(p, "time", "total time"):
        return timer, f"ct_secs(ct_txt({locate(timer)}))"
    pace, distance = col(p, "avg pace"), col(p, "distance")
    if pace and distance:
        return None, f"nullif(ct_pace(ct_txt({locate(pace)})) * {num}(ct_txt({locate(distance)})), 0)"
    return None, "null::double"


def units(
    con: duckdb.DuckDBPyConnection, header: Header, facts: FileFacts, option: str | None
) -> tuple[str, str]:
    """km or miles from the runs' cadence x stride length (metres) against distance / time."""
    p = header.positions()
    cadence = first_col(p, "avg run cadence", "avg bike cadence")  # runs write theirs in either
    stride = col(p, "avg stride length")
    distance, kind = col(p, "distance"), col(p, "activity type")
    timer, seconds = timer_seconds(header, facts.num)
    if timer is None and seconds != "null::double":
        facts.notes.append("durations: average pace x distance (the file has no Time column)")
    if not (cadence and stride and distance and kind) or seconds == "null::double":
        return evidence.units_from_ratio(con, "select null::double", EVIDENCE, option)
    num = facts.num
    english = english_type(f"ct_txt({kind})", facts.types)
    ratio = f"""select {num}(ct_txt({stride})) * {num}(ct_txt({cadence})) / 60
                       / nullif({num}(ct_txt({distance})) * 1000 / nullif({seconds}, 0), 0)
                from _raw
                where not regexp_matches(lower({english}), '{SWIM}|{TRACK}')"""
    return evidence.units_from_ratio(con, ratio, EVIDENCE, option)


def distance_sql(num: str, kind: str, seconds: str, distance_unit: float, swim_unit: float) -> str:
    """SQL for a row's distance in metres from its raw text `{raw}`.

    Pool and open-water swims are written in metres (or yards); every other type in the account's unit
    with two decimals (`9.33`, `9,33`), except that Garmin writes some distances as whole metres with
    thousands separators: track runs (`8,830` in garmin_2026_total_time.csv), rowing (`7,992`,
    Ian3133/fitness-tracker) and swims under a type name the maps don't know (`1,214` for "Natação em
    alto mar", RGazzaneo/projeto_garmin). So a whole number that read in the account's unit would be
    faster than any activity (FAST_M_S; faster than any run for a track run) is metres, whatever its
    type's name; a track run's `2,81` in a German export with decimal points elsewhere is 2.81 km.
    """
    whole = r"regexp_full_match({raw}, '[0-9]{1,3}([.,][0-9]{3})+|[0-9]+')"
    digits = r"try_cast(regexp_replace({raw}, '[.,]', '', 'g') as double)"
    decimal = (
        f"coalesce({num}({{raw}}), case when regexp_full_match({{raw}}, '[0-9]+,[0-9]{{1,2}}') "
        "then try_cast(replace({raw}, ',', '.') as double) end)"
    )
    fast = f"case when regexp_matches(lower({kind}), '{TRACK}') then {RUN_FAST_M_S} else {FAST_M_S} end"
    return (
        f"case when regexp_matches(lower({kind}), '{SWIM}') then {num}({{raw}}) * {swim_unit} "
        f"when {whole} and {decimal} * {distance_unit} / nullif({seconds}, 0) > {fast} then {digits} "
        f"else {decimal} * {distance_unit} end"
    )


def parse_query(header: Header, facts: FileFacts) -> ParseQuery:
    """The parse of a Garmin export's rows, in the file's language, decimal mark and units."""
    p = header.positions()
    n = len(header.names)
    trailing = p[TRAILING_FROM][0] if TRAILING_FROM in p else None
    num = facts.num

    def at(c: str | None) -> str | None:
        """Column `c`'s field in a row of any width: in the trailing block, counted from the row's end."""
        if c is None or trailing is None or int(c[1:]) < trailing:
            return c
        i = int(c[1:])
        return f"[{', '.join(f'c{i + k}' for k in range(EXTRA_FIELDS + 1))}][width - {n - 1}]"

    type_col = col(p, "activity type")
    timer, timer_s = timer_seconds(header, num, at)

    f = partial(header_field, header, num=num, locate=at)

    kind = english_type(f"ct_txt({at(type_col)})", facts.types) if type_col else "''"
    imperial = facts.units == "imperial"
    distance_unit = METRES_PER["mi" if imperial else "km"]
    swim_unit = METRES_PER["yd" if imperial else "m"]
    elevation_unit = METRES_PER["ft" if imperial else "m"]

    # the timer read for a pause only when written H:MM:SS: Garmin writes long sessions' Time as H:MM
    # ("6:01" for a 6-hour race, "23:00" for a 162 km ultra: Bjarke848/AI_TrainingPlanner)
    timed = (
        f"regexp_matches(coalesce(ct_txt({at(timer)}), ''), '^[0-9]+:[0-9][0-9]:[0-9][0-9]')"
        if timer
        else "false"
    )

    def duration(c: str | None, label: str) -> Field:
        """A duration column, the timer's value where it is missing or zero (pool swims' moving time) or
        PAUSED_S or more below it (a pause left open: not training); unreadable text rejects the row (a
        wider row's misplaced value must not pass as the timer's)."""
        if c is None:
            return Field(raw=None, parse=timer_s)
        return f(
            c,
            label,
            "a duration (HH:MM:SS)",
            parse=f"case when {{raw}} is null or ct_secs({{raw}}) = 0 then coalesce({timer_s}, 0) "
            f"when {timed} and ct_secs({{raw}}) - {timer_s} >= {PAUSED_S} then {timer_s} "
            "else ct_secs({raw}) end",
            zero_is_missing=True,
        )

    date_formats = sql_list(DATE_FORMATS + numeric_date_formats(facts.date_order))
    fields = {
        "sport_type": f(
            type_col,
            "Activity Type",
            "an activity type",
            parse=english_type("{raw}", facts.types),
            required=True,
        ),
        "local_at": f(
            col(p, "date"),
            "Date",
            "a date",
            parse=f"try_strptime({{raw}}, {date_formats})",
            required=True,
            **date_check(),
        ),
        "name": f(col(p, "title"), "Title", parse="{raw}"),
        "timer_s": f(timer, "Time", "a duration (HH:MM:SS)", parse="ct_secs({raw})"),
        "moving_s": duration(col(p, "moving time"), "Moving Time"),
        "elapsed_s": duration(col(p, "elapsed time"), "Elapsed Time"),
        "distance_m": f(
            col(p, "distance"),
            "Distance",
            parse=distance_sql(num, kind, timer_s, distance_unit, swim_unit),
            zero_is_missing=True,
        ),
        "elevation_gain_m": f(
            col(p, "total ascent"), "Total Ascent", parse=f"{num}({{raw}}) * {elevation_unit}"
        ),
        "avg_hr": f(col(p, "avg hr"), "Avg HR", zero_is_missing=True),
        "max_hr": f(col(p, "max hr"), "Max HR", zero_is_missing=True),
    }
    widest = n if trailing is None else n + EXTRA_FIELDS
    paused = " or ".join(
        f"ct_secs(r_{name}) - timer_s >= {PAUSED_S}" for name in ("moving_s", "elapsed_s") if fields[name].raw
    )
    return ParseQuery(
        fields=fields,
        constants={"has_time": "true", "id_key": "''"},
        row_reject=width_reject(header.shown, widest),
        marks={
            "paused": (
                f"{timed} and ({paused})" if paused else "false",
                f"Moving or Elapsed Time {PAUSED_S // 3600} h or more above Time (the timer): taken as a "
                "pause left open, the Time counted",
            )
        },
    )
