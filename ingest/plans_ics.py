"""Planned sessions from an iCalendar file (Google Calendar, TrainingPeaks, Final Surge exports).

Events are expanded with their recurrence rules and exceptions (RRULE, RDATE, EXDATE, moved
occurrences) by `recurring-ical-events`. Each occurrence is one planned session:
- type: the longest activity type name found in the summary ("Easy run" -> Run, "Hip strength" ->
  Strength); without one, the summary is named as a "Workout", whose category the name keywords decide
  (the category rules of ingest/categories.py apply to both).
- duration: written in the summary ("45 min", "1h30", "1:15:00", "90'"), else the event's own length
  when it has a time of day, else written in the description; otherwise the event is rejected.
- distance: the longest written in the summary, else in the description ("18 km", "10 mi").
- a summary naming no type but a running workout (intervals, tempo, strides, race, "10k" ...) is a run.
Times with a zone become the athlete's local time; floating and all-day times are local already.
A recurrence without an end (no UNTIL or COUNT) is read for OPEN_RECURRENCE_WEEKS weeks from its start
(crosstrain's convention: a plan looks a few weeks ahead, not forever). Events named as rest days ("Rest",
"Day off") plan no session and are counted, not rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ingest.csv_import import Reject
from ingest.errors import ImportFormatError, first_line
from ingest.formats.common import METRES_PER

OPEN_RECURRENCE_WEEKS = 12
# Occurrences are looked for this far from the calendar's first event (bounded rules end before).
HORIZON_DAYS = 2 * 366
MAX_SESSION_S = 24 * 3600

REST = re.compile(r"^\s*(rest( day)?|day off|off( day)?|recovery day|ruhetag)\s*$", re.IGNORECASE)
# "1h30", "1 h 30 min", "1.5 hours", "45 min", "45'", "1:15:00"
HOURS_MINUTES = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hours?|std)\.?\s*(?:(\d{1,2})\s*(?:m|min|mins|minutes?)?)?\b", re.I
)
MINUTES = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:min|mins|minutes?|minuten|')(?![a-z])", re.I)
CLOCK = re.compile(r"\b(\d{1,2}):([0-5]\d):([0-5]\d)\b")
# A plan's run sessions are often named by their workout, not "run" (crosstrain's convention: a plan
# is a runner's, so these words make a session a run when no activity type is named).
RUN_WORDS = re.compile(
    r"\b(intervals?|tempo|fartlek|strides|hill repeats|hills|threshold|race|parkrun|jog|marathon|\d+ ?k)\b",
    re.IGNORECASE,
)
DISTANCE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(km|k|mi|miles?)\b", re.I)


@dataclass
class IcsPlan:
    """The sessions of a calendar (start_local, has_time, sport_type, name, description, moving_s,
    distance_m, rpe), the events that could not be read, and the rest days skipped."""

    sessions: list[tuple] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    rest_days: int = 0


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def sport_type(summary: str, types: Iterable[str]) -> str:
    """The longest of `types` the summary names as words ("Easy run 45 min" -> "Run"), else "Workout"."""
    words = _words(summary)
    found = [t for t in types if _words(t).strip() and _words(t) in words]
    if found:
        return max(found, key=lambda t: len(_words(t)))
    return "Run" if RUN_WORDS.search(summary) else "Workout"


def text_duration_s(text: str) -> float | None:
    """A duration written in `text`, in seconds, or None."""
    if m := CLOCK.search(text):
        return int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3])
    if m := HOURS_MINUTES.search(text):
        return float(m[1].replace(",", ".")) * 3600 + (int(m[2]) * 60 if m[2] else 0)
    if m := MINUTES.search(text):
        return float(m[1].replace(",", ".")) * 60
    return None


def text_distance_m(text: str) -> float | None:
    """The longest distance written in `text` ("18 km", "10 mi"; "6 x 800 m at 5k pace, 10 km total"
    is 10 km), in metres, or None."""
    found = [
        float(m[1].replace(",", ".")) * METRES_PER["mi" if m[2].lower().startswith("mi") else "km"]
        for m in DISTANCE.finditer(text)
    ]
    return max(found, default=None)


def _event_lines(text: str) -> list[int]:
    """The physical line of every BEGIN:VEVENT, in order (icalendar keeps no line numbers)."""
    return [i for i, line in enumerate(text.splitlines(), start=1) if line.strip().upper() == "BEGIN:VEVENT"]


def _local(value: date | datetime, zone: ZoneInfo | None) -> tuple[datetime, bool]:
    """A start as the athlete's local wall-clock time (the event's own without a zone), and whether
    it has a time of day."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and zone is not None:
            value = value.astimezone(zone)
        return value.replace(tzinfo=None), True
    return datetime(value.year, value.month, value.day), False


def read_ics(path: Path, shown: str, timezone: str | None, types: Iterable[str]) -> IcsPlan:
    """The planned sessions of the calendar at `path`, local times in `timezone` (None: the events'
    own wall-clock times), each typed as the
    longest of `types` (the category table's names) its summary names."""
    import icalendar  # here, not at the top: 20 ms that every crosstrain command would pay
    import recurring_ical_events

    raw = path.read_bytes()
    try:
        cal = icalendar.Calendar.from_ical(raw)
    except ValueError as exc:
        raise ImportFormatError(f"{shown}: not an iCalendar file: {first_line(exc)}") from exc
    masters = list(cal.walk("VEVENT"))
    if not masters:
        raise ImportFormatError(f"{shown}: the calendar holds no events (VEVENT)")
    lines = _event_lines(raw.decode("utf-8", errors="replace"))
    zone = ZoneInfo(timezone) if timezone else None
    line_of = {}
    open_ended = {}
    starts = []
    for i, event in enumerate(masters):
        uid = str(event.get("UID", f"#{i}"))
        line_of.setdefault(uid, lines[i] if i < len(lines) else None)
        start = event.get("DTSTART")
        if start is None:
            continue
        starts.append(_local(start.dt, zone)[0])
        rule = event.get("RRULE")
        if rule is not None and "UNTIL" not in rule and "COUNT" not in rule:
            open_ended[uid] = _local(start.dt, zone)[0] + timedelta(weeks=OPEN_RECURRENCE_WEEKS)
    plan = IcsPlan()
    for i, event in enumerate(masters):
        if event.get("DTSTART") is None:
            plan.rejects.append(
                Reject(shown, lines[i] if i < len(lines) else None, "DTSTART", "the event has no start")
            )
    if not starts:
        return plan
    first = min(starts)
    try:
        occurrences = recurring_ical_events.of(cal).between(
            first - timedelta(days=1), first + timedelta(days=HORIZON_DAYS)
        )
    except (ValueError, TypeError) as exc:
        raise ImportFormatError(f"{shown}: cannot expand the recurrences: {exc}") from exc
    for event in occurrences:
        uid = str(event.get("UID", ""))
        line = line_of.get(uid)
        start, has_time = _local(event["DTSTART"].dt, zone)
        if uid in open_ended and start >= open_ended[uid]:
            continue
        summary = str(event.get("SUMMARY", "")).strip()
        description = str(event.get("DESCRIPTION", "")).strip() or None
        if REST.match(summary):
            plan.rest_days += 1
            continue
        if not summary:
            plan.rejects.append(Reject(shown, line, "SUMMARY", "the event has no summary to tell its type"))
            continue
        # the summary's own words, then the event's length, then the description ("warm-up 15 min")
        seconds = text_duration_s(summary)
        if seconds is None and has_time and event.get("DTEND") is not None:
            seconds = (_local(event["DTEND"].dt, zone)[0] - start).total_seconds() or None
        elif seconds is None and has_time and event.get("DURATION") is not None:
            seconds = event["DURATION"].dt.total_seconds() or None
        if seconds is None and description:
            seconds = text_duration_s(description)
        if seconds is None:
            plan.rejects.append(
                Reject(
                    shown,
                    line,
                    "SUMMARY",
                    f"'{summary}' on {start.date()}: no duration (write e.g. '45 min')",
                )
            )
            continue
        if not 0 < seconds <= MAX_SESSION_S:
            plan.rejects.append(
                Reject(
                    shown,
                    line,
                    "DTEND",
                    f"'{summary}' on {start.date()}: is not a duration above 0 and up to a day",
                )
            )
            continue
        distance = text_distance_m(summary) or (text_distance_m(description) if description else None)
        plan.sessions.append(
            (start, has_time, sport_type(summary, types), summary, description, seconds, distance, None)
        )
    plan.sessions.sort(key=lambda s: s[0])
    return plan


def suggestions_ics(athlete: str, suggestions: list[dict]) -> bytes:
    """`plan suggest` suggestions as an iCalendar file: one all-day event per change, its reason as the
    description (a calendar app imports them beside the plan)."""
    import icalendar  # as in read_ics

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
