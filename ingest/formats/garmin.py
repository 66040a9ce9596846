"""Garmin Connect's `Activities.csv`.

Facts this relies on (see ../shared/formats/README.md): `Date` is local time without offset; `--`
marks a missing value; numbers carry thousands separators (`"1,000"`) or, in a decimal-comma locale,
decimal commas (`"9,33"`, `00:03:42,5`) with dot thousands (`"8.630"`); times are `HH:MM:SS`; the
duration column is `Time` in older exports and `Total Time` in newer ones; distances are km, except
pool swims and track runs, which are in metres.

Some rows are wider than the header: in ../shared/formats/garmin_2026_total_time.csv (33 names) lines 2
and 3 have 37 fields, 4 values inserted after `Steps`. The columns up to `Steps` still line up from the
start and the trailing block (`Decompression` .. `Max Elevation`) from the end, so a wider row's values
are taken by position from the start before `Decompression` and from the end from it on. A header
without `Decompression` gives no such anchor: its wider rows are rejected, as rows of other formats are.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ingest.csv_read import width_reject
from ingest.formats.common import Field, ParseQuery, col, first_col, header_field

if TYPE_CHECKING:
    from ingest.detect import Header

DATE_FORMATS = "['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M']"
REQUIRED = ("activity type", "date", "title", "distance")
EXTRA_FIELDS = 15  # the most fields a row may have beyond its header and still be read
TRAILING_FROM = "decompression"  # the first column of the block that lines up from the row's end


def matches(header: Header) -> bool:
    return not missing(header)


def missing(header: Header) -> list[str]:
    names = set(header.names)
    found = [n for n in REQUIRED if n not in names]
    if not names & {"time", "total time", "elapsed time"}:
        found.append("time")
    return found


def parse_query(header: Header, decimal_comma: bool) -> ParseQuery:
    """The parse of a Garmin export's rows; `decimal_comma` says which locale wrote the numbers."""
    p = header.positions()
    n = len(header.names)
    trailing = p[TRAILING_FROM][0] if TRAILING_FROM in p else None
    num = "ct_num_comma" if decimal_comma else "ct_num_dot"

    def at(c: str | None) -> str | None:
        """Column `c`'s field in a row of any width: in the trailing block, counted from the row's end."""
        if c is None or trailing is None or int(c[1:]) < trailing:
            return c
        i = int(c[1:])
        return f"[{', '.join(f'c{i + k}' for k in range(EXTRA_FIELDS + 1))}][width - {n - 1}]"

    type_col = col(p, "activity type")
    timer = first_col(p, "time", "total time")

    f = partial(header_field, header, num=num, locate=at)

    timer_s = f"ct_secs(ct_txt({at(timer)}))" if timer else "null::double"

    def duration(c: str | None, label: str) -> Field:
        """A duration column, the timer's value where it is missing or zero (pool swims' moving time);
        unreadable text rejects the row (a wider row's misplaced value must not pass as the timer's)."""
        if c is None:
            return Field(raw=None, parse=timer_s)
        return f(
            c,
            label,
            "a duration (HH:MM:SS)",
            parse=f"case when {{raw}} is null or ct_secs({{raw}}) = 0 then coalesce({timer_s}, 0) "
            "else ct_secs({raw}) end",
            zero_is_missing=True,
        )

    fields = {
        "sport_type": f(type_col, "Activity Type", "an activity type", parse="{raw}", required=True),
        "local_at": f(
            col(p, "date"), "Date", "a date", parse=f"try_strptime({{raw}}, {DATE_FORMATS})", required=True
        ),
        "name": f(col(p, "title"), "Title", parse="{raw}"),
        "timer_s": f(timer, "Time", "a duration (HH:MM:SS)", parse="ct_secs({raw})"),
        "moving_s": duration(col(p, "moving time"), "Moving Time"),
        "elapsed_s": duration(col(p, "elapsed time"), "Elapsed Time"),
        "distance_m": f(
            col(p, "distance"),
            "Distance",
            parse=f"case when regexp_matches(lower({at(type_col)}), 'swim|track') then {num}({{raw}}) "
            f"else {num}({{raw}}) * 1000 end",
            zero_is_missing=True,
        ),
        "elevation_gain_m": f(col(p, "total ascent"), "Total Ascent"),
        "avg_hr": f(col(p, "avg hr"), "Avg HR", zero_is_missing=True),
        "max_hr": f(col(p, "max hr"), "Max HR", zero_is_missing=True),
    }
    widest = n if trailing is None else n + EXTRA_FIELDS
    return ParseQuery(
        fields=fields,
        constants={"has_time": "true", "id_key": "''"},
        row_reject=width_reject(header.shown, widest),
    )
