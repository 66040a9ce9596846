"""Documented defaults for load and warnings, and the settings file's overrides of them.

The TOML settings file (ingest.settings) may override any default:

    [intensity]            # sRPE units (CR-10 x minutes) for sessions with neither RPE nor heart rate
    pilates = 4
    [load]                 # heart-rate model (Banister TRIMP) and the EWMA time constants
    hr_rest = 60
    hr_max = 190
    [thresholds]           # warning thresholds
    support_share_low = 0.10

Unknown keys or non-numeric values are a ConfigError naming the key, not a silent default.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from ingest.categories import CATEGORIES
from ingest.errors import ConfigError, CrosstrainError
from ingest.settings import load_settings

# Default intensity per category, in session-RPE units (CR-10 scale), for sessions with neither an RPE
# nor an average heart rate: load = minutes x intensity. A Pilates class without heart rate is load,
# never a rest day (other tools count such sessions as zero).
DEFAULT_INTENSITY: dict[str, float] = {
    "run": 5.0,
    "strength": 5.0,
    "pilates": 4.0,
    "mobility": 2.0,
    "cross": 4.0,
    "other": 3.0,
}

# Heart-rate load (Banister 1991 TRIMP) and fitness/fatigue constants.
DEFAULT_LOAD: dict[str, float] = {
    "hr_rest": 60.0,  # resting HR when unknown
    "hr_max": 190.0,  # HRmax when the athlete has no recorded max_hr; else their highest max_hr
    "trimp_k": 0.64,  # Banister's weighting: k * e^(b * HRr) (men's coefficients; women 0.86, 1.67)
    "trimp_b": 1.92,
    # TRIMP per minute x 2.5 is close to the CR-10 RPE of the same effort (HRr 0.5 -> 2.1, 0.75 -> 5.1,
    # 0.9 -> 8.1), so sRPE, TRIMP and default-intensity loads add up in one unit.
    "trimp_scale": 2.5,
    "fitness_days": 42.0,  # EWMA time constants N (Banister 1991): alpha = 1 - e^(-1/N)
    "fatigue_days": 7.0,
}

# Warning thresholds. Sources: Foster 1998 (monotony), Gabbett 2016 (ACWR), Nielsen 2014 (progression),
# Seiler 2010 (intensity distribution / variety).
DEFAULT_THRESHOLDS: dict[str, float] = {
    "support_gap_days": 14,  # no strength or Pilates for this many days while running: warn
    "support_gap_high_days": 28,  # ... and this many (or never): high
    "support_share_low": 0.10,  # support minutes / all minutes over 28 days below this: warn
    "monotony_warn": 1.5,  # Foster 1998
    "monotony_high": 2.0,
    "acwr_high": 1.5,  # Gabbett 2016: spike above this
    "acwr_very_high": 2.0,  # ... high severity above this
    "acwr_low": 0.8,  # below this: info (detraining)
    "acwr_min_history_days": 28,  # no ACWR flags before the 28-day chronic window holds this much history
    "run_jump_week": 0.10,  # Nielsen 2014: +10% run distance week on week: warn
    "run_jump_2weeks": 0.30,  # +30% over two weeks: high
    "run_jump_min_km": 3.0,  # ignore jumps smaller than this many km (2 km -> 3 km is not a jump)
    "variety_min_runs": 4,  # monotone_runs needs at least this many runs in 28 days
    "variety_cv_distance": 0.20,  # coefficient of variation of run distance below this ...
    "variety_cv_pace": 0.06,  # ... and of pace below this: all runs alike (Seiler 2010)
    "variety_pace_outlier": 0.08,  # a run this much faster than the 28-day mean pace is a quality run
    "risk_red_warns": 3,  # this many warn-level warnings make the risk red
}

# Words in a run's name that mark a quality session (intervals, sprints, hills ...).
DEFAULT_RUN_KEYWORDS = ("interval", "sprint", "hill", "tempo", "fartlek", "track", "strides", "repeats")


@dataclass(frozen=True)
class Params:
    """Resolved parameters for one query run."""

    intensity: dict[str, float]
    load: dict[str, float]
    thresholds: dict[str, float]
    run_keywords: tuple[str, ...]

    def alpha(self, days: float) -> float:
        """EWMA smoothing factor alpha = 1 - e^(-1/N) (Banister 1991 fitness/fatigue)."""
        return 1.0 - math.exp(-1.0 / days)


def _merged(defaults: dict[str, float], user: Any, section: str) -> dict[str, float]:
    if not isinstance(user, dict):
        raise ConfigError(f"[{section}]: expected a table of numbers")
    out = dict(defaults)
    for key, value in user.items():
        if key not in defaults:
            raise ConfigError(f"[{section}]: unknown key '{key}'; known: {', '.join(defaults)}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"[{section}]: '{key}' must be a non-negative number, not {value!r}")
        out[key] = float(value)
    return out


def resolve(settings: dict[str, Any] | None) -> Params:
    """Defaults overlaid with the settings file (`None` reads the user's settings file)."""
    if settings is None:
        settings = load_settings()
    intensity = _merged(DEFAULT_INTENSITY, settings.get("intensity", {}), "intensity")
    load = _merged(DEFAULT_LOAD, settings.get("load", {}), "load")
    for key in ("fitness_days", "fatigue_days"):
        if load[key] < 1:
            raise ConfigError(f"[load]: '{key}' must be at least 1")
    thresholds = _merged(DEFAULT_THRESHOLDS, settings.get("thresholds", {}), "thresholds")
    words = settings.get("run_quality_keywords", list(DEFAULT_RUN_KEYWORDS))
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ConfigError("run_quality_keywords: expected a list of words")
    assert set(intensity) == set(CATEGORIES)
    return Params(intensity, load, thresholds, tuple(w.lower() for w in words))


# The days a report may end on: from 1970 (no activity is stored before it: ingest/plausibility.py)
# to a year ahead (plans look forward). Outside them the windows hold nothing to measure, and before
# about 1900 the EWMA's block arithmetic leaves its range (an AssertionError, an OverflowError at 0001).
EARLIEST_AS_OF = dt.date(1970, 1, 1)


def latest_as_of(today: dt.date | None = None) -> dt.date:
    """A year after `today` (Feb 29 -> Feb 28)."""
    today = today or dt.date.today()
    return today.replace(year=today.year + 1, day=min(today.day, 28 if today.month == 2 else today.day))


def check_as_of(day: dt.date, today: dt.date | None = None) -> dt.date:
    """`day` when a report may end on it, else CrosstrainError in one line (the CLI's --as-of and the
    dashboard's ?as_of= both call this)."""
    latest = latest_as_of(today)
    if not EARLIEST_AS_OF <= day <= latest:
        raise CrosstrainError(
            f"as-of date {day.isoformat()} is outside {EARLIEST_AS_OF.isoformat()}..{latest.isoformat()}: "
            "reports end on a day from 1970 to a year ahead"
        )
    return day
