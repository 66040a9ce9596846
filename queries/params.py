"""Documented defaults for load and warnings, and the settings file's overrides of them.

The TOML settings file (ingest.settings) may override any default:

    [intensity]            # sRPE units (CR-10 x minutes) for sessions with neither RPE nor heart rate
    pilates = 4            # a category, or a light activity type: walk = 2, golf = 2
    [load]                 # heart-rate model (Banister TRIMP) and the EWMA time constants
    hr_rest = 60
    hr_max = 190
    [thresholds]           # warning thresholds
    support_share_low = 0.10

Unknown keys or non-numeric values are a ConfigError naming the key, not a silent default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ingest.categories import CATEGORIES
from ingest.errors import ConfigError

# Default intensity per category and per light activity type, in session-RPE units (CR-10 scale), for
# sessions with neither an RPE nor a heart rate that counts: load = minutes x intensity. A Pilates class
# without heart rate is load, never a rest day (other tools count such sessions as zero). The values are
# crosstrain's convention, read off Borg's CR-10 words as Foster 2001 uses them (2 "easy", 3 "moderate",
# 4 "somewhat hard", 5 "hard"); their order agrees with the Compendium of Physical Activities' METs
# (Ainsworth et al. 2011: walking about 3.5, golf 4.3, hiking 6, hatha yoga 2.5, running 8+), which gives no
# CR-10 value. Where an athlete has enough sessions of the same kind scored by RPE or heart rate, their
# own median per minute replaces the table (queries/sql/session_intensity.sql; `[load]
# own_median_sessions`). Settings: `[intensity]` takes any key of this table.
DEFAULT_INTENSITY: dict[str, float] = {
    # categories
    "run": 5.0,
    "strength": 5.0,  # also support-work candidates (Workout, Gym & Fitness Equipment ...): CANDIDATE_KEY
    "pilates": 4.0,
    "mobility": 2.0,  # yoga, stretching, mobility: easy
    "cross": 4.0,
    "other": 3.0,
    # activity types lighter than their category (cross-training at 4): INTENSITY_TYPES
    "walk": 2.0,
    "golf": 2.0,
    "hike": 3.0,  # moderate: between walking and running in the Compendium's METs (hiking about 6)
}

# Activity types (lower case, as stored) that score by their own row of DEFAULT_INTENSITY, not their
# category's: a 110-minute round of golf without heart rate is 220, not the 440 of cross-training.
INTENSITY_TYPES: dict[str, tuple[str, ...]] = {
    "walk": ("walk", "walking", "casual walking"),
    "golf": ("golf",),
    "hike": ("hike", "hiking"),
}

# A support-work candidate (a type that says nothing and a name without a keyword: the catch-all
# category) scores as the athlete's gym sessions, as the same class named "Treino academia" (strength)
# would: the same session scores the same whatever its name (crosstrain's convention).
CANDIDATE_KEY = "strength"

# What each category counts as, the one place the SQL learns it (engine.prepare_scope loads it into
# q_categories beside each category's intensity):
#   support_share  : its minutes count toward the support share (strength, Pilates, mobility);
#   support_work   : it ends a gap without support work (strength, Pilates);
#   running        : it is running (run km, runs, progression, variety);
#   heart_rate_load: without an RPE its load may come from average heart rate (running and
#                    cross-training; strength, Pilates and mobility never: average-HR TRIMP badly
#                    underrates resistance work, for which session RPE is validated: Day et al. 2004,
#                    Sweet et al. 2004);
#   catch_all      : where sessions whose type and name say nothing land (unlabelled_sessions).
CATEGORY_ROLES: dict[str, dict[str, bool]] = {
    "run": {"running": True, "heart_rate_load": True},
    "strength": {"support_share": True, "support_work": True},
    "pilates": {"support_share": True, "support_work": True},
    "mobility": {"support_share": True},
    "cross": {"heart_rate_load": True},
    "other": {"catch_all": True},
}
ROLES = ("support_share", "support_work", "running", "heart_rate_load", "catch_all")

# Heart-rate load (Banister 1991 TRIMP) and fitness/fatigue constants. An athlete's own settings
# (`crosstrain athletes set NAME --hr-max N --hr-rest N --sex f|m`, stored on `athletes`) win over these.
DEFAULT_LOAD: dict[str, float] = {
    "hr_rest": 60.0,  # resting HR when the athlete has none set
    "hr_max": 190.0,  # HRmax when the athlete has none set and no plausible recorded max_hr
    # Banister's weighting k x e^(b x HRr) when the athlete's sex is unknown (his men's constants);
    # athletes with sex set use Banister's men's (0.64, 1.92) or women's (0.86, 1.67) constants.
    "trimp_k": 0.64,
    "trimp_b": 1.92,
    # TRIMP per minute x 2.5 is close to the CR-10 RPE of the same effort (HRr 0.5 -> 2.1, 0.75 -> 5.1,
    # 0.9 -> 8.1), so sRPE, TRIMP and default-intensity loads add up in one unit (crosstrain's scaling).
    "trimp_scale": 2.5,
    # Estimated HRmax (athlete_history.sql): recorded max_hr readings above this are device glitches
    # (220 bpm is above the usual age-predicted maxima; crosstrain's convention) ...
    "hr_max_ceiling": 220.0,
    # ... and the single highest reading counts only when another session came within this many bpm of
    # it: one glitch never sets HRmax for the whole history (crosstrain's convention).
    "hr_max_confirm_bpm": 10.0,
    # A session without RPE or usable heart rate scores at the athlete's own median load per minute of
    # their earlier sessions of the same kind once this many were scored by RPE or heart rate (0: never;
    # crosstrain's convention: ten is enough for a median not to hang on one odd session).
    "own_median_sessions": 10.0,
    # ... and the median is over their last this many such sessions (recent habits; crosstrain's convention)
    "own_median_last": 20.0,
    # Fitness and fatigue: the performance-management chart (Coggan) on Banister's 1991 model, EWMA
    # of daily load with time constants N = 42 and 7 days: alpha = 1 - e^(-1/N).
    "fitness_days": 42.0,
    "fatigue_days": 7.0,
    # EWMA ACWR (Williams et al. 2017, `acwr_model = "ewma"`): acute and chronic EWMAs of daily load
    # with alpha = 2 / (N + 1), N = 7 and 28 days.
    "acwr_acute_days": 7.0,
    "acwr_chronic_days": 28.0,
}

# Banister's TRIMP constants (k, b) by the athlete's sex (Banister 1991; Morton et al. 1990).
TRIMP_BY_SEX: dict[str, tuple[float, float]] = {"m": (0.64, 1.92), "f": (0.86, 1.67)}

# How the acute:chronic workload ratio is computed: "rolling" (7-day load / (28-day load / 4), Gabbett
# 2016) or "ewma" (acute EWMA / chronic EWMA, Williams et al. 2017). Top-level `acwr_model` setting.
ACWR_MODELS = ("rolling", "ewma")

# Warning thresholds, each with what its source found or that it is crosstrain's convention.
DEFAULT_THRESHOLDS: dict[str, float] = {
    # Support work (strength, Pilates). Resistance training cut sports injuries to about a third in
    # Lauersen et al. 2014's meta-analysis (RR 0.32); no study fixes a gap or a share, so these
    # numbers are crosstrain's convention.
    "support_gap_days": 14,  # no strength or Pilates for this many days while running: warn
    "support_gap_high_days": 28,  # ... and this many (or never): high
    "support_share_low": 0.10,  # support minutes / all minutes over 28 days below this: warn (target)
    # The support warnings are for runners (crosstrain's convention): at least this many runs in the
    # 28 days and running at least this share of all training minutes. A cyclist who runs twice a month
    # gets neither.
    "runner_min_runs": 4,
    "runner_min_share": 0.25,
    # Foster 1998 linked illness to high, monotonous load (strain); 2.0 is the monotony commonly quoted
    # from his work as high, the 1.5 warn level is crosstrain's convention.
    "monotony_warn": 1.5,
    "monotony_high": 2.0,
    # ACWR: Gabbett 2016 describes 0.8-1.3 as the "sweet spot" and >= 1.5 as the "danger zone" of
    # higher injury likelihood. A flag, not a verdict.
    "acwr_high": 1.5,  # spike above this: warn
    "acwr_very_high": 2.0,  # high severity above this: crosstrain's convention, not in Gabbett 2016
    "acwr_low": 0.8,  # below this: info (below Gabbett's sweet spot)
    "acwr_min_history_days": 28,  # no ACWR flags before the 28-day chronic window holds this much history
    # ACWR floor (crosstrain's convention): no ACWR flag unless the chronic window holds at least this
    # many days with sessions: a ratio against a near-empty 28 days (the first jog after two months off)
    # measures the break, not a spike.
    "acwr_min_active_days": 8,
    # A session after at least this many days without any marks the first week back after a break
    # (info: build up gradually; crosstrain's convention).
    "break_days": 14,
    # Running progression, week on week as Nielsen et al. 2014 measured it: novice runners who added
    # more than 30% a week had more distance-related injuries (HR 1.59, 95% CI 0.96-2.66; no significant
    # difference between the groups overall). Not a 10% rule.
    "run_jump_week": 0.30,
    "run_jump_min_km": 3.0,  # ignore jumps smaller than this many km (2 km -> 3 km is not a jump)
    # Run variety: heuristics of crosstrain's (not from a study): at least this many runs in 28 days ...
    "variety_min_runs": 4,
    "variety_cv_distance": 0.20,  # ... coefficient of variation of run distance below this ...
    "variety_cv_pace": 0.06,  # ... and of pace below this: all runs alike
    "variety_pace_outlier": 0.08,  # a run this much faster than the 28-day mean pace is a quality run
    "risk_red_warns": 3,  # this many warn-level warnings make the risk red (crosstrain's convention)
    # No activity in this many days (as_of included) makes an athlete inactive (crosstrain's convention).
    "inactive_days": 14,
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
    acwr_model: str = "rolling"

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


def resolve(settings: dict[str, Any] | Params) -> Params:
    """The documented defaults overlaid with `settings` (the parsed settings file, `{}` for none).

    Callers resolve the settings file once and pass it in: nothing here reads a file."""
    if isinstance(settings, Params):
        return settings
    if not isinstance(settings, dict):
        raise TypeError("settings: pass the parsed settings file (a dict; {} for the defaults)")
    intensity = _merged(DEFAULT_INTENSITY, settings.get("intensity", {}), "intensity")
    load = _merged(DEFAULT_LOAD, settings.get("load", {}), "load")
    for key in ("fitness_days", "fatigue_days"):
        if load[key] < 1:
            raise ConfigError(f"[load]: '{key}' must be at least 1")
    thresholds = _merged(DEFAULT_THRESHOLDS, settings.get("thresholds", {}), "thresholds")
    words = settings.get("run_quality_keywords", list(DEFAULT_RUN_KEYWORDS))
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ConfigError("run_quality_keywords: expected a list of words")
    model = settings.get("acwr_model", "rolling")
    if model not in ACWR_MODELS:
        raise ConfigError(f"acwr_model: expected one of {', '.join(ACWR_MODELS)}, not {model!r}")
    assert set(CATEGORIES) <= set(intensity)
    return Params(intensity, load, thresholds, tuple(w.lower() for w in words), model)
