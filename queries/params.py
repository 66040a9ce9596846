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
#   catch_all      : where sessions whose type and name say nothing land (unlabelled_sessions);
#   whole_session  : its minutes are the whole session (elapsed time) when elapsed time is known, rests
#                    included, not the watch's moving time: session-RPE load is RPE x the duration of the
#                    whole session (Foster et al. 2001), and the rests between sets are part of a
#                    resistance session (ACSM 2009 prescribes them); Garmin's 2025-26 exports give a
#                    strength session a Moving Time of about a third of it. Running and cross-training
#                    keep moving time first (a stop at a traffic light is not training).
#                    queries/sql/session_intensity.sql writes the minutes once; every reader takes them.
CATEGORY_ROLES: dict[str, dict[str, bool]] = {
    "run": {"running": True, "heart_rate_load": True},
    "strength": {"support_share": True, "support_work": True, "whole_session": True},
    "pilates": {"support_share": True, "support_work": True, "whole_session": True},
    "mobility": {"support_share": True, "whole_session": True},
    "cross": {"heart_rate_load": True},
    "other": {"catch_all": True},
}
ROLES = ("support_share", "support_work", "running", "heart_rate_load", "catch_all", "whole_session")

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

# Warning thresholds: each key of the settings' [thresholds] table, its default and its source AS WHAT
# IT FOUND, or "crosstrain's convention". queries/warning_registry.py names the keys each warning reads
# (a test checks that every key a warning names is here with a source).
CONVENTION = "crosstrain's convention"


@dataclass(frozen=True)
class Threshold:
    """One [thresholds] setting: its default and where the number comes from."""

    key: str
    default: float
    source: str


THRESHOLDS: tuple[Threshold, ...] = (
    # Who the support warnings are for.
    Threshold(
        "runner_min_runs",
        4,
        CONVENTION + ": running is a substantial part of the training from this many runs in 28 days ...",
    ),
    Threshold(
        "runner_min_share",
        0.25,
        CONVENTION + ": ... and this share of all training minutes, or runner_min_km",
    ),
    Threshold(
        "runner_min_km",
        60,
        CONVENTION + ": ... or this many km of running in the 28 days (15 km a week, run_jump_base_km: the "
        "weekly volume from which a run volume jump is flagged), so a triathlete's swim, bike and gym "
        "minutes never make a regular runner a non-runner",
    ),
    # Support work (strength, Pilates).
    Threshold(
        "support_gap_days",
        14,
        CONVENTION + " (no study fixes a gap); why support work matters: strength training cut sports "
        "injuries to about a third in Lauersen et al. 2014's meta-analysis of randomised trials (RR 0.32)",
    ),
    Threshold("support_gap_high_days", 28, CONVENTION),
    Threshold(
        "support_share_low",
        0.10,
        CONVENTION + " (no study fixes a share). Mobility and stretching count in the share by our "
        "convention, not on evidence: stretching showed no preventive effect in Lauersen et al. 2014 "
        "(RR 0.96)",
    ),
    Threshold(
        "support_days_week",
        2,
        "WHO 2020 guidelines on physical activity (Bull et al. 2020, Br J Sports Med) and the ACSM position "
        "stand on resistance training (2009): muscle-strengthening activities on 2 or more days a week; an "
        "athlete who does strength or Pilates on this many days a week (8 of 28) gets no low_support_share, "
        "whatever share of the minutes that is (crosstrain's convention: the share is the target for "
        "athletes below it)",
    ),
    # Monotony.
    Threshold(
        "monotony_warn",
        1.5,
        CONVENTION + "; Foster 1998 linked illness to high, monotonous load (strain)",
    ),
    Threshold("monotony_high", 2.0, "the monotony commonly quoted from Foster 1998's work as high"),
    Threshold(
        "monotony_min_load_7d",
        600,
        CONVENTION + ": no monotony warning under this 7-day load (2 hours at RPE 5): Foster 1998's concern "
        "is high load that is also monotonous (strain); a week of daily walks is neither",
    ),
    # ACWR.
    Threshold(
        "acwr_high",
        1.5,
        'Gabbett 2016 describes ratios from 1.5 as the "danger zone" of higher injury likelihood (coupled '
        "ratios); a flag, not a verdict",
    ),
    Threshold("acwr_very_high", 2.0, CONVENTION + " (high severity; not in Gabbett 2016)"),
    Threshold(
        "acwr_min_acute_load",
        600,
        CONVENTION + ": no acwr_spike while the last 7 days hold less load than this, the floor "
        "high_monotony has (monotony_min_load_7d): WHO 2020's minimum for every adult, 150 minutes of "
        "moderate activity a week (Bull et al. 2020), is 450-600 at CR-10 3-4 ('moderate' to 'somewhat "
        "hard', Foster 2001's scale); a rise to about that is what the guidelines ask, and the ratio of "
        "two small loads swings on one walk. Gabbett 2016's ratios come from athletes training hours a "
        "week",
    ),
    Threshold("acwr_low", 0.8, 'below Gabbett 2016\'s "sweet spot" of 0.8-1.3'),
    Threshold("acwr_min_history_days", 28, CONVENTION + ": the chronic window must hold this much history"),
    Threshold(
        "acwr_min_active_days",
        8,
        CONVENTION + ": a ratio against a near-empty 28 days (the first jog after two months off) measures "
        "the break, not a spike",
    ),
    Threshold(
        "acwr_max_gap_days",
        10,
        CONVENTION + ": no ACWR flag while the 28 days hold this many days in a row without a session "
        "(the chronic load is not established); return_after_break speaks instead",
    ),
    Threshold(
        "acwr_thin_week_share",
        0.25,
        CONVENTION + ": a week of the 3 before the last 7 holding less than this share of the 28 days' "
        "mean weekly load is a week with almost no training ...",
    ),
    Threshold(
        "acwr_thin_weeks",
        2,
        CONVENTION + ": ... and no ACWR flag while this many of those 3 weeks are (one empty week before a "
        "ramp back is a real spike)",
    ),
    Threshold(
        "break_days",
        14,
        CONVENTION + ": a session after this many days without any marks the first week back",
    ),
    # Running progression.
    Threshold(
        "run_jump_week",
        0.30,
        "Nielsen et al. 2014: novice runners who progressed by more than 30% a week had more "
        "distance-related injuries (HR 1.59, 95% CI 0.96-2.66; no significant difference between the "
        "progression groups overall). Not a 10% rule",
    ),
    Threshold("run_jump_min_km", 3.0, CONVENTION + ": a jump of fewer km than this is not flagged"),
    Threshold(
        "run_jump_level_weeks",
        13,
        CONVENTION + ": a jump must also exceed the athlete's usual level, the second-largest run week "
        "of this many weeks before the last 7 (one big week cannot set it), since the last layoff "
        "(run_jump_layoff_days): a return to the usual level after a light month or two is no jump. 13 "
        "weeks (a quarter) since evaluation 10 of docs/warnings_on_real_data.md: levels held 10-13 weeks "
        "before were the false jumps of three sets; on all seven sets 5 false warnings fewer, no "
        "judged-true one lost (8 weeks before, the window evaluation 6 measured)",
    ),
    Threshold(
        "run_jump_layoff_days",
        28,
        CONVENTION + ": a run-free gap of this many days between two runs is a layoff, which resets the "
        "usual level (the ramp back after it is judged against the weeks since); a shorter gap keeps it. "
        "Mujika & Padilla 2000 call under 4 weeks without training short-term detraining and longer "
        "long-term; that a 2-3 week gap leaves the runner's level the reference is crosstrain's reading, "
        "measured on five real sets (evaluation 8 of docs/warnings_on_real_data.md: 3 false warnings "
        "removed, no judged-true one lost)",
    ),
    Threshold(
        "run_jump_base_km",
        15.0,
        CONVENTION + ": no jump is flagged while the last 7 days hold fewer km than this (one to three "
        "short runs a week: one run more is a large percentage). The jump is measured against the largest "
        "of the 3 weeks before the last 7 (new territory), also crosstrain's convention",
    ),
    # Run variety.
    Threshold("variety_min_runs", 4, CONVENTION + " (heuristic): at least this many runs in 28 days ..."),
    Threshold(
        "variety_cv_distance", 0.20, CONVENTION + ": ... coefficient of variation of distance below this ..."
    ),
    Threshold("variety_cv_pace", 0.06, CONVENTION + ": ... and of pace below this: all runs alike"),
    Threshold(
        "variety_pace_outlier",
        0.08,
        CONVENTION + ": a run this much faster than the mean pace is a quality run",
    ),
    # Intensity of runs, from sessions with an RPE or heart rate.
    Threshold(
        "hard_run_intensity",
        5.0,
        CONVENTION + ': a run is hard (not easy) from this load per minute, i.e. session RPE 5 ("hard" on '
        "the CR-10 scale) or the heart-rate equivalent (crosstrain's TRIMP scaling gives 5 at HRr 0.75, "
        "about 83% of HRmax with HRrest 60 and HRmax 190: the lower bound of zone 3, above the first "
        "ventilatory threshold, in Seiler 2010's table)",
    ),
    Threshold(
        "hard_runs_min_rated",
        6,
        CONVENTION + ": hard_every_run needs this many runs with RPE or HR in 28 days ...",
    ),
    Threshold(
        "hard_runs_share",
        0.6,
        CONVENTION + ": ... and this share of them hard. Seiler & Kjerland 2006 found well-trained junior "
        "cross-country skiers did about 75% of their sessions below the first ventilatory threshold",
    ),
    Threshold(
        "easy_runs_min_rated",
        3,
        CONVENTION + ": easy_runs_hard needs this many runs named easy with RPE or HR ...",
    ),
    Threshold(
        "easy_runs_hard_share",
        0.5,
        CONVENTION + ": ... and this share of them not easy. Esteve-Lanao et al. 2007: sub-elite runners "
        "whose training was 80/12/8% low/moderate/high improved more over 5 months than those at 67/25/8%",
    ),
    # Heart-rate zones.
    Threshold(
        "moderate_share",
        0.5,
        CONVENTION + ": moderate_intensity when at least this share of 28 days' heart-rate time of runs "
        "and cross-training is in the moderate zone ...",
    ),
    Threshold(
        "moderate_min_minutes", 120.0, CONVENTION + ": ... over at least this many minutes with heart rate"
    ),
    # Risk and activity.
    Threshold("risk_red_warns", 3, CONVENTION + ": this many warn-level warnings make the risk red"),
    Threshold("inactive_days", 14, CONVENTION + ": no activity in this many days (as_of included): inactive"),
)
DEFAULT_THRESHOLDS: dict[str, float] = {t.key: t.default for t in THRESHOLDS}

# Words in a run's name that say it was meant easy (easy_runs_hard), in the import languages.
DEFAULT_EASY_KEYWORDS = (
    "easy",
    "recovery",
    "zone 2",
    "z2",
    "leicht",
    "locker",
    "fácil",
    "facile",
    "suave",
    "rustig",
    "regenera",
    "lett",
    "lugn",
)

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
    easy_keywords: tuple[str, ...] = DEFAULT_EASY_KEYWORDS

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
    words = _words(settings, "run_quality_keywords", DEFAULT_RUN_KEYWORDS)
    easy = _words(settings, "easy_run_keywords", DEFAULT_EASY_KEYWORDS)
    model = settings.get("acwr_model", "rolling")
    if model not in ACWR_MODELS:
        raise ConfigError(f"acwr_model: expected one of {', '.join(ACWR_MODELS)}, not {model!r}")
    assert set(CATEGORIES) <= set(intensity)
    return Params(intensity, load, thresholds, words, model, easy)


def _words(settings: dict[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    words = settings.get(key, list(default))
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ConfigError(f"{key}: expected a list of words")
    return tuple(w.lower() for w in words)
