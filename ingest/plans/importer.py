"""`crosstrain plan import`: a coach's planned sessions into `planned_sessions`, apart from done ones.

A plan is a generic CSV (`date,type,duration` and the optional columns, read by the generic format's
own parse and reject reporting, ingest/exports/importer.read_rows; `duration` may be empty where a distance
is given) or an iCalendar file (ingest/plans/ics.py). Every planned day from the window's first day
(`--as-of`, default today) on is read: calendar series up to the plan horizon (`[plan] horizon_days`,
a year by default), single days up to a year past it. What each session's words say (kind, intensity,
structure, duration, distance, RPE) is read by ingest/plans/words.py; types become categories through
the same rules as activities (ingest/categories.py). A distance without a duration takes the
athlete's recent pace for that kind (PACE_DAYS before the first day, at least PACE_MIN_SESSIONS
sessions), else `--pace`, else DEFAULT_PACE; a session with neither takes DEFAULT_MINUTES. Every such
guess is said in the summary. Importing a plan again replaces the athlete's planned sessions from the
first to the last day the file plans; each file is one transaction (with the caller's `then`, e.g. the
plan check the overview keeps), so a failure halfway leaves the plan as it was.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from ingest import categories
from ingest.database import store
from ingest.database.db import connect
from ingest.database.transaction import transaction
from ingest.errors import ConfigError, CrosstrainError, first_line
from ingest.exports.detect import detect, read_header
from ingest.exports.formats import generic
from ingest.exports.formats.common import MACROS, ParseQuery
from ingest.exports.importer import TEMP_TABLES, Reject, read_rows, stage_rows
from ingest.plans import words as plan_words
from ingest.plans.ics import Calendar, Occurrence, Skipped, read_calendar
from ingest.plans.table import as_datetime, is_plan_table, read_table

# The columns a staged plan table holds.
PLAN_COLUMNS = (
    "athlete_id",
    "start_local",
    "has_time",
    "sport_type",
    "name",
    "description",
    "moving_s",
    "distance_m",
    "rpe",
    "intensity",
    "structure",
    "duration_source",
    "rpe_source",
)
PLAN_TYPES = (
    "integer", "timestamp", "boolean", "varchar", "varchar", "varchar", "double", "double", "double",
    "varchar", "varchar", "varchar", "varchar",
)  # fmt: skip

HORIZON_DAYS = 365  # [plan] horizon_days: how far ahead calendar series are expanded
MAX_SESSIONS_PER_DAY = 4  # [plan] max_sessions_per_day: more on one day is refused (crosstrain's convention)
MAX_SESSION_S = 24 * 3600
MAX_CSV_ROWS = 5000  # a plan CSV's rows (a team's year of daily sessions; crosstrain's convention)
PACE_DAYS = 90
# Categories of support work: a planned session of these takes no run intensity from its words
SUPPORT_CATEGORIES = ("strength", "pilates", "mobility")
PACE_MIN_SESSIONS = 3
# crosstrain's convention: seconds per km where the athlete's history and --pace don't say
DEFAULT_PACE = {
    "run": 360.0,  # 6:00/km
    "ride": 144.0,  # 25 km/h
    "swim": 1200.0,  # 2:00/100 m
    "walk": 720.0,  # 5 km/h
    "hike": 900.0,  # 4 km/h
    "row": 300.0,  # 2:30/500 m
    "ski": 360.0,
}
# crosstrain's convention: minutes of a session whose plan gives neither duration nor distance, by
# intensity for runs, else by category
DEFAULT_MINUTES = {
    "recovery": 30, "easy": 45, "strides": 45, "long": 90, "steady": 50, "tempo": 50, "threshold": 50,
    "intervals": 50, "hills": 45, "race": 60,
    "run": 45, "strength": 30, "pilates": 45, "mobility": 20, "cross": 45, "other": 30,
}  # fmt: skip


@dataclass
class Window:
    """The days a plan import reads: from `first` (--as-of), series up to `horizon`."""

    first: date
    horizon: date
    max_per_day: int = MAX_SESSIONS_PER_DAY


def window(first: date, settings: dict[str, Any]) -> Window:
    """The plan window from `first`, with the settings' `[plan]` horizon_days and max_sessions_per_day."""
    table = settings.get("plan", {})
    if not isinstance(table, dict):
        raise ConfigError("[plan]: expected a table (horizon_days, max_sessions_per_day)")
    days, most = (
        table.get("horizon_days", HORIZON_DAYS),
        table.get("max_sessions_per_day", MAX_SESSIONS_PER_DAY),
    )
    if not isinstance(days, int) or not 1 <= days <= 3660:
        raise ConfigError("[plan] horizon_days: expected a whole number of days from 1 to 3660")
    if not isinstance(most, int) or not 1 <= most <= 20:
        raise ConfigError("[plan] max_sessions_per_day: expected a whole number from 1 to 20")
    return Window(first, first + timedelta(days=days), most)


def parse_pace(values: tuple[str, ...] | list[str]) -> dict[str, float]:
    """`--pace` values ("5:30" or "5.5" minutes per km for runs; "ride=2:24" for a kind) as seconds
    per km by kind. Raises CrosstrainError on a value it can't read."""
    out = {}
    for value in values:
        kind, _, pace = value.rpartition("=")
        kind = kind.strip().lower() or "run"
        try:
            if ":" in pace:
                minutes, seconds = pace.split(":")
                per_km = int(minutes) * 60 + int(seconds)
            else:
                per_km = float(pace) * 60
        except ValueError:
            per_km = 0
        if kind not in DEFAULT_PACE or not 30 <= per_km <= 3600:
            raise CrosstrainError(
                f"--pace {value}: expected minutes per km (5:30 or 5.5), optionally for a kind "
                f"({', '.join(DEFAULT_PACE)}=MIN_PER_KM)"
            )
        out[kind] = float(per_km)
    return out


@dataclass
class Entry:
    """One planned row or calendar occurrence, before its words are read."""

    line: int | None
    start: datetime
    has_time: bool
    name: str
    description: str | None
    sport_type: str | None = None  # the CSV's type column
    seconds: float | None = None  # the CSV's duration
    distance_m: float | None = None  # the CSV's distance
    rpe: float | None = None  # the CSV's rpe
    length_s: float | None = None  # a timed calendar event's own length
    split: bool = True  # a calendar summary may plan two sessions ("Strength + 5K easy run")


@dataclass
class PlanResult:
    """What importing one plan file did."""

    file: str
    format: str = ""
    sessions: int = 0
    replaced: int = 0
    first: date | None = None
    last: date | None = None
    by_category: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # one line per skipped event
    skip_counts: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # what was guessed and how to override it
    rejects: list[Reject] = field(default_factory=list)
    athletes: list[str] = field(default_factory=list)
    error: str | None = None

    def summary(self) -> str:
        if self.error:
            return f"{self.file}: not imported"
        span = f" {self.first} to {self.last}," if self.first else ""
        kinds = ", ".join(f"{c} {n}" for c, n in self.by_category.items())
        kinds = f" ({kinds})" if kinds else ""
        skipped = ""
        if self.skip_counts:
            parts = ", ".join(f"{n} {_plural(r, n)}" for r, n in self.skip_counts.most_common())
            skipped = f", {sum(self.skip_counts.values())} skipped ({parts})"
        head = (
            f"{self.file} ({self.format} plan, {', '.join(self.athletes) or 'no athlete'}):{span} "
            f"{self.sessions} planned sessions{kinds}, {self.replaced} replaced, {len(self.rejects)} rejected"
            f"{skipped}"
        )
        return "\n".join([head, *(f"  {n}" for n in self.notes)])


def _plural(reason: str, n: int) -> str:
    if n == 1 or reason.endswith("named"):
        return reason
    return {"rest day": "rest days", "reminder": "reminders", "meeting": "meetings"}.get(
        reason, reason.replace("phase block", "phase blocks")
    )


Then = Callable[[duckdb.DuckDBPyConnection, list[int]], None]


def import_plans(
    db_path: Path | str | None,
    paths: list[Path],
    athlete: str | None,
    settings: dict[str, Any],
    first: date,
    pace: dict[str, float] | None = None,
    then: Then | None = None,
) -> list[PlanResult]:
    """Import every plan file from the day `first` on, each in its own transaction (with `then`, run on
    the athletes whose plan changed before it commits); a bad file doesn't stop the others."""
    results = []
    win = window(first, settings)
    with connect(db_path) as con:
        con.execute(MACROS)
        for path in paths:
            try:
                results.append(import_plan(con, path, str(path), athlete, settings, win, pace or {}, then))
            except CrosstrainError as exc:
                said = str(exc) if str(exc).startswith(str(path)) else f"{path}: {exc}"
                results.append(PlanResult(file=str(path), error=said))
            except duckdb.Error as exc:
                first_ = first_line(exc)
                results.append(PlanResult(file=str(path), error=f"{path}: not imported: {first_}"))
    return results


def import_plan(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    shown: str,
    athlete: str | None,
    settings: dict[str, Any],
    win: Window,
    pace: dict[str, float],
    then: Then | None = None,
) -> PlanResult:
    """Import one plan file (`.ics` by its suffix, else a generic CSV) in one transaction."""
    if not path.is_file():
        raise CrosstrainError(f"{shown}: no such file")
    if path.suffix.lower() in SPREADSHEETS:
        raise CrosstrainError(
            f"{shown}: a spreadsheet ({path.suffix.lower()}) is not read: save its plan sheet as CSV "
            "(its own columns, or the generic date,type,duration) or export the plan as a calendar (.ics)"
        )
    ics = path.suffix.lower() in (".ics", ".ical", ".ifb")
    result = PlanResult(file=shown, format="ics" if ics else "csv")
    if athlete:
        result.athletes = [athlete]
    try:
        if ics:
            if athlete is None:
                raise CrosstrainError(f"{shown}: whose plan is this? pass --athlete NAME")
            with transaction(con):
                athlete_id = store.ensure_athlete(con, athlete)
                [zone] = con.execute(
                    "select timezone from athletes where athlete_id = ?", [athlete_id]
                ).fetchone()
                cal = read_calendar(path.read_bytes(), shown, zone, win.first, win.horizon)
                entries = _calendar_entries(cal, shown, result, win)
                rows = _resolve(con, {athlete_id: entries}, shown, settings, win, pace, result)
                _stage(con, rows)
                _write(con, result, shown, settings, then)
        else:
            _import_csv(con, path, shown, athlete, settings, win, pace, result, then)
    except NothingToStore:
        pass  # rolled back: no athlete made, no plan replaced by nothing
    finally:
        for table in (*TEMP_TABLES, "_plan_staged"):
            con.execute(f"drop table if exists {table}")
    return result


def _calendar_entries(cal: Calendar, shown: str, result: PlanResult, win: Window) -> list[Entry]:
    result.rejects += [Reject(shown, line, column, reason) for line, column, reason in cal.refused]
    for s in cal.skipped:
        _skip(result, shown, s)
    if cal.before:
        result.notes.append(f"{cal.before} events before {win.first} (--as-of) not read")
    if cal.cut_at_horizon:
        result.notes.append(
            f"{cal.cut_at_horizon} repeating events read up to the plan horizon {win.horizon} "
            "([plan] horizon_days in the settings)"
        )
    return [_entry(o) for o in cal.occurrences]


def _entry(o: Occurrence) -> Entry:
    name = plan_words.uncut(o.summary, o.description)
    return Entry(o.line, o.start, o.has_time, name, o.description, length_s=o.length_s)


def _skip(result: PlanResult, shown: str, s: Skipped) -> None:
    where = f"{shown}:{s.line}" if s.line else shown
    day = f" on {s.day}" if s.day else ""
    result.skipped.append(f"{where}: '{s.summary}'{day}: {s.reason}, skipped")
    result.skip_counts[s.reason.split(" (")[0]] += 1


def _plan_format(fmt: Any, win: Window) -> Any:
    """The generic format `fmt`, read as a plan: any day from 1970 to a year past the horizon, and the
    duration optional (a distance can give it)."""
    latest = win.horizon + timedelta(days=366)

    def parse_query(header: Any, facts: Any) -> ParseQuery:
        query = generic.parse_query(header, facts)
        query.fields[
            "local_at"
        ].check = f"{{v}} >= timestamp '1970-01-01' and {{v}} < timestamp '{latest + timedelta(days=1)}'"
        query.fields["local_at"].check_reason_sql = (
            "case when {v} < timestamp '1970-01-01' then 'is before 1970' "
            f"else 'is after {latest} (a year past the plan horizon)' end"
        )
        query.fields["moving_s"].required = False
        query.fields["moving_s"].check = "{v} > 0 and {v} <= 86400"
        query.fields["moving_s"].check_reason = "is not a duration above 0 and up to a day"
        return query

    return dataclasses.replace(fmt, parse_query=parse_query)


def _import_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    shown: str,
    athlete: str | None,
    settings: dict[str, Any],
    win: Window,
    pace: dict[str, float],
    result: PlanResult,
    then: Then | None,
) -> None:
    header = read_header(path)
    try:
        fmt, header = detect(path, header, "generic")
    except CrosstrainError:
        if not is_plan_table(header.raw):
            raise
        _import_table(con, path, shown, athlete, settings, win, pace, result, then)
        return
    fmt = _plan_format(fmt, win)
    if athlete is None and "athlete" not in header.names:
        raise CrosstrainError(f"{shown}: whose plan is this? pass --athlete NAME (or add an athlete column)")
    read_rows(con, path, header, fmt, athlete)
    with transaction(con):
        stage_rows(con, fmt, athlete, None)
        result.rejects = [
            Reject(shown, *row)
            for row in con.execute('select line, "column", reason from _rejects order by line').fetchall()
        ]
        [count] = con.execute("select count(*) from _staged").fetchone()
        if count > MAX_CSV_ROWS:
            raise CrosstrainError(
                f"{shown}: {count} rows are not a training plan (at most {MAX_CSV_ROWS}; split the file)"
            )
        staged = con.execute(
            """select athlete_id, line, start_local, has_time, sport_type, name, description, moving_s,
                      distance_m, rpe from _staged order by start_local, line"""
        ).fetchall()
        entries: dict[int, list[Entry]] = {}
        before = 0
        for athlete_id, line, start, has_time, kind, name, description, seconds, metres, rpe in staged:
            if start.date() < win.first:
                before += 1
                continue
            entries.setdefault(athlete_id, []).append(
                Entry(line, start, has_time, name or "", description, kind, seconds, metres, rpe, split=False)
            )
        if before:
            result.notes.append(f"{before} rows before {win.first} (--as-of) not read")
        rows = _resolve(con, entries, shown, settings, win, pace, result)
        _stage(con, rows)
        _write(con, result, shown, settings, then)


def _import_table(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    shown: str,
    athlete: str | None,
    settings: dict[str, Any],
    win: Window,
    pace: dict[str, float],
    result: PlanResult,
    then: Then | None,
) -> None:
    """A plan CSV in its own columns (ingest/plans/table.py): its rows read like calendar events."""
    if athlete is None:
        raise CrosstrainError(f"{shown}: whose plan is this? pass --athlete NAME")
    table = read_table(path.read_bytes(), shown, win.first)
    result.format = f"csv ({table.shape})"
    result.rejects += [Reject(shown, line, column, reason) for line, column, reason in table.refused]
    if len(table.rows) > MAX_CSV_ROWS:
        raise CrosstrainError(
            f"{shown}: {len(table.rows)} rows are not a training plan "
            f"(at most {MAX_CSV_ROWS}; split the file)"
        )
    kept = [r for r in table.rows if r.day >= win.first]
    if len(kept) < len(table.rows):
        result.notes.append(f"{len(table.rows) - len(kept)} rows before {win.first} (--as-of) not read")
    with transaction(con):
        athlete_id = store.ensure_athlete(con, athlete)
        entries = [Entry(r.line, as_datetime(r.day), False, r.summary, r.description) for r in kept]
        rows = _resolve(con, {athlete_id: entries}, shown, settings, win, pace, result)
        _stage(con, rows)
        _write(con, result, shown, settings, then)


Check = Callable[[duckdb.DuckDBPyConnection, str, date, dict[str, Any]], dict | None]


def checking(check: Check, settings: dict[str, Any], as_of: date) -> Then:
    """A `then` for import_plans: check each athlete's new plan with `check` (queries.plan.check_or_none,
    passed in: ingest doesn't read queries) and keep the findings for the coach overview, inside the
    import's transaction. A check that fails undoes the import: a plan is stored only when all of it
    worked."""

    def then(con: duckdb.DuckDBPyConnection, athlete_ids: list[int]) -> None:
        names = con.execute(
            "select athlete_id, name from athletes where athlete_id in (select unnest(?::integer[]))",
            [athlete_ids],
        ).fetchall()
        for athlete_id, name in names:
            try:
                found = check(con, name, as_of, settings)
            except (KeyError, ValueError, TypeError, ArithmeticError, duckdb.Error) as exc:
                raise CrosstrainError(
                    f"the plan check failed ({type(exc).__name__}: {first_line(exc)}): nothing stored"
                ) from exc
            store_check(con, athlete_id, as_of, found)

    return then


def family(sport_type: str, table: dict[str, str]) -> str | None:
    """The pace kind of a sport type (run, ride, swim, walk, hike, row, ski), or None."""
    key = categories.lookup_key(sport_type)
    if any(categories.lookup_key(t) == key and c == "run" for t, c in table.items()):
        return "run"
    for kind, words in FAMILY_WORDS.items():
        if any(w in key for w in words):
            return kind
    return None


FAMILY_WORDS = {
    "ride": ("ride", "cycl", "bik", "velo"),
    "swim": ("swim",),
    "walk": ("walk",),
    "hike": ("hik",),
    "row": ("row",),
    "ski": ("ski",),
}


def _family_sql(column: str) -> str:
    keyed = f"lower({column})"
    whens = " ".join(
        f"when {' or '.join(f'contains({keyed}, {chr(39)}{w}{chr(39)})' for w in words)} then '{kind}'"
        for kind, words in FAMILY_WORDS.items()
    )
    return f"case when category = 'run' then 'run' {whens} end"


def recent_paces(
    con: duckdb.DuckDBPyConnection, athlete_id: int, first: date
) -> dict[str, tuple[float, int]]:
    """The athlete's median pace (seconds per km) and how many sessions gave it, by kind, over the
    PACE_DAYS before `first` (kinds with fewer than PACE_MIN_SESSIONS sessions left out)."""
    rows = con.execute(
        f"""select kind, median(moving_s / (distance_m / 1000)) as pace, count(*) as n
            from (select {_family_sql("sport_type")} as kind, moving_s, distance_m from activities
                  where athlete_id = ? and start_local >= ?::date - {PACE_DAYS} and start_local < ?::date
                    and distance_m > 100 and moving_s > 60)
            where kind is not null group by kind having count(*) >= ?""",
        [athlete_id, first, first, PACE_MIN_SESSIONS],
    ).fetchall()
    return {kind: (float(p), int(n)) for kind, p, n in rows}


# Spreadsheet files a coach may pass as they are (ntustison/MoreThanAFeeling's marathon plan .xlsx was
# refused as "not a generic CSV", which says nothing about what to do)
SPREADSHEETS = (".xlsx", ".xls", ".xlsm", ".ods", ".numbers")


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(round(seconds % 60)):02d}"


def _resolve(
    con: duckdb.DuckDBPyConnection,
    entries: dict[int, list[Entry]],
    shown: str,
    settings: dict[str, Any],
    win: Window,
    pace: dict[str, float],
    result: PlanResult,
) -> list[tuple]:
    """The staged rows (PLAN_COLUMNS) of every athlete's entries: words read, durations completed,
    RPEs filled, days over the limit refused; what was guessed goes into the result's notes."""
    codes = plan_words.keyword_map(settings)
    table = categories.category_table(settings)
    decides = {categories.lookup_key(t) for t in categories.NAME_DECIDES}
    rows: list[tuple] = []
    said: Counter = Counter()
    for athlete_id, items in entries.items():
        history = recent_paces(con, athlete_id, win.first)
        per_day: dict[date, list[tuple[int | None, tuple, list[str]]]] = {}
        for e in items:
            parts = plan_words.split_sessions(e.name) if e.split else [e.name]
            if e.split and (reason := plan_words.skip_reason(e.name or (e.description or ""))):
                _skip(result, shown, Skipped(e.line, e.name, e.start.date(), reason))
                continue
            for part in parts:
                guesses: list[str] = []
                # the description is the whole event's: a part of a split summary ("SUB-THRESHOLD
                # intervals + Gym B") reads only its own words, or each part takes the other's kind
                w = plan_words.read(part, e.description if len(parts) == 1 else None, codes)
                said_here = plan_words.read(part, None, codes)
                kind = e.sport_type
                if kind is None or categories.lookup_key(kind) in decides:
                    kind = w.sport_type or kind
                if e.sport_type is None and not (
                    said_here.sport_type or said_here.seconds or said_here.distance_m or said_here.intensity
                ):
                    # an event's summary names the training; a description only completes it ("⚙
                    # Override Garmin HR zones", "❄ Studded shoes + headlamp" are tasks)
                    _skip(result, shown, Skipped(e.line, e.name, e.start.date(), "no training named"))
                    continue
                if kind is None:
                    if not (w.seconds or w.distance_m or w.intensity):
                        _skip(result, shown, Skipped(e.line, e.name, e.start.date(), "no training named"))
                        continue
                    kind = "Workout"
                    guesses.append("no kind")
                seconds = e.seconds or w.seconds
                metres = e.distance_m or w.distance_m
                source = "given"
                fam = family(kind, table)
                if not e.seconds and w.seconds_in_description and metres:
                    # a description's minutes are often a part ("Walk 10 min to warm up" before a 6 km
                    # run): kept only where they fit the distance, as a timed event's length is
                    per_km, _ = _pace(fam, w.pace_s_per_km, pace, history)
                    if not 0.6 <= w.seconds / (metres / 1000 * per_km) <= 1.6:
                        seconds = None
                if seconds is None and metres:
                    per_km, how = _pace(fam, w.pace_s_per_km, pace, history)
                    estimate = metres / 1000 * per_km
                    # the event's own length where it agrees with its distance, unless its words give a
                    # pace ("Long Run – 14K @ 6:20–6:30/km" in a one-hour slot is 90 min, not 60)
                    agrees = e.length_s and 0.6 <= e.length_s / estimate <= 1.6
                    if agrees and len(parts) == 1 and w.pace_s_per_km is None:
                        seconds = e.length_s
                    else:
                        seconds, source = estimate, "default" if how.startswith("default") else "pace"
                        guesses.append(how)
                if seconds is None and e.length_s and len(parts) == 1:
                    seconds = e.length_s
                if seconds is None:
                    cat = table.get(kind) or categories.CATEGORIES[-1]
                    key = w.intensity if w.intensity and cat == "run" else cat
                    seconds, source = DEFAULT_MINUTES.get(key, 30) * 60.0, "default"
                    guesses.append(f"default {key}")
                if not 0 < seconds <= MAX_SESSION_S:
                    result.rejects.append(
                        Reject(
                            shown,
                            e.line,
                            "duration",
                            f"'{part}' on {e.start.date()}: "
                            f"{seconds / 3600:.1f} h is not a duration above 0 and up to a day",
                        )
                    )
                    continue
                intensity = w.intensity
                if table.get(kind) in SUPPORT_CATEGORIES and intensity not in ("easy", "recovery"):
                    intensity = None  # "3x10" squats or "box jumps" are no intervals or hills session
                rpe = e.rpe if e.rpe is not None else w.rpe
                rpe_source = "given" if rpe is not None else None
                if rpe is None and intensity:
                    rpe, rpe_source = plan_words.INTENSITY_RPE[intensity], "intensity"
                structure = w.structure if fam == "run" or table.get(kind) == "run" else None
                name = e.name if len(parts) == 1 else part
                row = (
                    athlete_id, e.start, e.has_time, kind, name, e.description, float(seconds),
                    metres, rpe, intensity, structure, source, rpe_source,
                )  # fmt: skip
                per_day.setdefault(e.start.date(), []).append((e.line, row, guesses))
        for day, found in sorted(per_day.items()):
            if len(found) > win.max_per_day:
                result.rejects.append(
                    Reject(
                        shown,
                        found[0][0],
                        "DTSTART",
                        f"{len(found)} sessions on {day}: more than "
                        f"{win.max_per_day} a day ([plan] max_sessions_per_day) is not a plan; day skipped",
                    )
                )
                continue
            rows += [row for _, row, _ in found]
            said.update(g for _, _, guesses in found for g in guesses)
    result.notes += _notes(said)
    return rows


def _pace(
    fam: str | None, written: float | None, pace: dict[str, float], history: dict[str, tuple[float, int]]
) -> tuple[float, str]:
    """Seconds per km for a session of kind `fam` and how it was found (for the summary)."""
    kind = fam or "run"
    if written:
        return written, "the event's own pace"
    if kind in pace:
        return pace[kind], f"{kind} {_minutes(pace[kind])}/km from --pace"
    if kind in history:
        per_km, n = history[kind]
        return (
            per_km,
            f"{kind} {_minutes(per_km)}/km: the athlete's median over {n} sessions in the "
            f"{PACE_DAYS} days before",
        )
    default = DEFAULT_PACE.get(kind, DEFAULT_PACE["run"])
    return (
        default,
        f"default {kind} {_minutes(default)}/km (no {kind} with a distance in the {PACE_DAYS} days before)",
    )


def _notes(said: Counter) -> list[str]:
    notes = []
    for how, n in said.items():
        if how == "no kind":
            notes.append(
                f"{n} sessions name no kind: typed Workout (their names decide the category, else other); "
                'map your codes in [plan_keywords] (e.g. RB = "easy run")'
            )
        elif how.startswith("default ") and "/km" not in how:
            minutes = DEFAULT_MINUTES.get(how[8:], 30)
            notes.append(
                f"{n} {how[8:]} sessions give neither a duration nor a distance: {minutes} min each "
                "(crosstrain's default; write e.g. '45 min' in the event)"
            )
        else:
            notes.append(
                f"{n} sessions give a distance and no duration: duration at {how} (--pace MIN_PER_KM sets it)"
            )
    return notes


class NothingToStore(Exception):
    """No session of the file could be read: its transaction is rolled back (the result says why)."""


def _stage(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """`rows` (PLAN_COLUMNS) into temp table `_plan_staged`; none raises NothingToStore."""
    if not rows:
        raise NothingToStore
    columns = ", ".join(f"{c} {t}" for c, t in zip(PLAN_COLUMNS, PLAN_TYPES, strict=True))
    con.execute(f"create or replace temp table _plan_staged ({columns})")
    if rows:
        marks = ", ".join("?" * len(PLAN_COLUMNS))
        con.executemany(f"insert into _plan_staged values ({marks})", rows)


def _write(
    con: duckdb.DuckDBPyConnection, result: PlanResult, shown: str, settings: dict, then: Then | None
) -> None:
    """Replace each athlete's planned sessions on the days `_plan_staged` covers by its rows, then run
    `then` (inside the file's transaction)."""
    result.replaced, result.sessions = write_planned(con, "_plan_staged", result.format, shown, settings)
    result.first, result.last = con.execute(
        "select min(start_local)::date, max(start_local)::date from _plan_staged"
    ).fetchone()
    ids = [r[0] for r in con.execute("select distinct athlete_id from _plan_staged").fetchall()]
    result.athletes = [
        r[0]
        for r in con.execute(
            "select name from athletes where athlete_id in (select unnest(?::integer[])) order by name", [ids]
        ).fetchall()
    ]
    result.by_category = {
        c: n
        for c, n in con.execute(
            """select category, count(*) from planned_sessions where source_file = ? and athlete_id in
               (select unnest(?::integer[])) and start_local >= ?
               group by category order by count(*) desc, category""",
            [shown, ids, result.first or date(1970, 1, 1)],
        ).fetchall()
    }
    if then is not None and ids:
        then(con, ids)


def write_planned(
    con: duckdb.DuckDBPyConnection,
    table: str,
    source: str,
    source_file: str | None,
    settings: dict[str, Any],
) -> tuple[int, int]:
    """Store the rows of `table` (PLAN_COLUMNS) as planned sessions, categorised by the category rules.

    Each athlete's planned sessions from the first to the last day of their rows go first. Returns
    (sessions removed, sessions stored). Runs inside the caller's transaction.
    """
    removed = con.execute(
        f"""delete from planned_sessions p using (
                select athlete_id, min(start_local)::date as first_day, max(start_local)::date as last_day
                from {table} group by athlete_id
            ) r
            where p.athlete_id = r.athlete_id
              and p.start_local >= r.first_day and p.start_local < r.last_day + 1"""
    ).fetchone()[0]
    categories.register(con, settings)
    rows = f"select {', '.join(PLAN_COLUMNS)} from {table}"
    stored = con.execute(
        f"""insert into planned_sessions ({", ".join(PLAN_COLUMNS)}, category, source, source_file)
            select {", ".join(PLAN_COLUMNS)}, category, ?, ? from ({categories.categorised(rows, table)})""",
        [source, source_file],
    ).fetchone()[0]
    return removed, stored


def update_planned(
    con: duckdb.DuckDBPyConnection,
    planned_id: int,
    *,
    sport_type: str | None = None,
    category: str | None = None,
    name: str | None = None,
    moving_s: float | None = None,
    distance_m: float | None = None,
) -> None:
    """Change one planned session (a swap or a shortening from `plan suggest --apply`)."""
    con.execute(
        """update planned_sessions set sport_type = coalesce(?, sport_type),
               category = coalesce(?, category), name = coalesce(?, name),
               moving_s = coalesce(?, moving_s), distance_m = coalesce(?, distance_m), source = 'suggest'
           where planned_id = ?""",
        [sport_type, category, name, moving_s, distance_m, planned_id],
    )


def apply_changes(con: duckdb.DuckDBPyConnection, athlete_id: int, changes: list[dict[str, Any]]) -> int:
    """Write `plan suggest` changes into the plan in one transaction: `add` stores a new planned session,
    `swap` and `shorten` change the planned session `planned_id`. Each change: action, date, type,
    category, duration_min, name, planned_id, distance_km (None: unchanged). Returns how many. An added
    or swapped-in session's intensity, structure and RPE are read from its name as an import reads them
    ("Easy run" is easy, RPE 3); a shortened one keeps its own."""
    with transaction(con):
        for c in changes:
            km = c.get("distance_km")
            read = list(plan_words.name_reading(c["name"], c["category"]).values())
            if c["action"] == "add":
                con.execute(
                    """insert into planned_sessions (athlete_id, start_local, has_time, sport_type, category,
                           name, moving_s, distance_m, source, intensity, structure, rpe, rpe_source)
                       values (?, ?::date, false, ?, ?, ?, ?, ?, 'suggest', ?, ?, ?, ?)""",
                    [
                        athlete_id,
                        c["date"],
                        c["type"],
                        c["category"],
                        c["name"],
                        c["duration_min"] * 60,
                        None if km is None else km * 1000,
                        *read,
                    ],
                )
            else:
                update_planned(
                    con,
                    c["planned_id"],
                    sport_type=c["type"],
                    category=c["category"],
                    name=c["name"],
                    moving_s=c["duration_min"] * 60,
                    distance_m=None if km is None else km * 1000,
                )
                if c["action"] == "swap":
                    con.execute(
                        """update planned_sessions set intensity = ?, structure = ?, rpe = ?, rpe_source = ?
                           where planned_id = ?""",
                        [*read, c["planned_id"]],
                    )
    return len(changes)


def store_check(
    con: duckdb.DuckDBPyConnection, athlete_id: int, as_of: date, check: dict[str, Any] | None
) -> None:
    """Keep `check` (queries.plan.check's JSON; None: no plan left) as the athlete's last plan check."""
    con.execute("delete from plan_checks where athlete_id = ?", [athlete_id])
    if check is not None:
        found = [f for f in check["findings"] if f["severity"] in ("warn", "high")]
        con.execute(
            """insert into plan_checks (athlete_id, as_of, first_day, last_day, findings, high_findings,
                                        warn_findings, first_finding)
               values (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                athlete_id,
                as_of,
                check["from"],
                check["to"],
                json.dumps(check["findings"]),
                sum(f["severity"] == "high" for f in found),
                sum(f["severity"] == "warn" for f in found),
                min((f["date"] for f in found), default=None),
            ],
        )


__all__ = [
    "PlanResult",
    "apply_changes",
    "checking",
    "import_plan",
    "import_plans",
    "store_check",
    "update_planned",
    "write_planned",
]
