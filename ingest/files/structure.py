"""A run's pace structure from its speed samples: steady, intervals, strides, hills or mixed.

Built to hold on phone GPS in a city (issue 12's real-export check): stops at traffic lights, the
slow-down and speed-up around them, and GPS jumps after a lost signal must not look like surges.
So speeds are judged over 10-s bins of moving time only, smoothed by a running median (which keeps
the edges of a real bout and drops anything shorter than half its window), GPS jumps are dropped,
and a bout counts only when it follows a recovery that kept moving and was clearly slower.

Every threshold here is crosstrain's convention, tuned on real files (README, "Pace structure":
the confusion table of the files' labels against what this module says).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

BIN_S = 10.0  # speeds averaged over 10-s bins of moving (pause-free) time: 1-s GPS speeds are too noisy
MIN_MOVING_S = 600.0  # at least 10 minutes of moving bins to judge
MOVING_MPS = 0.8  # a bin slower than this (about 21 min/km) is standing
# A run whose median moving speed is below this (6.5 km/h, 9:15 min/km: brisk walking) is mostly
# walking: its running stretches are the run itself, not surges (walk/run sessions are 'mixed').
RUNNING_MPS = 1.8
# A bin faster than this many times the median moving speed is a GPS jump (phone positions after a
# lost signal), not running; so is anything above 12 m/s (43 km/h, faster than any sprinter).
JUMP_X = 2.5
JUMP_MPS = 12.0
INTERVAL_FAST = 1.2  # a bout: median-smoothed speed at least 20% above the median moving speed
INTERVAL_SMOOTH = 5  # ... smoothed over 5 bins (50 s)
BOUT_MIN_S = 60.0  # ... held at least a minute
BOUT_JOIN_S = 20.0  # dips of up to 20 s inside a bout don't split it
RECOVERY_MIN_S = 30.0  # a bout counts after at least 30 s of recovery (or warm-up) ...
RECOVERY_LOOK_S = 120.0  # ... judged over at most the 2 minutes before it,
RECOVERY_SLOWER = 1.25  # ... during which the runner kept moving at most 1/1.25 of the bout's speed
STRIDE_FAST = 1.35  # a stride: 10-s speeds at least 35% above the median (strides are near sprints)
STRIDE_S = (20.0, 40.0)  # ... lasting 20 to 40 s, with moving bins on both sides
MIN_BOUTS = 3  # three or more bouts make a session of intervals or strides
HILL_CLIMB_M = 15.0  # a climb: at least 15 m up without 5 m down (altitude median-smoothed over 30 s)
HILL_DIP_M = 5.0
MIN_HILLS = 3  # three or more climbs make a hills session
# Altitude is trusted for hills only when few 10-s steps rise or fall faster than 0.5 m/s (a vertical
# kilometre is raced at ~0.55 m/s): phone GPS altitude jumps by 20 m in seconds on flat ground.
VERTICAL_MPS = 0.5
VERTICAL_JUMPS = 0.02  # ... at most 2% of the steps
STEADY_CV = 0.10  # steady: the coefficient of variation of 30-s moving speeds below 10%


def bin_of(w: np.ndarray) -> np.ndarray:
    """Each sample's BIN_S bin of pause-free time (`w`: seconds per sample)."""
    return ((np.cumsum(w) - w) // BIN_S).astype(int)


def binned(values: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Time-weighted means of `values` over BIN_S bins of pause-free time (`w`: seconds per sample)."""
    bins = bin_of(w)
    ok = np.isfinite(values)
    if not ok.any() or not len(bins):
        return np.array([])
    n = bins[-1] + 1
    total = np.bincount(bins[ok], weights=(values * w)[ok], minlength=n)
    seconds = np.bincount(bins[ok], weights=w[ok], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(seconds > 0, total / seconds, np.nan)


def _paused_bins(paused: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
    """Which of the n bins hold a sample followed by a recording gap (a pause)."""
    bins = bin_of(w)
    out = np.zeros(n, dtype=bool)
    out[bins[paused & (bins < n)]] = True
    return out


def running_median(values: np.ndarray, k: int) -> np.ndarray:
    """Centred running median over k bins ignoring NaN (NaN where the window has no value)."""
    if len(values) < k:
        return values.copy()
    pad = k // 2
    padded = np.concatenate([np.full(pad, np.nan), values, np.full(pad, np.nan)])
    windows = sliding_window_view(padded, k)
    out = np.full(len(values), np.nan)
    has = np.isfinite(windows).any(axis=1)
    out[has] = _nan_medians(windows[has])
    return np.where(np.isfinite(values), out, np.nan)


def _nan_medians(rows: np.ndarray) -> np.ndarray:
    """The median of each row ignoring NaN, as np.nanmedian(rows, axis=1) computes it (the mean of
    the two middle values of the sorted known ones), without its masked-array path (half of an
    activity file's sample facts)."""
    ordered = np.sort(rows, axis=1)  # NaN sorts last
    known = (~np.isnan(rows)).sum(axis=1)
    high = known // 2
    low = np.where(known % 2 == 1, high, high - 1)
    pick = np.take_along_axis(ordered, np.stack([low, high], axis=1), axis=1)
    return (pick[:, 0] + pick[:, 1]) / 2.0


def spans(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) index pairs, end exclusive, of the runs of True in `mask`."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))


def _bouts(fast: np.ndarray, moving: np.ndarray) -> list[tuple[int, int]]:
    """Stretches of fast bins, joined across short dips that kept moving, at least BOUT_MIN_S long."""
    join = int(BOUT_JOIN_S // BIN_S)
    joined: list[tuple[int, int]] = []
    for a, b in spans(fast):
        if joined and a - joined[-1][1] <= join and moving[joined[-1][1] : a].all():
            joined[-1] = (joined[-1][0], b)
        else:
            joined.append((a, b))
    return [(a, b) for a, b in joined if (b - a) * BIN_S >= BOUT_MIN_S]


def interval_bouts(speed: np.ndarray, moving: np.ndarray, median: float) -> int:
    """How many bouts count as intervals: each faster than INTERVAL_FAST x the median for a minute,
    after a recovery of at least RECOVERY_MIN_S that kept moving and was clearly slower."""
    smooth = running_median(np.where(moving, speed, np.nan), INTERVAL_SMOOTH)
    fast = moving & (smooth >= INTERVAL_FAST * median)
    look, least = int(RECOVERY_LOOK_S // BIN_S), int(RECOVERY_MIN_S // BIN_S)
    counted, previous_end = 0, 0
    for a, b in _bouts(fast, moving):
        start = max(previous_end, a - look)
        recovery = slice(start, a)
        previous_end = b
        if a - start < least or not moving[recovery].all():
            continue  # straight after a stop (a traffic light), or no room to recover: not a rep
        bout_speed = float(np.nanmean(speed[a:b]))
        if bout_speed >= RECOVERY_SLOWER * float(np.nanmean(speed[recovery])):
            counted += 1
    return counted


def stride_bouts(speed: np.ndarray, moving: np.ndarray, median: float) -> int:
    """How many 20-40 s bursts at STRIDE_FAST x the median, each after RECOVERY_MIN_S of moving at most
    1/RECOVERY_SLOWER of its speed, and followed by a moving bin."""
    smooth = running_median(np.where(moving, speed, np.nan), 3)
    fast = moving & (np.maximum(speed, smooth) >= STRIDE_FAST * median) & (smooth >= STRIDE_FAST * median)
    lo, hi = int(STRIDE_S[0] // BIN_S), int(STRIDE_S[1] // BIN_S)
    found = 0
    before = int(RECOVERY_MIN_S // BIN_S)
    for a, b in spans(fast):
        if not (lo <= b - a <= hi and a >= before and b < len(moving) and moving[a - before : a].all()):
            continue
        if moving[b] and np.nanmean(speed[a:b]) >= RECOVERY_SLOWER * np.nanmean(speed[a - before : a]):
            found += 1
    return found


def climbs(altitude: np.ndarray) -> int:
    """How many separate climbs of HILL_CLIMB_M or more the altitude profile holds."""
    count, low, high = 0, altitude[0], altitude[0]
    for a in altitude[1:].tolist():
        if a > high:
            high = a
        elif high - a >= HILL_DIP_M:
            count += high - low >= HILL_CLIMB_M
            low = high = a
        elif a < low:
            low = high = a
    return count + (high - low >= HILL_CLIMB_M)


def trusted_altitude(alt: np.ndarray) -> bool:
    """Whether an altitude profile (10-s bins) is smooth enough to count climbs on."""
    jumps = np.abs(np.diff(alt)) > VERTICAL_MPS * BIN_S
    return float(jumps.mean()) <= VERTICAL_JUMPS


def structure(speed: np.ndarray, altitude: np.ndarray, w: np.ndarray, paused: np.ndarray) -> str | None:
    """'intervals', 'strides', 'hills', 'steady' or 'mixed' for a run; None without enough speed samples.

    `speed` and `altitude` per sample, `w` the seconds each sample stands for, `paused` the samples
    followed by a recording gap. Checked in this order: intervals (MIN_BOUTS counted bouts), strides
    (MIN_BOUTS bursts), hills (MIN_HILLS climbs), steady (small spread of 30-s speeds), else mixed.
    A run that is mostly walking is never intervals or strides.
    """
    bins = binned(speed, w)
    if not len(bins):
        return None
    stopped = _paused_bins(paused, w, len(bins))
    moving = np.isfinite(bins) & (bins >= MOVING_MPS) & ~stopped
    if moving.sum() * BIN_S < MIN_MOVING_S:
        return None
    median = float(np.median(bins[moving]))
    jump = moving & ((bins > JUMP_X * median) | (bins > JUMP_MPS))
    bins = np.where(jump, np.nan, bins)
    moving &= ~jump
    median = float(np.median(bins[moving]))
    if median >= RUNNING_MPS:
        if interval_bouts(bins, moving, median) >= MIN_BOUTS:
            return "intervals"
        if stride_bouts(bins, moving, median) >= MIN_BOUTS:
            return "strides"
    alt = binned(altitude, w)
    alt = alt[np.isfinite(alt)]
    if len(alt) >= 2 and trusted_altitude(alt) and climbs(running_median(alt, 3)) >= MIN_HILLS:
        return "hills"
    # steady: judged on cruising bins, away from stops (slowing down for a light and speeding up
    # again are not changes of pace)
    near_stop = np.convolve(~moving, np.ones(2 * int(RECOVERY_MIN_S // BIN_S) + 1), mode="same") > 0
    cruising = moving & ~near_stop
    per_30s = int(30 / BIN_S)
    kept = bins[cruising] if cruising.sum() * BIN_S >= MIN_MOVING_S / 2 else bins[moving]
    usable = kept[: (len(kept) // per_30s) * per_30s].reshape(-1, per_30s).mean(axis=1)
    if len(usable) >= 2 and float(np.std(usable)) / float(np.mean(usable)) < STEADY_CV:
        return "steady"
    return "mixed"
