"""Strava's bulk-export `activities.csv` (also inside the export .zip).

Facts this relies on (see the export files studied in ../shared/formats/README.md):
- dates are UTC, written per the account's locale: `Jan 5, 2024, 6:30:00 AM` (en-US), `21 May 2024,
  00:48:20` (en-AU/GB), `09.12.2022, 15:24:49` (German), `9 mei 2026, 19:00:00` (Dutch), `2014-09-12
  16:54:28` (pre-2019 header); re-saved by Excel, `1/5/2024 6:30` (order from the column: evidence.py);
- names repeat with different units: the first "Distance" is in display units (km or miles; swims in
  metres or yards), the second in metres; the first "Elapsed Time" integer seconds, the second float;
- the column count drifts (79 to 101), so columns are found by name and occurrence, never by position;
- the pre-2019 header is `id,date,name,type,description,elapsed_time,distance,...` with metres;
- localized exports translate the header and the type names (strava_languages.py); German ones write
  decimal commas.
"""

from __future__ import annotations

from functools import partial

import duckdb

from ingest.exports.formats import evidence
from ingest.exports.formats.common import (
    METRES_PER,
    RPE_CHECK,
    Field,
    FileFacts,
    ParseQuery,
    col,
    date_check,
    english_type,
    first_col,
    header_field,
    lit,
    numeric_date_formats,
    sql_list,
)
from ingest.exports.formats.header import Header
from ingest.exports.formats.strava_languages import MONTHS

DATE_FORMATS = [
    "%b %d, %Y, %I:%M:%S %p",
    "%d %b %Y, %H:%M:%S",
    "%d.%m.%Y, %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
]

NEW_REQUIRED = ("activity id", "activity date", "activity type")
OLD_REQUIRED = ("id", "date", "name", "type", "elapsed_time", "distance")
# A localized date naming its month: day, month name, year, time (`9 déc. 2022, 15:24:49`, `9 de dez.
# de 2022, 15:24:49`), the time on a 12-hour clock in some locales (`2 ago 2026, 12:20:32 p.m.`, the
# space before it U+202F in a real Latin-American Spanish export).
NAMED_MONTH = (
    r"^([0-9]{1,2})\.? (?:de )?([^ 0-9.,]+)\.? (?:de )?([0-9]{4}),? ([0-9]{1,2}):([0-9]{2}):([0-9]{2})"
    r"(?:[ \x{00a0}\x{202f}]*([ap])\.? ?m\.?)?$"
)


def missing(header: Header) -> list[str]:
    names = set(header.names)
    if "activity id" in names or "id" not in names:
        return [n for n in NEW_REQUIRED if n not in names]
    return [n for n in OLD_REQUIRED if n not in names]


def _distances(header: Header) -> tuple[str | None, str | None]:
    """The display-units "Distance" column and the metres one (None when the export lacks it)."""
    p = header.positions()
    if "activity id" not in p:  # pre-2019: one distance, in metres
        return None, col(p, "distance")
    return col(p, "distance"), col(p, "distance", 1)


def units(
    con: duckdb.DuckDBPyConnection, header: Header, facts: FileFacts, option: str | None
) -> tuple[str, str]:
    """km or miles for the display-units Distance; the metres column, where present, makes it moot."""
    display, metres = _distances(header)
    if metres:
        return "metric", "units: distances from the export's Distance column in metres"
    p = header.positions()
    speed, moving = col(p, "average speed"), first_col(p, "moving time", "elapsed time")
    if not (display and speed and moving):
        return evidence.units_from_ratio(con, "select null::double", "activities with average speed", option)
    num = facts.num
    ratio = f"""select {num}(ct_txt({speed})) * ct_secs(ct_txt({moving}))
                       / nullif({num}(ct_txt({display})) * 1000, 0)
                from _raw where lower(ct_txt({col(p, "activity type")})) not like '%swim%'"""
    return evidence.units_from_ratio(con, ratio, "activities' average speed x moving time", option)


def _named_month_date(raw: str, language: str) -> str:
    """SQL for a localized date with a month name (`9 mei 2026, 19:00:00`), NULL when it isn't one."""
    months = MONTHS.get(language)
    if not months:
        return "null::timestamp"
    whens = " ".join(f"when {lit(k)} then {v}" for k, v in months.items())
    p = f"regexp_extract(lower({raw}), {lit(NAMED_MONTH)}, ['d', 'mon', 'y', 'h', 'mi', 's', 'ap'])"
    hour = "(x.h::int % 12 + case x.ap when 'p' then 12 when 'a' then 0 else x.h::int - x.h::int % 12 end)"
    return (
        f"(select try(make_timestamp(x.y::int, (case x.mon {whens} end), x.d::int, {hour}, x.mi::int, "
        f"x.s::double)) from (select {p} as x) where x.y <> '')"
    )


def parse_query(header: Header, facts: FileFacts) -> ParseQuery:
    """The parse of a Strava export's rows."""
    p = header.positions()
    num = facts.num
    old = "activity id" not in p
    type_col = first_col(p, "activity type", "type")
    kind = english_type(f"ct_txt({type_col})", facts.types)

    f = partial(header_field, header, num=num)

    display, metres = _distances(header)
    imperial = facts.units == "imperial"
    distance_unit = METRES_PER["mi" if imperial else "km"]
    swim_unit = METRES_PER["yd" if imperial else "m"]
    if old:
        distance = f(metres, "distance")
    else:
        d1 = f"ct_txt({display})"
        from_display = (
            f"{num}({d1}) * case when lower({kind}) like '%swim%' then {swim_unit} else {distance_unit} end"
        )
        if metres:
            d2 = f"ct_txt({metres})"
            distance = f(
                metres,
                "Distance",
                parse=f"case when {d2} is not null then {num}({d2}) else {from_display} end",
            )
            distance.raw = f"coalesce({d2}, {d1})"
        else:
            distance = f(display, "Distance", parse=from_display)
    # The second Elapsed Time (float seconds) when the row has it, else the first (whole seconds): older
    # uploads in some exports leave the second empty (GarethHarcombe/cosc470, held-out-7).
    elapsed = f(
        col(p, "elapsed time", 1) or col(p, "elapsed time") or col(p, "elapsed_time"),
        "Elapsed Time",
        "seconds",
        parse="ct_secs({raw})",
    )
    if (second := col(p, "elapsed time", 1)) and (first := col(p, "elapsed time")):
        elapsed.raw = f"coalesce(ct_txt({second}), ct_txt({first}))"
    date_formats = sql_list(DATE_FORMATS + numeric_date_formats(facts.date_order))
    named = _named_month_date("{raw}", facts.language)
    fields = {
        "source_id": f(
            first_col(p, "activity id", "id"),
            "Activity ID",
            "an activity id",
            parse="case when regexp_full_match({raw}, '[0-9]{1,19}') then {raw} end",
            required=True,
        ),
        "utc_at": f(
            first_col(p, "activity date", "date"),
            "Activity Date",
            "a date",
            parse=f"coalesce(try_strptime(replace({{raw}}, 'Sept', 'Sep'), {date_formats}), {named})",
            required=True,
            **date_check(),
        ),
        "sport_type": f(
            type_col,
            "Activity Type",
            "an activity type",
            parse=english_type("{raw}", facts.types),
            required=True,
        ),
        "name": f(first_col(p, "activity name", "name"), "Activity Name", parse="{raw}"),
        "description": Field(
            raw=f"nullif({c}, '')" if (c := first_col(p, "activity description", "description")) else None
        ),
        "elapsed_s": elapsed,
        "moving_s": f(col(p, "moving time"), "Moving Time", "seconds", parse="ct_secs({raw})"),
        "distance_m": distance,
        "elevation_gain_m": f(col(p, "elevation gain"), "Elevation Gain"),
        "avg_hr": f(col(p, "average heart rate"), "Average Heart Rate", zero_is_missing=True),
        "max_hr": f(
            col(p, "max heart rate", 1) or col(p, "max heart rate"),
            "Max Heart Rate",
            zero_is_missing=True,
        ),
        "rpe": f(col(p, "perceived exertion"), "Perceived Exertion", **RPE_CHECK),
        "relative_effort": f(col(p, "relative effort") or col(p, "relative effort", 1), "Relative Effort"),
    }
    return ParseQuery(fields=fields, constants={"has_time": "true"})
