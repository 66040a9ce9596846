"""The events of an iCalendar plan (Google Calendar, TrainingPeaks, Final Surge, plan generators),
read within limits that no calendar can explode.

`icalendar` parses; `recurring-ical-events` expands each event's recurrences and exceptions (RRULE,
RDATE, EXDATE, moved occurrences) lazily, one series at a time, from the plan's first day (`--as-of`)
and only inside the plan horizon (ingest/plans/importer.Window: a year by default). What a plan can't mean is
one line each, never a stalled import:
- a calendar over MAX_BYTES or MAX_EVENTS, or one icalendar can't parse: the file's one error;
- an event without a readable start, starting before 1970 or after a year past the horizon, repeating
  more often than daily (SECONDLY, MINUTELY, HOURLY, several BYHOUR/BYMINUTE/BYSECOND values), with
  INTERVAL=0, with more than MAX_RDATES extra dates, or whose rule can't be expanded: that event's line;
- an event inside another event: its line (the outer event is read);
- the same event twice (same start and summary): the copy is skipped, one line;
- an all-day event spanning several days, or a timed one over a day, is a phase block (skipped).
What each occurrence means (kind, duration, distance, intensity) is read by ingest/plans/importer.py from its
summary and description (ingest/plans/words.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ingest.errors import ImportFormatError, first_line

# crosstrain's convention: a year of twice-daily sessions with notes is ~1,000 events and 0.5 MB; these
# bounds keep any calendar's parse (icalendar: ~1 ms an event) within seconds and ~150 MB
MAX_BYTES = 2 * 1024 * 1024
MAX_EVENTS = 1500
MAX_RDATES = 1000  # extra dates of one event: almost three years of daily sessions
MAX_OCCURRENCES = 20_000  # sessions of one calendar, all events together
CHUNK_DAYS = 31  # a recurrence is expanded a month at a time, up to the plan horizon
SUB_DAILY = ("SECONDLY", "MINUTELY", "HOURLY")


@dataclass
class Occurrence:
    """One planned occurrence of a calendar event, as the athlete's local wall clock."""

    line: int | None
    start: datetime
    has_time: bool
    length_s: float | None  # a timed event's own length (DTEND or DURATION); None all day
    summary: str
    description: str | None
    recurring: bool


@dataclass
class Skipped:
    """An event that plans no session: where, what and why (one line of the import's output)."""

    line: int | None
    summary: str
    day: date | None
    reason: str  # 'rest day', 'reminder', 'phase block', 'meeting', 'no training named', ...


@dataclass
class Calendar:
    """What a calendar holds inside the plan's window: occurrences, refused events (line, column,
    reason), skipped events, and how many single events lay before the window."""

    occurrences: list[Occurrence] = field(default_factory=list)
    refused: list[tuple[int | None, str, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    before: int = 0
    cut_at_horizon: int = 0  # series that went on past the horizon


def _local(value: date | datetime, zone: ZoneInfo | None) -> tuple[datetime, bool]:
    """A start as the athlete's local wall-clock time (the event's own without a zone), and whether
    it has a time of day."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and zone is not None:
            value = value.astimezone(zone)
        return value.replace(tzinfo=None), True
    return datetime(value.year, value.month, value.day), False


def _text(event: Any, name: str) -> str:
    value = event.get(name)
    return "" if value is None else str(value).strip()


def _rules(event: Any) -> list[Any]:
    rule = event.get("RRULE")
    return [] if rule is None else rule if isinstance(rule, list) else [rule]


def _rule_problem(event: Any) -> str | None:
    """Why the event's recurrence can't be a training plan's, or None."""
    for rule in _rules(event):
        freq = [str(f).upper() for f in rule.get("FREQ", [])]
        if not freq:
            return "its RRULE has no FREQ"
        if freq[0] in SUB_DAILY:
            return f"it repeats {freq[0]} (more often than daily is not a training plan)"
        interval = rule.get("INTERVAL", [1])
        if not interval or int(interval[0]) < 1:
            return "its RRULE has INTERVAL=0 (it would never move on)"
        for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            if len(rule.get(part, [])) > 1:
                return f"its RRULE repeats within a day ({part} with {len(rule[part])} values)"
    extra = sum(len(getattr(r, "dts", [])) for r in _listed(event.get("RDATE")))
    if extra > MAX_RDATES:
        return f"it has {extra} extra dates (RDATE; at most {MAX_RDATES})"
    return None


def _listed(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _length_s(event: Any, start: datetime, zone: ZoneInfo | None) -> tuple[float | None, float]:
    """(a timed event's own length in seconds or None, the span in days: all-day DTEND - DTSTART)."""
    end = event.get("DTEND")
    duration = event.get("DURATION")
    dt_start = event["DTSTART"].dt
    if not isinstance(dt_start, datetime):
        days = 1.0
        if end is not None and not isinstance(end.dt, datetime):
            days = float((end.dt - dt_start).days)
        elif duration is not None:
            days = duration.dt.total_seconds() / 86400
        return None, days
    seconds = None
    if end is not None:
        seconds = (_local(end.dt, zone)[0] - start).total_seconds()
    elif duration is not None:
        seconds = duration.dt.total_seconds()
    return (seconds or None), (seconds or 0) / 86400


def read_calendar(raw: bytes, shown: str, timezone: str | None, first: date, horizon: date) -> Calendar:
    """The occurrences of the calendar `raw` from `first` on, series only up to `horizon`, single
    events up to a year past it; local times in `timezone` (None: the events' own wall clock)."""
    import icalendar  # here, not at the top: 20 ms that every crosstrain command would pay

    if len(raw) > MAX_BYTES:
        raise ImportFormatError(
            f"{shown}: a calendar of {len(raw) / 2**20:.1f} MB is not a training plan "
            f"(at most {MAX_BYTES // 2**20} MB)"
        )
    text = raw.decode("utf-8", errors="replace")
    cal, event_lines, broken = _parse(icalendar, text, shown)
    lines = iter(event_lines)
    zone = ZoneInfo(timezone) if timezone else None
    latest = horizon + timedelta(days=366)
    out = Calendar()
    # top-level events with their line; nested events are refused
    events: list[tuple[int | None, Any]] = []

    def visit(component: Any, depth: int) -> None:
        for sub in component.subcomponents:
            if sub.name == "VEVENT":
                line = next(lines, None)
                if depth > 0:
                    out.refused.append((line, "BEGIN", "an event inside another event is not read"))
                else:
                    events.append((line, sub))
            visit(sub, depth + 1 if sub.name == "VEVENT" else depth)

    visit(cal, 0)
    out.refused += broken
    if not events and not out.refused:
        raise ImportFormatError(f"{shown}: the calendar holds no events (VEVENT)")
    timezones = []
    for tz in (c for c in cal.subcomponents if c.name == "VTIMEZONE"):
        problem = _zone_problem(tz)
        if problem:
            out.refused.append((None, "VTIMEZONE", f"time zone {_text(tz, 'TZID')!r} {problem}; not read"))
        else:
            timezones.append(tz)
    series: dict[str, list[tuple[int | None, Any]]] = {}
    seen: set[tuple[str, str]] = set()
    for i, (line, event) in enumerate(events):
        for sub in list(event.subcomponents):
            if sub.name == "VEVENT":
                event.subcomponents.remove(sub)
        try:
            problem = _check_event(event, zone, latest)
        except Exception as exc:  # a broken property: icalendar raises many kinds
            problem = f"cannot read the event: {first_line(exc)}"
        if problem:
            column = "DTSTART" if "start" in problem.lower() else "RDATE" if "RDATE" in problem else "RRULE"
            out.refused.append((line, column, problem))
            continue
        uid = _text(event, "UID") or f"crosstrain-{i}"
        is_override = event.get("RECURRENCE-ID") is not None
        key = (str(event["DTSTART"].to_ical()), _text(event, "SUMMARY") + uid * is_override)
        if not is_override:
            if key in seen:
                day = _local(event["DTSTART"].dt, zone)[0].date()
                out.skipped.append(
                    Skipped(line, _text(event, "SUMMARY"), day, "duplicate (same start and summary)")
                )
                continue
            seen.add(key)
            if uid in series and any(e.get("RECURRENCE-ID") is None for _, e in series[uid]):
                uid = f"{uid}#{i}"  # two series under one UID: read both
        series.setdefault(uid, []).append((line, event))
    total = 0
    for uid, members in series.items():
        try:
            for occurrence in _expand(members, uid, timezones, zone, first, horizon, latest, out):
                total += 1
                if total > MAX_OCCURRENCES:
                    raise ImportFormatError(
                        f"{shown}: more than {MAX_OCCURRENCES} planned sessions before {latest}: "
                        "not a training plan"
                    )
                out.occurrences.append(occurrence)
        except ImportFormatError:
            raise
        except Exception as exc:  # dateutil and recurring-ical-events on a rule they can't expand
            out.refused.append((members[0][0], "RRULE", f"cannot expand the recurrence: {first_line(exc)}"))
    out.occurrences.sort(key=lambda o: (o.start, o.line or 0))
    return out


# The properties a plan is read from; others (DTSTAMP, ATTENDEE, X-...) are dropped before parsing, so a
# broken one that says nothing about the plan (a DTSTAMP without its Z) can't refuse an event.
KEEP = {
    "BEGIN", "END", "UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID",
    "SUMMARY", "DESCRIPTION", "VERSION", "PRODID",
}  # fmt: skip
PROPERTY = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)[;:]")


def _kept(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    """The calendar's lines worth parsing, with their line numbers (everything inside VTIMEZONE, the
    KEEP properties elsewhere, continuation lines with their property), and the (first, last) index
    into them of every top-level VEVENT."""
    kept: list[tuple[int, str]] = []
    blocks: list[tuple[int, int]] = []
    keep = False
    zone_depth = event_depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:1] in (" ", "\t"):
            if keep:
                kept.append((number, line))
            continue
        m = PROPERTY.match(line)
        name = m[1].upper() if m else ""
        value = line[len(name) + 1 :].strip().upper() if name in ("BEGIN", "END") else ""
        if name == "BEGIN" and value == "VTIMEZONE":
            zone_depth += 1
        keep = bool(m) and (zone_depth > 0 or name in KEEP)
        if keep:
            kept.append((number, line))
        if name == "BEGIN" and value == "VEVENT":
            event_depth += 1
            if event_depth == 1:
                blocks.append((len(kept) - 1, -1))
        elif name == "END" and value == "VEVENT" and event_depth:
            event_depth -= 1
            if event_depth == 0:
                blocks[-1] = (blocks[-1][0], len(kept) - 1)
        elif name == "END" and value == "VTIMEZONE" and zone_depth:
            zone_depth -= 1
    return kept, [b for b in blocks if b[1] >= 0]


def _begins(kept: list[tuple[int, str]]) -> list[int]:
    """The line of every BEGIN:VEVENT among `kept`, in order."""
    return [n for n, line in kept if line.strip().upper() == "BEGIN:VEVENT"]


def _parse(icalendar: Any, text: str, shown: str) -> tuple[Any, list[int], list[tuple[int | None, str, str]]]:
    """The calendar parsed from its kept lines, the line of each of its events (document order), and
    the events refused: when the whole fails to parse, it is parsed event by event (beside the time
    zones), each event icalendar can't parse refused with its line."""
    kept, blocks = _kept(text)
    if len(blocks) > MAX_EVENTS:
        raise ImportFormatError(
            f"{shown}: {len(blocks)} events are not a training plan "
            f"(at most {MAX_EVENTS}; split the calendar)"
        )
    body = "\r\n".join(line for _, line in kept)
    try:
        cal = icalendar.Calendar.from_ical(body)
        return (cal[0] if isinstance(cal, list) else cal), _begins(kept), []
    except Exception:  # icalendar raises ValueError, KeyError, IndexError on broken input
        pass
    inside = {i for first, last in blocks for i in range(first, last + 1)}
    prelude = [line for i, (_, line) in enumerate(kept) if i not in inside]
    prelude = [line for line in prelude if not line.upper().startswith(("BEGIN:VCALENDAR", "END:VCALENDAR"))]
    try:
        cal = icalendar.Calendar.from_ical("\r\n".join(["BEGIN:VCALENDAR", *prelude, "END:VCALENDAR"]))
    except Exception as exc:
        raise ImportFormatError(f"{shown}: not an iCalendar file: {first_line(exc)}") from exc
    broken = []
    lines: list[int] = []
    for first, last in blocks:
        chunk = "\r\n".join(
            ["BEGIN:VCALENDAR", *(line for _, line in kept[first : last + 1]), "END:VCALENDAR"]
        )
        try:
            parsed = icalendar.Calendar.from_ical(chunk)
            for sub in parsed.subcomponents:
                cal.add_component(sub)
            lines += _begins(kept[first : last + 1])
        except Exception as exc:
            broken.append((kept[first][0], "BEGIN", f"cannot read the event: {first_line(exc)}"))
    if not blocks:
        raise ImportFormatError(f"{shown}: the calendar holds no events (VEVENT)")
    return cal, lines, broken


def _check_event(event: Any, zone: ZoneInfo | None, latest: date) -> str | None:
    """Why the event can't be read, or None."""
    start = event.get("DTSTART")
    if start is None:
        return "the event has no start (DTSTART)"
    value = start.dt
    if not isinstance(value, date):
        return "its start (DTSTART) is not a date"
    if not date(1970, 1, 1) <= (value.date() if isinstance(value, datetime) else value) <= latest:
        day = value.date() if isinstance(value, datetime) else value
        return f"its start {day.isoformat()} is outside 1970 to {latest} (a year past the plan horizon)"
    _local(value, zone)
    return _rule_problem(event)


def _zone_problem(tz: Any) -> str | None:
    """Why a VTIMEZONE can't be a real zone's rules, else None. Its transitions are expanded from each
    rule's DTSTART on (by recurring-ical-events), so a start in year 1 or a rule repeating more often
    than yearly (INTERVAL=0 never moves) would run for minutes; real zones start after 1800 and repeat
    yearly (RFC 5545 3.6.5 examples; every zone Google, Outlook and Apple write)."""
    for part in tz.subcomponents:
        try:
            start = part["DTSTART"].dt
            rules = part.get("RRULE")
            rules = rules if isinstance(rules, list) else [rules] if rules is not None else []
            if not 1800 <= start.year <= 2200:
                return f"has a rule starting in year {start.year}"
            for rule in rules:
                if [str(f).upper() for f in rule.get("FREQ", [])] != ["YEARLY"] or 0 in rule.get(
                    "INTERVAL", [1]
                ):
                    return "has a rule repeating other than once a year"
        except Exception as exc:  # a broken property: icalendar raises many kinds
            return f"cannot be read ({first_line(exc)})"
    return None


def _expand(
    members: list[tuple[int | None, Any]],
    uid: str,
    timezones: list[Any],
    zone: ZoneInfo | None,
    first: date,
    horizon: date,
    latest: date,
    out: Calendar,
) -> Iterator[Occurrence]:
    """The occurrences of one series (a master event and its moved occurrences), lazily, in order."""
    import icalendar
    import recurring_ical_events

    line = members[0][0]
    master = next((e for _, e in members if e.get("RECURRENCE-ID") is None), members[0][1])
    recurring = bool(_rules(master) or master.get("RDATE"))
    start, has_time = _local(master["DTSTART"].dt, zone)
    length, days = _length_s(master, start, zone)
    summary = _text(master, "SUMMARY")
    if days >= 2 or (has_time and days > 1):
        out.skipped.append(Skipped(line, summary, start.date(), f"phase block ({days:.0f} days)"))
        return
    if not recurring:
        if start.date() < first:
            out.before += 1
            return
        yield Occurrence(line, start, has_time, length, summary, _text(master, "DESCRIPTION") or None, False)
        return
    cal = icalendar.Calendar()
    for tz in timezones:
        cal.add_component(tz)
    for _, event in members:
        event["UID"] = uid
        cal.add_component(event)
    query = recurring_ical_events.of(cal)

    def starting(day: date, end: date) -> list[tuple[datetime, bool, Any]]:
        """The occurrences that start on the days [day, end), in order (the query also returns those
        that only overlap them)."""
        found = []
        for event in query.between(
            datetime(day.year, day.month, day.day), datetime(end.year, end.month, end.day)
        ):
            start, has_time = _local(event["DTSTART"].dt, zone)
            if day <= start.date() < end:
                found.append((start, has_time, event))
        return sorted(found, key=lambda f: f[0])

    # Windows of CHUNK_DAYS, each a bounded query, up to the horizon: `after()` walks on 15 minutes at a
    # time while an occurrence it already gave overlaps each window (an end before the start does), and
    # would do so to year 9999.
    day, stop = first, horizon + timedelta(days=1)
    while day < stop:
        end = min(day + timedelta(days=CHUNK_DAYS), stop)
        for start, has_time, event in starting(day, end):
            length, _ = _length_s(event, start, zone)
            yield Occurrence(
                line,
                start,
                has_time,
                length,
                _text(event, "SUMMARY"),
                _text(event, "DESCRIPTION") or None,
                True,
            )
        day = end
    if starting(stop, stop + timedelta(days=CHUNK_DAYS)):
        out.cut_at_horizon += 1


def suggestions_ics(athlete: str, suggestions: list[dict]) -> bytes:
    """`plan suggest` suggestions as an iCalendar file: one all-day event per change, its reason as the
    description (a calendar app imports them beside the plan)."""
    import icalendar  # as in read_calendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//crosstrain//plan suggest//EN")
    cal.add("version", "2.0")
    for i, s in enumerate(suggestions):
        event = icalendar.Event()
        day = date.fromisoformat(s["date"])
        verb = {"add": "Add", "swap": "Swap to", "shorten": "Shorten to"}[s["action"]]
        event.add("uid", f"crosstrain-{athlete}-{s['date']}-{i}@crosstrain".replace(" ", "_"))
        event.add("summary", f"{verb}: {s['name']} ({s['duration_min']:.0f} min)")
        event.add("description", s["why"])
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("dtstamp", datetime.now(UTC))
        cal.add_component(event)
    return cal.to_ical()


__all__ = ["Calendar", "Occurrence", "Skipped", "read_calendar", "suggestions_ics"]
