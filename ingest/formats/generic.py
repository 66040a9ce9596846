"""The generic CSV: `date,type,duration` and optional `distance_km,rpe,name,athlete,avg_hr,max_hr`.

`date` is ISO 8601: a date (the row then has no time of day), a local date-time, or a date-time with
an offset (`Z`, `+02:00`), which makes it an instant: its local time is that instant in the athlete's
zone. `duration` is seconds or `[H:]MM:SS`. `type` is any Strava or Garmin type
name or a category name. An `athlete` column lets one file hold many athletes.
"""

from __future__ import annotations

from ingest.exports.formats.common import RPE_CHECK, Field, FileFacts, ParseQuery, col, date_check
from ingest.exports.formats.header import Header

REQUIRED = ("date", "type", "duration")
OPTIONAL = ("distance_km", "rpe", "name", "athlete", "avg_hr", "max_hr", "description")

ISO = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?"
)
# A local date-time without offset, as most generic files write it.
PLAIN_FORMATS = "['%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S']"
# An offset after the time of day (a bare date's `-05` is its day, not an offset).
OFFSET = r"(:[0-9]{2}(?:[.,][0-9]+)?)(Z|[+-][0-9]{2}(?::?[0-9]{2})?)$"


def missing(header: Header) -> list[str]:
    return [n for n in REQUIRED if n not in header.names]


def parse_query(header: Header, facts: FileFacts) -> ParseQuery:
    """The parse of a generic CSV's rows."""
    p = header.positions()
    date, kind, duration = (f"ct_txt({col(p, n)})" for n in REQUIRED)
    # `2024-01-31T06:30:00`: no offset, so no regular expression needed. A date-time that local_at
    # accepts has 19 characters only without an offset (OFFSET needs the seconds, and seconds plus an
    # offset make 20 or more); rows local_at rejects are rejected whatever these say. The length alone
    # decides: picking the 17th character costs more than the rest of the date's parse.
    plain = f"(length({date}) = 19)"

    def f(name: str, kind: str = "a number", parse: str = "ct_num_dot({raw})", **kw) -> Field:
        c = col(p, name)
        return Field(raw=f"ct_txt({c})" if c else None, parse=parse, label=name, kind=kind, **kw)

    hr_check = {"check": "{v} between 25 and 250", "check_reason": "is not a heart rate from 25 to 250"}
    fields = {
        "athlete": f("athlete", parse="{raw}"),
        "local_at": f(
            "date",
            "an ISO date (2024-01-31 or 2024-01-31T06:30:00)",
            # the common `2024-01-31T06:30:00` by its exact format (a quarter of the regular
            # expression's time on a million rows), the rest by the ISO expression
            parse=f"coalesce(case when length({{raw}}) = 19 then try_strptime({{raw}}, {PLAIN_FORMATS}) end, "
            f"case when regexp_full_match({{raw}}, '{ISO}') "
            f"then try_cast(regexp_replace(replace({{raw}}, ',', '.'), '{OFFSET}', '\\1') as timestamp) end)",
            required=True,
            **date_check(),
        ),
        "utc_at": Field(
            raw=None,
            parse=f"case when {plain} then null when regexp_matches({date}, '{OFFSET}') "
            f"then timezone('UTC', try_cast(replace({date}, ',', '.') as timestamptz)) end",
        ),
        "has_time": Field(raw=None, parse=f"length({date}) <> 10"),
        "sport_type": f("type", "an activity type", parse="{raw}", required=True),
        "moving_s": f(
            "duration",
            "a duration (seconds or [H:]MM:SS)",
            parse="ct_secs({raw})",
            required=True,
            check="{v} > 0 and {v} < 7 * 86400",
            check_reason="is not a duration above 0 and under a week",
        ),
        "elapsed_s": Field(raw=None, parse=f"ct_secs({duration})"),
        "distance_m": f(
            "distance_km",
            parse="ct_num_dot({raw}) * 1000",
            check="{v} >= 0 and {v} < 1e6",
            check_reason="is not a distance from 0 to 1000 km",
        ),
        "rpe": f("rpe", **RPE_CHECK),
        "name": f("name", parse="{raw}"),
        "description": f("description", parse="{raw}"),
        "avg_hr": f("avg_hr", **hr_check),
        "max_hr": f("max_hr", **hr_check),
        "id_key": Field(
            raw=None,
            # the offset as written keeps two instants with the same wall clock apart (the id hashes
            # the time as written, not the local time, which moves with the athlete's zone)
            parse=f"lower({kind}) || case when length({date}) = 10 "
            f"then '|' || coalesce(ct_secs({duration})::varchar, '') "
            f"when {plain} then '' "
            f"when regexp_matches({date}, '{OFFSET}') then '@' || regexp_extract({date}, '{OFFSET}', 2) "
            "else '' end",
        ),
    }
    if not facts.athlete_given and "athlete" in header.names:
        fields["athlete"].required = True
        fields["athlete"].kind = "an athlete name (or pass --athlete)"
    return ParseQuery(fields=fields)


def units(con: object, header: Header, facts: FileFacts, option: str | None) -> tuple[str, str]:
    """The generic format names its unit in the column: `distance_km`."""
    if "distance_km" not in header.names:
        return "metric", "units: no distance column"
    return "metric", "units: km (the distance_km column" + ("; --units does not apply)" if option else ")")
