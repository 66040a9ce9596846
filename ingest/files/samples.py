"""What crosstrain keeps from a recording's samples: clean heart rate, totals, pace structure.

Each sample stands for the time until the next one (`weights`), capped so that a pause or a clock
jump adds nothing. Thresholds here are crosstrain's conventions unless a source is named.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

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

# Pace structure (crosstrain's conventions, tuned on the real runs in ../shared/formats/files):
STRUCTURE_BIN_S = 10.0  # speeds averaged over 10-s bins (1-s GPS speeds are too noisy)
MIN_STRUCTURE_S = 600.0  # at least 10 minutes of moving samples to judge
MOVING_MPS = 0.8  # slower than this (about 21 min/km) is standing
INTERVAL_FAST = 1.15  # an interval: 30-s mean speed at least 15% above the median moving speed
INTERVAL_MIN_S = 60.0  # ... held at least a minute
STRIDE_FAST = 1.35  # a stride: 10-s speeds at least 35% above the median (strides are near sprints)
STRIDE_S = (20.0, 40.0)  # ... lasting 20 to 40 s
MIN_BOUTS = 3  # three or more bouts make a session of intervals or strides
HILL_CLIMB_M = 15.0  # a climb: at least 15 m up without 5 m down,
HILL_DIP_M = 5.0
MIN_HILLS = 3  # three or more climbs make a hills session
STEADY_CV = 0.10  # steady: the coefficient of variation of 30-s speeds below 10%


@dataclass(kw_only=True)
class Facts(Totals):
    """A recording's facts: totals (the file's where it has them), HR seconds per bpm, structure."""

    hr_seconds: dict[int, float] = field(default_factory=dict)
    structure: str | None = None
    spikes: int = 0
    clock_jumps: int = 0


def weights(t: list[float]) -> tuple[np.ndarray, int]:
    """Seconds each sample stands for, and how many clock jumps were skipped."""
    times = np.asarray(t, dtype=float)
    if len(times) < 2:
        return np.ones(len(times)), 0
    dt = np.diff(times)
    jumps = int(np.sum((dt < 0) | (dt > CLOCK_JUMP_S)))
    dt = np.where((dt < 0) | (dt > CLOCK_JUMP_S), 0.0, np.minimum(dt, MAX_SAMPLE_S))
    last = float(np.median(dt)) if len(dt) else 1.0
    return np.append(dt, last), jumps


def clean_hr(hr: list[float | None]) -> tuple[np.ndarray, int]:
    """Heart rates with implausible values and single-sample spikes set to NaN, and how many."""
    values = np.array([np.nan if v is None else v for v in hr], dtype=float)
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
    return np.array([np.nan if v is None else v for v in values], dtype=float)


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
    if not rec.t:
        return out
    w, out.clock_jumps = weights(rec.t)
    times = np.asarray(rec.t, dtype=float)
    if out.elapsed_s is None:
        dt = np.diff(times)
        out.elapsed_s = float(dt[(dt >= 0) & (dt <= CLOCK_JUMP_S)].sum()) or None
    if out.moving_s is None:
        out.moving_s = float(w.sum()) or None
    hr, out.spikes = clean_hr(rec.hr)
    has_hr = np.isfinite(hr)
    if has_hr.any():
        bpm = np.rint(hr[has_hr]).astype(int)
        counts: Counter[int] = Counter()
        for b, s in zip(bpm.tolist(), w[has_hr].tolist(), strict=True):
            counts[b] += s
        out.hr_seconds = {b: round(s, 3) for b, s in sorted(counts.items()) if s > 0}
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
    out.structure = structure(times, speed, altitude, w)
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


def _binned(times: np.ndarray, values: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Time-weighted means of `values` over STRUCTURE_BIN_S bins of elapsed (pause-free) time."""
    clock = np.cumsum(w) - w
    bins = (clock // STRUCTURE_BIN_S).astype(int)
    ok = np.isfinite(values)
    if not ok.any():
        return np.array([])
    n = bins[-1] + 1
    total = np.bincount(bins[ok], weights=(values * w)[ok], minlength=n)
    seconds = np.bincount(bins[ok], weights=w[ok], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(seconds > 0, total / seconds, np.nan)


def _runs(mask: np.ndarray) -> list[int]:
    """Lengths of the runs of True in `mask`."""
    lengths, current = [], 0
    for m in mask.tolist():
        if m:
            current += 1
        elif current:
            lengths.append(current)
            current = 0
    if current:
        lengths.append(current)
    return lengths


def _climbs(altitude: np.ndarray) -> int:
    """How many separate climbs of HILL_CLIMB_M or more the altitude profile holds."""
    climbs, low, high = 0, altitude[0], altitude[0]
    for a in altitude[1:].tolist():
        if a > high:
            high = a
        elif high - a >= HILL_DIP_M:
            climbs += high - low >= HILL_CLIMB_M
            low = high = a
        elif a < low:
            low = high = a
    return climbs + (high - low >= HILL_CLIMB_M)


def structure(times: np.ndarray, speed: np.ndarray, altitude: np.ndarray, w: np.ndarray) -> str | None:
    """'intervals', 'strides', 'hills', 'steady' or 'mixed' from the speed samples; None without them.

    Three or more bouts of INTERVAL_MIN_S at INTERVAL_FAST x the median moving speed (30-s means) make
    intervals; else three or more STRIDE_S bouts at STRIDE_FAST x make strides; else three or more
    climbs make hills; else a small spread of 30-s speeds is steady; anything else is mixed.
    """
    bins = _binned(times, speed, w)
    moving = np.isfinite(bins) & (bins >= MOVING_MPS)
    if moving.sum() * STRUCTURE_BIN_S < MIN_STRUCTURE_S:
        return None
    median = float(np.median(bins[moving]))
    filled = np.where(moving, bins, 0.0)
    smooth = np.convolve(filled, np.ones(3) / 3, mode="same")
    intervals = [
        n for n in _runs(moving & (smooth >= INTERVAL_FAST * median)) if n * STRUCTURE_BIN_S >= INTERVAL_MIN_S
    ]
    if len(intervals) >= MIN_BOUTS:
        return "intervals"
    strides = [
        n
        for n in _runs(moving & (bins >= STRIDE_FAST * median))
        if STRIDE_S[0] <= n * STRUCTURE_BIN_S <= STRIDE_S[1]
    ]
    if len(strides) >= MIN_BOUTS:
        return "strides"
    alt_bins = _binned(times, altitude, w)
    alt_bins = alt_bins[np.isfinite(alt_bins)]
    if len(alt_bins) >= 2 and _climbs(alt_bins) >= MIN_HILLS:
        return "hills"
    per_30s = int(30 / STRUCTURE_BIN_S)
    usable = bins[moving][: (moving.sum() // per_30s) * per_30s].reshape(-1, per_30s).mean(axis=1)
    if len(usable) >= 2 and float(np.std(usable)) / float(np.mean(usable)) < STEADY_CV:
        return "steady"
    return "mixed"


def finite(value: float | None) -> float | None:
    """`value` when it is a finite number, else None."""
    return value if value is not None and math.isfinite(value) else None
