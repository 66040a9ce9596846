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
from typing import Any

import numpy as np

from ingest.database.limits import EARLIEST, MAX_NAME_CHARS, WEEK_S
from ingest.errors import FileFormatError
from ingest.files.model import Recording

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
    t = _floats(rec.t)
    derived = len(t) > 0 and rec.start_at == t[0]  # GPX: the start is the first point's time
    low, high = EARLIEST_S, latest_s()
    keep = np.isfinite(t) & (t >= low) & (t <= high)
    series = [t] + [_floats(s) for s in (rec.hr, rec.speed, rec.altitude, rec.lat, rec.lon)]
    if not keep.all():
        series = [s[keep] for s in series]
    order = np.argsort(series[0], kind="stable")
    if (order != np.arange(len(order))).any():  # a clock running backwards: samples in time order
        series = [s[order] for s in series]
    t, hr, speed, altitude, lat, lon = series
    if derived and len(t):
        rec.start_at = float(t[0])
    if problem := start_problem(rec.start_at):
        return problem
    rec.t = t
    rec.hr = _within(hr, 0.0, 400.0)
    rec.speed = _within(speed, *SPEED_MPS)
    rec.altitude = _within(altitude, *ALTITUDE_M)
    # -180 is FIT's -2^31 semicircles, a damaged field rather than the antimeridian
    no_point = np.isnan(_within(lat, -90.0, 90.0)) | np.isnan(_within(lon, -180.0, 180.0)) | (lon == -180.0)
    rec.lat = np.where(no_point, np.nan, lat)
    rec.lon = np.where(no_point, np.nan, lon)
    for name in ("elapsed_s", "moving_s", "distance_m", "elevation_gain_m", "avg_hr", "max_hr", "rpe"):
        value = getattr(rec, name)
        if value is not None and not isinstance(value, int | float):
            setattr(rec, name, None)
    return None


def _within(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """The values that are finite numbers in [low, high]; NaN (unknown) for the others."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(values) & (values >= low) & (values <= high), values, np.nan)


def _floats(values: Any) -> np.ndarray:
    """A series as floats, None and anything that is no number as NaN."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return np.array([v if isinstance(v, int | float) else np.nan for v in values], dtype=float)
