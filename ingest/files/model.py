"""What one recorded session in an activity file says, whatever the file format.

Parsers (fit.py, xml.py) fill a `Recording` per session; samples.py turns its samples into the
facts crosstrain keeps (heart-rate seconds, pace structure, missing totals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class StrengthSet:
    """One active set of a strength session, as the watch recorded it."""

    category: str | None  # FIT exercise_category name, e.g. 'squat'; None when the watch didn't know
    name: str | None  # FIT <category>_exercise_name, e.g. 'barbell_back_squat'
    reps: int | None
    weight_kg: float | None
    duration_s: float | None


@dataclass(kw_only=True)
class Totals:
    """An activity's totals; None where unknown."""

    elapsed_s: float | None = None
    moving_s: float | None = None
    distance_m: float | None = None
    elevation_gain_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None


@dataclass(kw_only=True)
class Recording(Totals):
    """One session of an activity file: its totals (None where the file has none) and its samples.

    Times are UTC seconds since the Unix epoch. Samples are parallel series, one entry per timestamp
    (records sharing a timestamp already merged): float arrays with NaN for a missing value as
    fit.py and xml.py fill them (checks.clean also takes lists with None).
    """

    sport: str  # the sport type name, in the words categories.py maps ('Run', 'Strength Training', ...)
    start_at: float
    index: int = 0  # the session's position in a multi-session file
    rpe: float | None = None  # session RPE 1-10 recorded by the watch
    name: str | None = None
    clock_zone: str | None = None  # a fixed-offset zone from the watch's local time (FIT), for no GPS
    t: list[float] = field(default_factory=list)
    hr: list[float | None] = field(default_factory=list)
    speed: list[float | None] = field(default_factory=list)  # m/s
    altitude: list[float | None] = field(default_factory=list)  # m
    lat: list[float | None] = field(default_factory=list)  # degrees
    lon: list[float | None] = field(default_factory=list)
    sets: list[StrengthSet] = field(default_factory=list)

    def start_point(self) -> tuple[float, float] | None:
        """The first recorded position (lat, lon), or None without GPS."""
        lat, lon = np.asarray(self.lat, dtype=float), np.asarray(self.lon, dtype=float)
        found = np.flatnonzero(~np.isnan(lat) & ~np.isnan(lon) & ((lat != 0.0) | (lon != 0.0)))
        return (float(lat[found[0]]), float(lon[found[0]])) if len(found) else None


def column(values: list[Any]) -> np.ndarray:
    """Floats (numbers, or text as float() reads it), NaN for None; a value that is no number (a
    damaged field, a word where a number belongs) is NaN too. numpy converts text with float()."""
    try:
        return np.array(values, dtype=float)
    except (TypeError, ValueError):
        return np.array([_number(v) for v in values], dtype=float)


def _number(value: Any) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if value == value else None


def one_per_time(t: np.ndarray, columns: list[np.ndarray]) -> list[np.ndarray]:
    """t and the columns (float, NaN: unknown) with one entry per run of equal times: samples sharing
    a time (HR and GPS written apart) give each series its first known value."""
    new = np.ones(len(t), dtype=bool)
    new[1:] = t[1:] != t[:-1]
    if new.all():
        return [t, *columns]
    starts = np.flatnonzero(new)
    merged = [t[starts]]
    index = np.arange(len(t))
    for c in columns:
        first = np.minimum.reduceat(np.where(np.isnan(c), len(t), index), starts)
        known = first < len(t)
        out = np.full(len(starts), np.nan)
        out[known] = c[first[known]]
        merged.append(out)
    return merged
