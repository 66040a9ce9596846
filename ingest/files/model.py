"""What one recorded session in an activity file says, whatever the file format.

Parsers (fit.py, xml.py) fill a `Recording` per session; samples.py turns its samples into the
facts crosstrain keeps (heart-rate seconds, pace structure, missing totals).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    (records sharing a timestamp already merged): lists with None for a missing value as a parser
    fills them, float arrays with NaN from fit.py and from checks.clean on.
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


class FileFormatError(Exception):
    """An activity file that can't be read: truncated, corrupt, or with nothing recorded."""
