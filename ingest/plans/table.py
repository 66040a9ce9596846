"""A plan CSV in its own columns: a coach's spreadsheet or a plan generator's table, not the generic
header. Two shapes (tests/fixtures/plans, tests/fixtures/README.md names the real files they mirror):

- **dated rows**: a date column (`Date`, `date`, `Datum`, `Fecha` ...) and columns of words: a kind
  (`Type`, `Sport`, `activity_category` ...), a name (`Workout`, `Activity`, `Session` ...), a
  distance (`Distance` "7km", or `distance_km` 7), a duration or RPE (`Duration`, `RPE / Duration`
  "40-45 min" or "RPE 5/10"), a pace and a description (`Detail`, `Notes` ...);
- **week grid**: one row per week (`Week`, optional), one column per weekday (`Mon` ... `Sun` or
  `Monday` ...), each cell a day's sessions ("5km Easy", "Strength + 30m Ride"); week 1 starts on the
  Monday of the plan's first day (`--as-of`), the rows in order.

Each row's or cell's words are read like a calendar event's (ingest/plans/words.py): the kind, name,
distance and duration columns make its summary, the description column its description. Dates are
ISO (2026-06-22), or day/month/year or month/day/year as the file's own dates decide (a first number
above 12 is a day); a file whose dates could be either is refused with one line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ingest.errors import CrosstrainError

DATE_COLUMNS = ("date", "datum", "fecha", "data", "day date", "start date", "start")
KIND_COLUMNS = (
    "type",
    "sport",
    "activity type",
    "activity category",
    "category",
    "discipline",
    "kind",
    "workout type",
)
NAME_COLUMNS = ("workout", "name", "activity", "session", "title", "summary", "training", "plan item")
DISTANCE_COLUMNS = (
    "distance",
    "distance km",
    "distance (km)",
    "km",
    "distance mi",
    "miles",
    "mi",
    "total miles",
    "total km",
)
DURATION_COLUMNS = ("duration", "rpe / duration", "duration (min)", "minutes", "time", "duration min")
RPE_COLUMNS = ("rpe",)
PACE_COLUMNS = ("pace", "target pace")
DESCRIPTION_COLUMNS = (
    "detail",
    "details",
    "description",
    "notes",
    "note",
    "comment",
    "comments",
    "workout description",
)
WEEK_COLUMNS = ("week", "wk", "woche", "semana", "semaine")
WEEKDAYS = (
    ("mon", "monday", "mo", "lun", "lunes", "montag"),
    ("tue", "tues", "tuesday", "tu", "di", "dienstag", "mar", "martes"),
    ("wed", "wednesday", "we", "mi", "mittwoch", "mie", "miercoles"),
    ("thu", "thur", "thurs", "thursday", "th", "do", "donnerstag", "jue", "jueves"),
    ("fri", "friday", "fr", "freitag", "vie", "viernes"),
    ("sat", "saturday", "sa", "samstag", "sab", "sabado"),
    ("sun", "sunday", "su", "so", "sonntag", "dom", "domingo"),
)
# "20m Yoga", "4x4m Hard": in a table that writes its distances in km and never in miles, a number under
# 100 followed by a bare m is minutes (plan generators that write "3 m run" for miles write no km)
KM_WRITTEN = re.compile(r"\d\s*km\b", re.I)
MILES_WRITTEN = re.compile(r"\d\s*(?:mi|miles?)\b", re.I)
BARE_M = re.compile(r"(?<![\d.,])(\d{1,2})\s?m\b(?![²/])")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


@dataclass
class Row:
    """One planned day's words: its line in the file, its day, summary and description."""

    line: int
    day: date
    summary: str
    description: str | None


@dataclass
class Table:
    """What a plan table holds: its shape, the rows read and the ones refused (line, column, why)."""

    shape: str  # "dated rows" | "week grid"
    rows: list[Row] = field(default_factory=list)
    refused: list[tuple[int, str, str]] = field(default_factory=list)


def _key(name: str) -> str:
    """A column's name as the tables above write it ("Workout_Type" is "workout type")."""
    return re.sub(r"[\s_]+", " ", name.strip().strip("\ufeff").lower())


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    keys = [_key(h) for h in header]
    return next((keys.index(n) for n in names if n in keys), None)


def _weekdays(header: list[str]) -> list[int] | None:
    keys = [_key(h).rstrip(".") for h in header]
    found = [next((i for i, k in enumerate(keys) if k in names), None) for names in WEEKDAYS]
    return found if sum(i is not None for i in found) >= 5 else None  # type: ignore[return-value]


def is_plan_table(header: list[str]) -> bool:
    """True for a header this module reads: a date and a kind or name column, or weekday columns."""
    dated = _find(header, DATE_COLUMNS) is not None
    words = _find(header, KIND_COLUMNS) is not None or _find(header, NAME_COLUMNS) is not None
    return (dated and words) or _weekdays(header) is not None


def _cells(text: str) -> list[list[str]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    return list(csv.reader(io.StringIO(text), dialect))


def _order(values: list[tuple[int, str]], shown: str) -> str:
    """'dmy' or 'mdy' for the file's numeric dates, decided by a first or second number above 12."""
    firsts = [int(m[1]) for _, v in values if (m := NUMERIC.match(v.strip()))]
    seconds = [int(m[2]) for _, v in values if (m := NUMERIC.match(v.strip()))]
    if not firsts:
        return "dmy"
    if any(f > 12 for f in firsts):
        return "dmy"
    if any(s > 12 for s in seconds):
        return "mdy"
    line = next(n for n, v in values if NUMERIC.match(v.strip()))
    raise CrosstrainError(
        f"{shown}:{line}: dates like '{values[0][1].strip()}' could be day/month or month/day and no date in "
        "the file decides it: write them as YYYY-MM-DD"
    )


def _date(value: str, order: str) -> date | None:
    value = value.strip()
    try:
        if m := ISO.match(value):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := NUMERIC.match(value):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            return date(year, b, a) if order == "dmy" else date(year, a, b)
    except ValueError:
        return None
    return None


def _with_unit(value: str, unit: str) -> str:
    """A bare number in a distance or duration column, with the unit its header names."""
    value = value.strip()
    return f"{value} {unit}" if re.fullmatch(r"\d+(?:[.,]\d+)?", value) else value


def _summary(cells: list[str], header: list[str]) -> tuple[str, str | None]:
    """A dated row's summary (kind, name, distance, duration, RPE, pace) and description."""

    def cell(names: tuple[str, ...]) -> str:
        i = _find(header, names)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    parts = [cell(KIND_COLUMNS), cell(NAME_COLUMNS)]
    distance = _find(header, DISTANCE_COLUMNS)
    if distance is not None and distance < len(cells):
        unit = "mi" if _key(header[distance]) in ("distance mi", "miles", "mi", "total miles") else "km"
        parts.append(_with_unit(cells[distance], unit))
    parts.append(_with_unit(cell(DURATION_COLUMNS), "min"))
    rpe = cell(RPE_COLUMNS)
    if rpe:
        parts.append(rpe if "rpe" in rpe.lower() else f"RPE {rpe}")
    pace = cell(PACE_COLUMNS)
    if re.match(r"^\d{1,2}:\d{2}", pace):
        parts.append(f"@ {pace}")
    # the kind column's word once: "run Easy run" reads as "Easy run"
    if parts[0] and parts[1] and parts[0].lower() in parts[1].lower():
        parts[0] = ""
    return " ".join(p for p in parts if p), cell(DESCRIPTION_COLUMNS) or None


def read_table(raw: bytes, shown: str, first: date) -> Table:
    """The planned rows of a plan table (see the module doc); raises CrosstrainError (one line) on a
    file it can't read at all."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    rows = _cells(text)
    if not rows:
        raise CrosstrainError(f"{shown}: empty file")
    header, body = rows[0], rows[1:]
    if KM_WRITTEN.search(text) and not MILES_WRITTEN.search(text):
        body = [[BARE_M.sub(r"\1 min", c) for c in r] for r in body]
    days = _weekdays(header)
    dated = _find(header, DATE_COLUMNS)
    if dated is not None and is_plan_table(header):
        table = Table("dated rows")
        order = _order([(n, r[dated]) for n, r in enumerate(body, start=2) if dated < len(r)], shown)
        for n, cells in enumerate(body, start=2):
            if not any(c.strip() for c in cells):
                continue
            value = cells[dated] if dated < len(cells) else ""
            day = _date(value, order)
            if day is None:
                why = f"'{value.strip()}' is not a date (YYYY-MM-DD or D/M/YYYY)"
                table.refused.append((n, header[dated], why))
                continue
            summary, description = _summary(cells, header)
            table.rows.append(Row(n, day, summary, description))
        return table
    if days is not None:
        table = Table("week grid")
        week_col = _find(header, WEEK_COLUMNS)
        monday = first - timedelta(days=first.weekday())
        for index, cells in enumerate(body):
            n = index + 2
            if not any(c.strip() for c in cells):
                continue
            week = index
            if week_col is not None and week_col < len(cells) and cells[week_col].strip().isdigit():
                week = int(cells[week_col]) - 1
            for weekday, col in enumerate(days):
                if col is None or col >= len(cells) or not cells[col].strip():
                    continue
                day = monday + timedelta(days=7 * week + weekday)
                table.rows.append(Row(n, day, cells[col].strip(), None))
        return table
    raise CrosstrainError(f"{shown}: not a plan table")


def as_datetime(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
