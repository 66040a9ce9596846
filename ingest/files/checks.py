"""Plausibility of what a decoder read, before anything is computed from it.

A device or a damaged file can say anything: a latitude of -180 (FIT's -2^31 semicircles), positions
of 1e308 or infinity, times in year 9999, a lap of 1e308 seconds, a million activities of one start
time. Each decoded value is checked here, right after the parser and before samples.py computes:

- a sample's value that no body or sensor gives (a position off the globe, a negative or
  supersonic speed, an altitude below the Dead Sea shore or above Everest by far, a time that is not
  a number) is set to unknown, and the sample kept;
- samples outside the activity's plausible time (1970-tomorrow, ingest/database/plausibility.py) are dropped,
  and the others put in time order (a clock running backwards);
- a session whose start is outside that range is refused with the rule's words (one line);
- a file with more samples or sessions than one person records is refused whole (MAX_SAMPLES,
  MAX_SESSIONS): it holds nothing crosstrain could use, and its size would be the machine's problem.

Totals (moving time, distance, ...) go on to the plausibility rules of ingest/database/plausibility.py like
every source's, so a lap of 1e308 seconds is refused there with its rule's reason.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime

from ingest.database.plausibility import EARLIEST, WEEK_S
from ingest.database.store import MAX_NAME_CHARS
from ingest.files.model import FileFormatError, Recording

# A week at one sample a second: no session lasts longer (ingest/database/plausibility.py: moving time).
MAX_SAMPLES = WEEK_S
# Sessions in one file: a multisport file holds a handful, a Garmin Training Center history a few
# hundred; crosstrain's convention.
MAX_SESSIONS = 1000
YEAR_S = 365.2425 * 86400
EARLIEST_S = datetime.fromisoformat(EARLIEST).replace(tzinfo=UTC).timestamp()
# Altitudes: the Dead Sea shore is at -430 m, Everest 8,849 m; crosstrain's convention with margins.
ALTITUDE_M = (-1000.0, 9000.0)
# Speeds: the speed-skiing record is 70.8 m/s (ingest/database/plausibility.py: average speed).
SPEED_MPS = (0.0, 100.0)


def latest_s() -> float:
    """The latest plausible time: tomorrow (ingest/database/plausibility.py's start rule)."""
    return time.time() + 86400


def start_problem(start_at: float) -> str | None:
    """Why a session's start (UTC seconds) is refused, in the plausibility rule's words, or None."""
    if math.isfinite(start_at) and EARLIEST_S <= start_at <= latest_s():
        return None
    try:
        shown = datetime.fromtimestamp(start_at, UTC).strftime("%Y-%m-%d %H:%M") + " UTC"
    except (OverflowError, OSError, ValueError):
        shown = "not a date" if not math.isfinite(start_at) else f"in year {1970 + start_at / YEAR_S:.0f}"
    return f"start {shown} is not between {EARLIEST} and tomorrow"


def check_file(recordings: list[Recording]) -> None:
    """FileFormatError when a file holds more sessions or samples than a person records."""
    if len(recordings) > MAX_SESSIONS:
        raise FileFormatError(f"{len(recordings):,} sessions in one file; at most {MAX_SESSIONS:,} are read")
    samples = sum(len(r.t) for r in recordings)
    if samples > MAX_SAMPLES:
        raise FileFormatError(
            f"{samples:,} samples; at most {MAX_SAMPLES:,} (a week at one a second) are read"
        )


def clean(rec: Recording) -> str | None:
    """Make `rec`'s samples plausible in place; returns why the session is refused, or None."""
    if rec.name is not None:
        rec.name = str(rec.name)[:MAX_NAME_CHARS]
    derived = bool(rec.t) and rec.start_at == rec.t[0]  # GPX: the start is the first point's time
    low, high = EARLIEST_S, latest_s()
    keep = [i for i, t in enumerate(rec.t) if math.isfinite(t) and low <= t <= high]
    if len(keep) < len(rec.t):
        for series in (rec.t, rec.hr, rec.speed, rec.altitude, rec.lat, rec.lon):
            series[:] = [series[i] for i in keep]
    order = sorted(range(len(rec.t)), key=rec.t.__getitem__)
    if order != list(range(len(rec.t))):  # a clock running backwards: samples in time order
        for series in (rec.t, rec.hr, rec.speed, rec.altitude, rec.lat, rec.lon):
            series[:] = [series[i] for i in order]
    if derived and rec.t:
        rec.start_at = rec.t[0]
    if problem := start_problem(rec.start_at):
        return problem
    rec.hr[:] = [_within(v, 0.0, 400.0) for v in rec.hr]
    rec.speed[:] = [_within(v, *SPEED_MPS) for v in rec.speed]
    rec.altitude[:] = [_within(v, *ALTITUDE_M) for v in rec.altitude]
    for i, (la, lo) in enumerate(zip(rec.lat, rec.lon, strict=True)):
        # -180 is FIT's -2^31 semicircles, a damaged field rather than the antimeridian
        if _within(la, -90.0, 90.0) is None or _within(lo, -180.0, 180.0) in (None, -180.0):
            rec.lat[i] = rec.lon[i] = None
    for name in ("elapsed_s", "moving_s", "distance_m", "elevation_gain_m", "avg_hr", "max_hr", "rpe"):
        value = getattr(rec, name)
        if value is not None and not isinstance(value, int | float):
            setattr(rec, name, None)
    return None


def _within(value: float | None, low: float, high: float) -> float | None:
    """`value` when it is a finite number in [low, high], else None (unknown)."""
    if value is None or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value) if low <= value <= high else None
