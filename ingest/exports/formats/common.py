"""SQL shared by the CSV formats: value parsers (DuckDB macros) and the parse-and-validate query builder.

Every format turns the raw text columns c0..cN of `_raw` into the same parsed shape (PARSED): canonical
values plus, for a row that can't be read, the column and reason. Parsing is a single SQL query; a
value that is present but unreadable rejects its row, a missing optional value is just NULL.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ingest.database.store import ACTIVITY_FIELDS
from ingest.exports.formats.header import Header

# Marks of a missing value in exports: Garmin writes `--` and `--:--:--`.
MACROS = r"""
create or replace temp macro ct_txt(x) as
    case when trim(x) in ('', '--', '--:--:--', '--:--') then null else trim(x) end;
create or replace temp macro ct_finite(v) as case when isfinite(v) then v end;
create or replace temp macro ct_num_dot(x) as ct_finite(coalesce(
    try_cast(x as double),
    case when regexp_full_match(x, '[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?')
         then try_cast(replace(x, ',', '') as double) end));
create or replace temp macro ct_num_comma(x) as ct_finite(
    case when regexp_full_match(x, '[-+]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]*)?|[-+]?[0-9]*,?[0-9]+')
         then try_cast(replace(replace(x, '.', ''), ',', '.') as double) end);
create or replace temp macro ct_hms(p) as
    case when p.m <> '' and (p.h = '' or p.m::int < 60) and replace(p.s, ',', '.')::double < 60
         then coalesce(try_cast(nullif(p.h, '') as double), 0) * 3600 + p.m::int * 60
              + replace(p.s, ',', '.')::double end;
create or replace temp macro ct_secs(x) as
    case when regexp_full_match(x, '[0-9]+([.,][0-9]+)?') then try_cast(replace(x, ',', '.') as double)
         else ct_hms(regexp_extract(x, '^(?:([0-9]+):)?([0-9]{1,2}):([0-9]{1,2}(?:[.,][0-9]+)?)$',
                                    ['h', 'm', 's'])) end;
-- A pace `M:SS` per km or mile; Excel re-saves one above 24 minutes as `54:24:00` (hours:minutes).
create or replace temp macro ct_pace(x) as
    (select try_cast(p.m as int) * 60 + try_cast(p.s as int)
     from (select regexp_extract(x, '^([0-9]{1,3}):([0-5][0-9])(?::00)?$', ['m', 's']) as p)
     where p.m <> '');
"""

# The parsed shape every format's query returns, in this order.
PARSED = (
    "rec",  # row number in _raw (0-based), to find its line in the file
    "athlete",  # athlete name from the file, or NULL
    "local_at",  # wall-clock start (NULL when only UTC is known)
    "utc_at",  # UTC start (NULL when only the wall clock is known)
    "has_time",
    "source_id",  # NULL: a content hash of start_local and id_key is used
    "id_key",
    "strava_id",
    *ACTIVITY_FIELDS,
)


# Conversions to the store's units (NIST SP 811: 1 mi = 1609.344 m, 1 yd = 0.9144 m, 1 ft = 0.3048 m).
METRES_PER = {"km": 1000.0, "mi": 1609.344, "m": 1.0, "yd": 0.9144, "ft": 0.3048}
UNIT_WORDS = {"metric": "km, metres", "imperial": "miles, feet"}

# Dates before 1970 or more than a day ahead are typos (`0204-04-10`), not sessions: crosstrain's
# convention.


def date_check() -> dict[str, str]:
    """Field keywords rejecting a parsed timestamp `{v}` before 1970 or more than a day from now (UTC,
    taken once, as a literal: a per-row `now()` costs time on a million rows)."""
    latest = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    return {
        "check": f"{{v}} >= timestamp '1970-01-01' and {{v}} <= timestamp '{latest}'",
        "check_reason_sql": "case when {v} < timestamp '1970-01-01' then 'is before 1970' "
        "else 'is more than a day in the future' end",
    }


# RPE on Borg's CR-10 scale as Foster et al. (2001) use it for session RPE: 0 (rest) to 10, with 0.5
# ("very, very easy") the one half step the scale names; halves elsewhere are accepted too.
RPE_CHECK = {
    "check": "{v} between 0 and 10 and {v} * 2 = round({v} * 2)",
    "check_reason": "is not a perceived exertion on the CR-10 scale (0 to 10, in steps of 0.5)",
}


@dataclass
class FileFacts:
    """What a file's own evidence (and the user's overrides) says about how to read its values."""

    language: str = "en"
    decimal_comma: bool = False
    units: str = "metric"  # 'metric' | 'imperial': km or miles, metres or feet
    date_order: str | None = None  # 'dmy' | 'mdy' for numeric dates like 5/1/24; None when none
    types: Mapping[str, str] = field(default_factory=dict)  # localized type -> English type
    athlete_given: bool = False  # --athlete (or a Strava profile) names the athlete
    notes: list[str] = field(default_factory=list)  # one line each for the import summary

    @property
    def num(self) -> str:
        """The number macro for this file's decimal mark."""
        return "ct_num_comma" if self.decimal_comma else "ct_num_dot"


def english_type(raw: str, types: Mapping[str, str]) -> str:
    """SQL for the English type name of the localized type text `raw` (unknown names kept as written).
    Case and accents don't matter: a file re-saved without its accents (`Lopband`) still matches."""
    if not types:
        return raw
    keys = {unicodedata.normalize("NFD", k.lower()): v for k, v in sorted(types.items())}
    plain = {"".join(c for c in k if not unicodedata.combining(c)): v for k, v in keys.items()}
    whens = " ".join(f"when {lit(k)} then {lit(v)}" for k, v in sorted(plain.items()))
    return f"(case strip_accents(lower({raw})) {whens} else {raw} end)"


def numeric_date_formats(order: str | None) -> list[str]:
    """strptime formats for dates written with numbers and slashes or dashes (Excel's `1/5/24 6:30`).

    Two-digit years first: `%Y` would read `24` as the year 24.
    """
    if order is None:
        return []
    day_month = "%d/%m" if order == "dmy" else "%m/%d"
    found = []
    for sep in ("/", "-"):
        dm = day_month.replace("/", sep)
        for year in ("%y", "%Y"):
            for time in (" %H:%M:%S", " %H:%M", " %I:%M:%S %p", " %I:%M %p", ", %H:%M:%S", ""):
                found.append(f"{dm}{sep}{year}{time}")
    return found


def sql_list(items: list[str]) -> str:
    """`items` as an SQL list of string literals."""
    return "[" + ", ".join(lit(i) for i in items) + "]"


def lit(text: str) -> str:
    """`text` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def col(positions: dict[str, list[int]], name: str, nth: int = 0) -> str | None:
    """The raw column (`c12`) holding the `nth` occurrence of header `name`, or None."""
    found = positions.get(name, [])
    return f"c{found[nth]}" if len(found) > nth else None


def first_col(positions: dict[str, list[int]], *names: str) -> str | None:
    """The first of `names` present in the header."""
    for name in names:
        if (c := col(positions, name)) is not None:
            return c
    return None


@dataclass
class Field:
    """One parsed value: the SQL computing it from `raw` and how a bad value is reported.

    `raw` is an SQL expression for the cleaned text (NULL when missing); `parse` uses `{raw}`.
    A row is rejected when the text is present but `parse` gives NULL, or when `check` (SQL over the
    parsed value `{v}`) is false; `required` rejects a row whose text is missing.
    """

    raw: str | None
    parse: str = "{raw}"
    label: str = ""
    kind: str = ""
    required: bool = False
    check: str | None = None
    check_reason: str = ""
    check_reason_sql: str | None = None  # SQL over `{v}` giving the reason, instead of check_reason
    zero_is_missing: bool = False  # Garmin writes 0 for an HR it did not measure


def header_field(
    header: Header,
    c: str | None,
    label: str,
    kind: str = "a number",
    parse: str | None = None,
    *,
    num: str,
    locate: Callable[[str], str] = str,
    **kw: Any,
) -> Field:
    """The Field of export column `c` (None when the file lacks it; then `label` names it in rejects).

    Numbers parse with macro `num` (the file's decimal mark) unless `parse` says otherwise; `locate`
    turns a column into the SQL that finds its field in a row (Garmin's wider rows need that).
    """
    return Field(
        raw=f"ct_txt({locate(c)})" if c else None,
        parse=parse or f"{num}({{raw}})",
        label=header.shown[int(c[1:])] if c else label,
        kind=kind,
        **kw,
    )


@dataclass
class ParseQuery:
    """Builds the single SELECT over `_raw` that parses and validates every row."""

    fields: dict[str, Field] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    # SQL (column, reason) over `_raw` rejecting a whole row before its values (a row of the wrong width)
    row_reject: tuple[str, str] | None = None
    # Rows a format read in a way the summary must say (a value it replaced): name -> (a condition over
    # the row's raw `r_<field>` and parsed fields, the note). `_parsed` gets a boolean `mark_<name>`;
    # the importer counts the good rows it marks, notes them and drops the column (importer.read_rows).
    marks: dict[str, tuple[str, str]] = field(default_factory=dict)

    def sql(self) -> str:
        inner = ["rowid as rec"]
        checks: list[tuple[str, str, str]] = []  # (condition, column, reason) in the order they count
        if self.row_reject:
            inner.append(
                f"{self.row_reject[0]} as row_reject_column, {self.row_reject[1]} as row_reject_reason"
            )
            checks.append(("row_reject_reason is not null", "row_reject_column", "row_reject_reason"))
        for name, f in self.fields.items():
            raw = f.raw or "null::varchar"
            inner.append(f"{raw} as r_{name}")
            if f.raw:
                parsed = f.parse.replace("{raw}", f"r_{name}")
            else:  # no such column: a constant or an expression over other columns
                parsed = "null" if "{raw}" in f.parse else f.parse
            inner.append(f"{parsed} as {name}")
        inner += [
            f"coalesce({condition}, false) as mark_{name}" for name, (condition, _) in self.marks.items()
        ]
        for name, f in self.fields.items():
            if f.raw is None:
                continue
            shown = f"chr(39) || regexp_replace(left(r_{name}, 40), '[[:cntrl:]]', '?', 'g') || chr(39)"
            label = lit(f.label)
            if f.required:
                checks.append((f"r_{name} is null", label, lit("missing " + f.kind)))
            bad = f"r_{name} is not null and {name} is null"
            checks.append((bad, label, f"'cannot read ' || {shown} || {lit(' as ' + f.kind)}"))
            if f.check:
                check = f.check.replace("{v}", name)
                cond = f"{name} is not null and not ({check})"
                reason = (
                    f.check_reason_sql.replace("{v}", name) if f.check_reason_sql else lit(f.check_reason)
                )
                checks.append((cond, label, f"{shown} || ' ' || {reason}"))
        outer = []
        for name in PARSED:
            if name == "rec":
                outer.append("rec")
            elif name in self.fields:
                outer.append(f"nullif({name}, 0) as {name}" if self.fields[name].zero_is_missing else name)
            else:
                outer.append(f"{self.constants.get(name, 'null')} as {name}")
        outer += [f"mark_{name}" for name in self.marks]
        # The checks are tested once per row, giving the number of the first that fails; the column and
        # the reason are then picked by that number, and a good row (no number) passes them at once.
        failed = "case " + " ".join(f"when {c} then {i}" for i, (c, _, _) in enumerate(checks)) + " end"

        def pick(part: int) -> str:
            whens = " ".join(f"when _reject = {i} then {check[part]}" for i, check in enumerate(checks))
            return f"case when _reject is null then null {whens} end"

        # Each column's cleaned text once: the fields read `ct_txt(c3)` several times (a date gives the
        # time, whether it has one, its offset and the id), and DuckDB would clean it each time.
        parse = ", ".join(inner)
        cleaned = sorted(set(re.findall(r"ct_txt\((c[0-9]+)\)", parse)), key=lambda c: int(c[1:]))
        parse = re.sub(r"ct_txt\((c[0-9]+)\)", r"t_\1", parse)
        rows = f"select rowid, *, {', '.join(f'ct_txt({c}) as t_{c}' for c in cleaned)} from _raw"
        if not checks:
            return f"select {', '.join(outer)}, null as reject_column, null as reject_reason\n" + (
                f"from (select {parse} from ({rows}))"
            )
        return (
            f"select {', '.join(outer)}, {pick(1)} as reject_column, {pick(2)} as reject_reason\n"
            f"from (select *, {failed} as _reject from (select {parse} from ({rows})))"
        )


FEWER_FIELDS = "the row has fewer fields than the header"
MORE_FIELDS = "the row has more fields than the header"


def width_reject(shown: list[str], widest: int) -> tuple[str, str]:
    """SQL (column, reason) rejecting a row of a padded `_raw` narrower than the header `shown` or wider
    than `widest` fields, in DuckDB's words: a short row names its first missing column."""
    names = sql_list(shown)
    short = f"width < {len(shown)}"
    return (
        f"case when {short} then {names}[width + 1] end",
        f"case when {short} then {lit(FEWER_FIELDS)} when width > {widest} then {lit(MORE_FIELDS)} end",
    )
