"""Garmin Connect's `Activities.csv`.

Facts this relies on (see ../shared/formats/README.md): `Date` is local time without offset; `--`
marks a missing value; numbers carry thousands separators (`"1,000"`) or, in a decimal-comma locale,
decimal commas (`"9,33"`, `00:03:42,5`) with dot thousands (`"8.630"`); times are `HH:MM:SS`; the
duration column is `Time` in older exports and `Total Time` in newer ones; distances are km, except
pool swims and track runs, which are in metres.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.formats.common import Field, ParseQuery, col, first_col

if TYPE_CHECKING:
    from ingest.detect import Header

DATE_FORMATS = "['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M']"
REQUIRED = ("activity type", "date", "title", "distance")


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
    num = "ct_num_comma" if decimal_comma else "ct_num_dot"
    type_col = col(p, "activity type")
    timer = first_col(p, "time", "total time")

    def f(c: str | None, label: str, kind: str = "a number", parse: str | None = None, **kw) -> Field:
        return Field(
            raw=f"ct_txt({c})" if c else None,
            parse=parse or f"{num}({{raw}})",
            label=header.shown[int(c[1:])] if c else label,
            kind=kind,
            **kw,
        )

    timer_s = f"ct_secs(ct_txt({timer}))" if timer else "null::double"

    def duration(c: str | None, label: str) -> Field:
        """A duration column, the timer's value where it is missing or zero (pool swims' moving time)."""
        if c is None:
            return Field(raw=None, parse=timer_s)
        return f(
            c,
            label,
            "a duration (HH:MM:SS)",
            parse=f"coalesce(nullif(ct_secs({{raw}}), 0), {timer_s}, ct_secs({{raw}}))",
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
            parse=f"case when regexp_matches(lower({type_col}), 'swim|track') then {num}({{raw}}) "
            f"else {num}({{raw}}) * 1000 end",
            zero_is_missing=True,
        ),
        "elevation_gain_m": f(col(p, "total ascent"), "Total Ascent"),
        "avg_hr": f(col(p, "avg hr"), "Avg HR", zero_is_missing=True),
        "max_hr": f(col(p, "max hr"), "Max HR", zero_is_missing=True),
    }
    return ParseQuery(fields=fields, constants={"has_time": "true", "id_key": "''"})
