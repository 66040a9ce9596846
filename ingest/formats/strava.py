"""Strava's bulk-export `activities.csv` (also inside the export .zip).

Facts this relies on (see the export files studied in ../shared/formats/README.md):
- dates are UTC, written per the account's locale: `Jan 5, 2024, 6:30:00 AM` (en-US), `21 May 2024,
  00:48:20` (en-AU/GB), `09.12.2022, 15:24:49` (German), `2014-09-12 16:54:28` (pre-2019 header);
- names repeat with different units: the first "Distance" is in display units (km; swims in metres with
  a thousands comma), the second in metres; the first "Elapsed Time" integer seconds, the second float;
- the column count drifts (79 to 101), so columns are found by name and occurrence, never by position;
- the pre-2019 header is `id,date,name,type,description,elapsed_time,distance,...` with metres;
- German exports translate the header (GERMAN_HEADERS) and write decimal commas.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ingest.formats.common import Field, ParseQuery, col, first_col, header_field

if TYPE_CHECKING:
    from ingest.detect import Header

DATE_FORMATS = [
    "%b %d, %Y, %I:%M:%S %p",
    "%d %b %Y, %H:%M:%S",
    "%d.%m.%Y, %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
]

# The German export's names for the columns read here (the full map is in ../shared/formats/).
GERMAN_HEADERS = {
    "Aktivitäts-ID": "Activity ID",
    "Aktivitätsdatum": "Activity Date",
    "Name der Aktivität": "Activity Name",
    "Aktivitätsart": "Activity Type",
    "Aktivitätsbeschreibung": "Activity Description",
    "Verstrichene Zeit": "Elapsed Time",
    "Distanz": "Distance",
    "Max. Herzfrequenz": "Max Heart Rate",
    "Relative Leistung": "Relative Effort",
    "Bewegungszeit": "Moving Time",
    "Höhenzunahme": "Elevation Gain",
    "Durchschnittliche Herzfrequenz": "Average Heart Rate",
    "Gefühlte Anstrengung": "Perceived Exertion",
}

NEW_REQUIRED = ("activity id", "activity date", "activity type")
OLD_REQUIRED = ("id", "date", "name", "type", "elapsed_time", "distance")


def matches(header: Header) -> bool:
    return not missing(header)


def missing(header: Header) -> list[str]:
    names = set(header.names)
    if "activity id" in names or "id" not in names:
        return [n for n in NEW_REQUIRED if n not in names]
    return [n for n in OLD_REQUIRED if n not in names]


def decimal_comma(header: Header) -> bool:
    """German exports write decimal commas."""
    return any(name in GERMAN_HEADERS for name in header.shown)


def parse_query(header: Header) -> ParseQuery:
    """The parse of a Strava export's rows."""
    p = header.positions()
    num = "ct_num_comma" if decimal_comma(header) else "ct_num_dot"
    old = "activity id" not in p
    type_col = first_col(p, "activity type", "type")

    f = partial(header_field, header, num=num)

    first_distance, second_distance = col(p, "distance"), col(p, "distance", 1)
    if old:
        distance = f(first_distance, "distance")
    elif second_distance:
        d1 = f"ct_txt({first_distance})"
        d2 = f"ct_txt({second_distance})"
        distance = f(
            second_distance,
            "Distance",
            parse=f"case when {d2} is not null then {num}({d2}) when lower({type_col}) like '%swim%' "
            f"then {num}({d1}) else {num}({d1}) * 1000 end",
        )
        distance.raw = f"coalesce({d2}, {d1})"
    else:
        distance = f(
            first_distance,
            "Distance",
            parse=f"case when lower({type_col}) like '%swim%' then {num}({{raw}}) "
            f"else {num}({{raw}}) * 1000 end",
        )
    date_formats = "[" + ", ".join(f"'{fmt}'" for fmt in DATE_FORMATS) + "]"
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
            parse=f"try_strptime(replace({{raw}}, 'Sept', 'Sep'), {date_formats})",
            required=True,
        ),
        "sport_type": f(type_col, "Activity Type", "an activity type", parse="{raw}", required=True),
        "name": f(first_col(p, "activity name", "name"), "Activity Name", parse="{raw}"),
        "description": Field(
            raw=f"nullif({c}, '')" if (c := first_col(p, "activity description", "description")) else None
        ),
        "elapsed_s": f(
            col(p, "elapsed time", 1) or col(p, "elapsed time") or col(p, "elapsed_time"),
            "Elapsed Time",
            "seconds",
            parse="ct_secs({raw})",
        ),
        "moving_s": f(col(p, "moving time"), "Moving Time", "seconds", parse="ct_secs({raw})"),
        "distance_m": distance,
        "elevation_gain_m": f(col(p, "elevation gain"), "Elevation Gain"),
        "avg_hr": f(col(p, "average heart rate"), "Average Heart Rate", zero_is_missing=True),
        "max_hr": f(
            col(p, "max heart rate", 1) or col(p, "max heart rate"),
            "Max Heart Rate",
            zero_is_missing=True,
        ),
        "rpe": f(
            col(p, "perceived exertion"),
            "Perceived Exertion",
            check="{v} between 1 and 10",
            check_reason="is not a perceived exertion from 1 to 10",
        ),
        "relative_effort": f(col(p, "relative effort") or col(p, "relative effort", 1), "Relative Effort"),
    }
    return ParseQuery(fields=fields, constants={"has_time": "true"})
