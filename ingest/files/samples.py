"""What crosstrain keeps from a recording's samples: clean heart rate, totals, pace structure.

Each sample stands for the time until the next one (`weights`), capped so that a pause or a clock
jump adds nothing. Thresholds here are crosstrain's conventions unless a source is named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ingest.files import structure as pace
from ingest.files.model import Recording, Totals

# A sample stands for at most this many seconds: recording gaps longer than this are pauses
# (Garmin's "smart recording" writes every 1 to ~10 s). crosstrain's convention.
MAX_SAMPLE_S = 20.0
# A step between samples longer than this, or backwards, is the clock jumping (a watch's clock
# re-synchronised mid-activity), not time spent. crosstrain's convention.
CLOCK_JUMP_S = 3600.0
# Heart rates outside this range are sensor errors (adult HR at rest ~40, maximum rarely above 220).
HR_RANGE = (30.0, 230.0)
# A single sample this far above or below both neighbours is a spike (optical sensors and chest
# straps with poor contact); crosstrain's convention.
HR_SPIKE_BPM = 25.0
EARTH_RADIUS_M = 6371008.8  # mean Earth radius (IUGG)

# Moving time where the file has no timer time (GPX): Strava's server removes "portions of the
# activity where the athlete was moving below a certain speed threshold for more than 15 seconds"
# (Strava Engineering, "Improving Auto-Pause for Everyone", 2014); the threshold is not published:
# crosstrain takes structure.MOVING_MPS (0.8 m/s, about 21 min/km: standing or shuffling), judged on
# speeds averaged over 5 steps (GPS positions drift by a few metres while one stands still).
PAUSE_S = 15.0
PAUSE_SMOOTH_STEPS = 5


@dataclass(kw_only=True)
class Facts(Totals):
    """A recording's facts: totals (the file's where it has them), HR seconds per bpm, structure."""

    hr_seconds: dict[int, float] = field(default_factory=dict)
    structure: str | None = None
    spikes: int = 0
    clock_jumps: int = 0


def clock_jumps(times: np.ndarray, step_speed: np.ndarray) -> np.ndarray:
    """Which steps are the clock jumping: backwards, or forward by more than CLOCK_JUMP_S without
    covering ground at moving speed. A long step that covered ground (a phone that lost its GPS
    for an hour of riding: 4.7 km in 69 min) is a recording gap, and its time was spent."""
    dt = np.diff(times)
    covered = np.nan_to_num(step_speed[:-1], nan=0.0) >= pace.MOVING_MPS
    return (dt < 0) | ((dt > CLOCK_JUMP_S) & ~covered)


def weights(times: np.ndarray, jumps: np.ndarray) -> np.ndarray:
    """Seconds each sample stands for: the step to the next one, capped at MAX_SAMPLE_S; none for
    a clock jump."""
    if len(times) < 2:
        return np.ones(len(times))
    dt = np.where(jumps, 0.0, np.minimum(np.diff(times), MAX_SAMPLE_S))
    last = float(np.median(dt)) if len(dt) else 1.0
    return np.append(dt, last)


def clean_hr(hr: list[float | None]) -> tuple[np.ndarray, int]:
    """Heart rates with implausible values and single-sample spikes set to NaN, and how many."""
    values = np.array(hr, dtype=float)  # None (a parser's unknown) is NaN
    bad = (values < HR_RANGE[0]) | (values > HR_RANGE[1])
    if len(values) >= 3:
        prev, nxt = values[:-2], values[2:]
        mid = values[1:-1]
        up = (mid - prev > HR_SPIKE_BPM) & (mid - nxt > HR_SPIKE_BPM)
        down = (prev - mid > HR_SPIKE_BPM) & (nxt - mid > HR_SPIKE_BPM)
        bad[1:-1] |= up | down
    spikes = int(np.sum(bad))
    values[bad] = np.nan
    return values, spikes


def haversine_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres (arrays or floats, degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def _series(values: list[float | None]) -> np.ndarray:
    """The values as floats, None as NaN (numpy converts None to NaN for a float array)."""
    return np.array(values, dtype=float)


def speeds(rec: Recording, w: np.ndarray) -> tuple[np.ndarray, float | None]:
    """Speed per sample (recorded, else from GPS steps) and the distance the samples cover."""
    speed = _series(rec.speed)
    lat, lon = _series(rec.lat), _series(rec.lon)
    gps = np.isfinite(lat) & np.isfinite(lon) & ((lat != 0) | (lon != 0))
    step_m = None
    if gps.sum() >= 2:
        idx = np.flatnonzero(gps)
        d = haversine_m(lat[idx[:-1]], lon[idx[:-1]], lat[idx[1:]], lon[idx[1:]])
        dt = np.diff(np.asarray(rec.t, dtype=float)[idx])
        ok = (dt > 0) & (dt <= MAX_SAMPLE_S * 3)
        step_m = float(d[ok].sum())
        if np.isfinite(speed).sum() < len(speed) / 2:
            derived = np.full(len(speed), np.nan)
            derived[idx[1:][ok]] = d[ok] / dt[ok]
            speed = derived
    if step_m is None and np.isfinite(speed).any():
        step_m = float(np.nansum(np.nan_to_num(speed) * w))
    return speed, step_m


def step_speeds(rec: Recording, times: np.ndarray) -> np.ndarray:
    """Speed of each step (sample i to i+1; the last sample's is NaN): from GPS positions where both
    ends have one, else the recorded speed at the step's start; NaN where neither is known."""
    dt = np.diff(times)
    out = np.full(len(times), np.nan)
    recorded = _series(rec.speed)
    out[:-1] = recorded[:-1]
    lat, lon = _series(rec.lat), _series(rec.lon)
    gps = np.isfinite(lat) & np.isfinite(lon) & ((lat != 0) | (lon != 0))
    both = gps[:-1] & gps[1:] & (dt > 0)
    if both.any():
        d = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:-1] = np.where(both, d / np.where(dt > 0, dt, 1.0), out[:-1])
    return out


def pauses(times: np.ndarray, step_speed: np.ndarray, jumps: np.ndarray) -> np.ndarray:
    """Which steps are pauses: part of a stretch of more than PAUSE_S seconds below the moving speed
    (speeds averaged over PAUSE_SMOOTH_STEPS steps, time-weighted), a single slow step that long
    (a recording gap while standing) included. Steps of unknown speed are not pauses."""
    n = len(times)
    dt = np.append(np.where(jumps, 0.0, np.diff(times)), 0.0)
    known = np.isfinite(step_speed)
    if not known.any():
        return np.zeros(n, dtype=bool)
    # a recording gap is judged on its own speed, and kept out of its neighbours' averages
    short = known & (dt <= PAUSE_S)
    k = np.ones(PAUSE_SMOOTH_STEPS)
    metres = np.convolve(np.where(short, step_speed * dt, 0.0), k, mode="same")
    seconds = np.convolve(np.where(short, dt, 0.0), k, mode="same")
    with np.errstate(invalid="ignore", divide="ignore"):
        smooth = np.where(short & (seconds > 0), metres / np.where(seconds > 0, seconds, 1.0), step_speed)
    slow = known & (smooth < pace.MOVING_MPS)
    out = np.zeros(n, dtype=bool)
    for a, b in pace.spans(slow):
        if dt[a:b].sum() > PAUSE_S:
            out[a:b] = True
    return out


def moving_seconds(times: np.ndarray, paused: np.ndarray, jumps: np.ndarray) -> float:
    """Seconds of the steps that are not pauses, clock jumps left out."""
    return float(np.diff(times)[~jumps & ~paused[:-1]].sum())


def facts(rec: Recording) -> Facts:
    """Totals the file lacks filled in from its samples; HR seconds per whole bpm; pace structure."""
    out = Facts(
        elapsed_s=rec.elapsed_s,
        moving_s=rec.moving_s,
        distance_m=rec.distance_m,
        elevation_gain_m=rec.elevation_gain_m,
        avg_hr=rec.avg_hr,
        max_hr=rec.max_hr,
    )
    if not len(rec.t):
        return out
    times = np.asarray(rec.t, dtype=float)
    step_speed = step_speeds(rec, times)
    jumps = clock_jumps(times, step_speed)
    out.clock_jumps = int(jumps.sum())
    w = weights(times, jumps)
    if out.elapsed_s is None:
        out.elapsed_s = float(np.diff(times)[~jumps].sum()) or None
    paused = pauses(times, step_speed, jumps)
    if out.moving_s is None:
        out.moving_s = moving_seconds(times, paused, jumps) or None
    hr, out.spikes = clean_hr(rec.hr)
    has_hr = np.isfinite(hr)
    if has_hr.any():
        bpm = np.rint(hr[has_hr]).astype(int)
        # seconds per bpm, summed in sample order (bincount adds its weights one by one)
        seconds = np.bincount(bpm, weights=w[has_hr])
        out.hr_seconds = {b: round(s, 3) for b, s in enumerate(seconds.tolist()) if s > 0}
        total = sum(out.hr_seconds.values())
        if out.avg_hr is None and total:
            out.avg_hr = sum(b * s for b, s in out.hr_seconds.items()) / total
        if out.max_hr is None:
            out.max_hr = float(np.max(hr[has_hr]))
    speed, covered = speeds(rec, w)
    if out.distance_m is None and covered:
        out.distance_m = covered
    altitude = _series(rec.altitude)
    if out.elevation_gain_m is None and np.isfinite(altitude).sum() >= 2:
        out.elevation_gain_m = _gain(altitude[np.isfinite(altitude)])
    out.structure = pace.structure(speed, altitude, w, paused & (np.append(np.diff(times), 0.0) > PAUSE_S))
    return out


def _gain(altitude: np.ndarray) -> float:
    """Metres climbed, counting only rises of at least 2 m (GPS and barometer noise)."""
    gain, low = 0.0, altitude[0]
    high = low
    for a in altitude[1:]:
        if a > high:
            high = a
        elif high - a >= 2.0:
            gain += high - low if high - low >= 2.0 else 0.0
            low = high = a
        elif a < low:
            low = high = a
    return round(gain + (high - low if high - low >= 2.0 else 0.0), 1)


def finite(value: float | None) -> float | None:
    """`value` when it is a finite number, else None."""
    return value if value is not None and math.isfinite(value) else None
