"""Warning messages: the numbers behind each warning, in words, from a summary row and the thresholds.

One function per code; queries/warning_registry.py pairs each with its condition, advice and source.
A message states what was measured and the rule it was held against, never a diagnosis, and never
fails on a missing number ("n/a").
"""

from __future__ import annotations

import math
from typing import Any

Row = dict[str, Any]
Thresholds = dict[str, float]

PT = "If something already hurts, see a physical therapist."
LABEL_HOW = (
    "label them with `crosstrain activities set ID --category C --same-name` (every session of that name "
    "and type, now and in later imports), or add the words of their names to `[category_keywords]` in the "
    "settings file and run `crosstrain activities recategorise`"
)
# Hip and glute sets to aim for in 28 days: two sessions a week of two hip exercises x 3 sets.
# crosstrain's convention. The hip programmes of Fredericson 2000 and Willy & Davis 2011 used similar
# doses, but in rehabilitation of injured runners (Willy & Davis found running mechanics unchanged):
# they are not evidence that this dose prevents injury.
HIP_SETS_TARGET = 48


def _runs(n: int) -> str:
    return f"{n} run" if n == 1 else f"{n} runs"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _fmt(value: Any, spec: str) -> str:
    """`value` formatted, or "n/a" when missing or not finite (a message never crashes on a None)."""
    if value is None or not math.isfinite(float(value)):
        return "n/a"
    return format(float(value), spec)


def _pct(x: Any) -> str:
    return _fmt(None if x is None else 100 * float(x), ".0f") + "%"


def _pct_down(x: Any) -> str:
    """A share in per cent to one decimal, rounded down: 9.98% never prints as a met 10%."""
    return _fmt(None if x is None else math.floor(1000 * float(x)) / 10, ".1f") + "%"


def hip_note(s: Row) -> str:
    """' N hip and glute sets in 28 days; aim for ...' when the watch recorded strength sets, else ''."""
    if s.get("hip_sets") is None:
        return ""
    return (
        f" {s['hip_sets']} hip and glute sets in 28 days; about {HIP_SETS_TARGET} is crosstrain's "
        "suggestion (a convention, not a tested dose)."
    )


def no_support_work(s: Row, t: Thresholds) -> str:
    if s.get("days_since_support") is None:
        text = (
            f"No strength or Pilates session recorded in {s.get('support_gap_days')} days of history, "
            f"while running ({_runs(s.get('runs_14d') or 0)} in the last 14 days)."
        )
    else:
        text = (
            f"No strength or Pilates session for {s['days_since_support']} days "
            f"(flag at {t['support_gap_days']:.0f}), while running "
            f"({_runs(s.get('runs_14d') or 0)} in the last 14 days)."
        )
    return text + hip_note(s)


def low_support_share(s: Row, t: Thresholds) -> str:
    return (
        f"Support work (strength, Pilates, mobility) was {_pct_down(s.get('support_share'))} of "
        f"{_fmt(s.get('minutes_28d'), '.0f')} training minutes over 28 days (target at least "
        f"{_pct(t['support_share_low'])}, crosstrain's convention; mobility counts by that convention "
        "too)." + hip_note(s)
    )


def unlabelled_sessions(s: Row, t: Thresholds) -> str:
    n = int(s.get("unlabelled_sessions") or 0)
    names = s.get("unlabelled_names") or []
    listed = (
        ": " + ", ".join(f'"{name}" x{count}' if count > 1 else f'"{name}"' for name, count in names)
        if names
        else ""
    )
    return (
        f"{_plural(n, 'session')} of the last 28 days {'has' if n == 1 else 'have'} a type and name that "
        f"say nothing about what was done{listed}. If they were strength or Pilates, support work is "
        "missing from the numbers; until they are labelled, crosstrain does not warn about missing support "
        "work (we don't know)."
    )


def high_monotony(s: Row, t: Thresholds) -> str:
    return (
        f"Training monotony {_fmt(s.get('monotony'), '.2f')} over the last 7 days (warn at "
        f"{t['monotony_warn']}, high at {t['monotony_high']}); strain {_fmt(s.get('strain'), '.0f')}."
    )


def _acwr(s: Row, side: str) -> str:
    load_28d = s.get("load_28d")
    return (
        f"Acute:chronic workload ratio {_fmt(s.get('acwr'), '.2f')} ({side}): "
        f"{_fmt(s.get('load_7d'), '.0f')} load in the last 7 days against a weekly average of "
        f"{_fmt(None if load_28d is None else load_28d / 4, '.0f')} over 28 days "
        f"({s.get('active_days_28d')} days with sessions, an established load)."
    )


def acwr_spike(s: Row, t: Thresholds) -> str:
    return _acwr(s, f"above {t['acwr_high']}")


def acwr_low(s: Row, t: Thresholds) -> str:
    return _acwr(s, f"below {t['acwr_low']}")


def return_after_break(s: Row, t: Thresholds) -> str:
    parts = []
    if s.get("break_days") is not None and s["break_days"] >= t["break_days"]:
        parts.append(f"First week back after {s['break_days']} days without training.")
    gap = s.get("chronic_gap_days")
    if gap is not None and gap >= t["acwr_max_gap_days"]:
        parts.append(f"The last 28 days hold {gap} days in a row without a session.")
    if (s.get("thin_weeks") or 0) >= t["acwr_thin_weeks"]:
        parts.append(
            f"{_plural(int(s['thin_weeks']), 'week')} of the 3 before the last 7 held almost no training "
            f"(under {_pct(t['acwr_thin_week_share'])} of the usual weekly load)."
        )
    if not parts:
        parts.append("Back after a break.")
    first_week = s.get("break_days") is not None and s["break_days"] >= t["break_days"]
    return " ".join(parts) + (
        " The 28-day load is not an established base yet, so the acute:chronic ratio is not flagged: it "
        "would measure the break."
        + (
            " Nor is a run volume jump in this first week back."
            if first_week
            else " A run volume jump is still flagged from the second week back: a ramp back is the risk."
        )
    )


def _jump(now: Any, top: Any, t: Thresholds) -> bool:
    return (
        now is not None
        and top is not None
        and now >= t["run_jump_base_km"]
        and now > top * (1 + t["run_jump_week"])
        and now - top >= t["run_jump_min_km"]
    )


def jump_reference(top: Any, level: Any) -> Any:
    """What a week's run km is judged against: the largest of the weeks before, or the usual level when
    that is higher (warnings.sql's greatest(run_km_max_prev_7d, run_km_level_7d))."""
    return top if level is None or (top is not None and top >= level) else level


def run_volume_jump(s: Row, t: Thresholds) -> str:
    now, usual = s.get("run_km_7d"), s.get("run_km_usual_7d")
    top, level = s.get("run_km_max_prev_7d"), s.get("run_km_level_7d")
    before, top_before = s.get("run_km_week_before"), s.get("run_km_max_before_7d")
    level_before = s.get("run_km_level_before_7d")
    weeks = f"{t['run_jump_level_weeks']:.0f}"
    ref, ref_before = jump_reference(top, level), jump_reference(top_before, level_before)
    parts = []
    if _jump(now, ref, t) or not _jump(before, ref_before, t):
        if ref and ref != top:
            against = (
                f"{_fmt(100 * (now / ref - 1), '+.0f')}% on the usual level of the {weeks} weeks before "
                f"({_fmt(ref, '.1f')} km, their second-largest week; the 3 weeks' mean"
            )
        elif ref:
            against = (
                f"{_fmt(100 * (now / ref - 1), '+.0f')}% on the largest of the 3 weeks before "
                f"({_fmt(ref, '.1f')} km; their mean"
            )
        else:
            against = "after no running in the 3 weeks before (0.0 km; their mean"
        parts.append(f"Ran {_fmt(now, '.1f')} km in the last 7 days, {against} {_fmt(usual, '.1f')} km).")
    if _jump(before, ref_before, t) and ref_before:
        what = (
            f"the usual level of the {weeks} weeks before them ({_fmt(ref_before, '.1f')} km, their "
            "second-largest week)"
            if ref_before != top_before
            else f"the larger of the 2 weeks before them ({_fmt(ref_before, '.1f')} km)"
        )
        parts.append(
            f"Ran {_fmt(before, '.1f')} km in the 7 days before, "
            f"{_fmt(100 * (before / ref_before - 1), '+.0f')}% on {what}."
        )
    return " ".join(parts) + (
        f" Flag above +{_pct(t['run_jump_week'])} and {t['run_jump_min_km']:.0f} km more, from "
        f"{t['run_jump_base_km']:.0f} km a week; a return to the usual level (the second-largest week of "
        f"the {weeks} before, since the last layoff of {t['run_jump_layoff_days']:.0f}+ days without a run) "
        "is no jump. Nielsen et al. 2014 saw more "
        f"distance-related injuries in novice runners who progressed by over {_pct(t['run_jump_week'])} a "
        "week (HR 1.59, 95% CI 0.96-2.66; not significant overall)."
    )


def monotone_runs(s: Row, t: Thresholds) -> str:
    return (
        f"All {s.get('runs_measured')} runs of the last 28 days are alike: distance varies "
        f"{_pct(s.get('cv_distance'))} and pace {_pct(s.get('cv_pace'))} (coefficient of variation), with "
        "no interval, hill, tempo or sprint session (crosstrain's heuristic)."
    )


def hard_every_run(s: Row, t: Thresholds) -> str:
    rated, hard = int(s.get("runs_rated") or 0), int(s.get("hard_runs") or 0)
    return (
        f"{hard} of the {_plural(rated, 'run')} with an RPE or heart rate in the last 28 days were at "
        f"moderate or hard intensity (session RPE {t['hard_run_intensity']:.0f}+ or its heart-rate "
        "equivalent): few easy runs."
    )


def easy_runs_hard(s: Row, t: Thresholds) -> str:
    rated, hard = int(s.get("easy_runs_rated") or 0), int(s.get("easy_runs_hard") or 0)
    return (
        f"{hard} of the {_plural(rated, 'run')} named easy or recovery in the last 28 days (with an RPE or "
        f"heart rate) were not easy: session RPE {t['hard_run_intensity']:.0f}+ or its heart-rate "
        "equivalent."
    )


def moderate_intensity(s: Row, t: Thresholds) -> str:
    low, mod, high = (float(s.get(k) or 0) for k in ("hr_low_min", "hr_moderate_min", "hr_high_min"))
    total = low + mod + high
    share = (lambda x: _pct(x / total)) if total else (lambda x: "n/a")
    return (
        f"{share(mod)} of {total:.0f} minutes with heart rate over 28 days were in the moderate zone "
        f"(82-88% of HRmax, Seiler 2010's zone 3; flag at {_pct(t['moderate_share'])}), {share(low)} low, "
        f"{share(high)} high."
    )


def back_to_back_hard(s: Row, t: Thresholds) -> str:
    return "Hard sessions on consecutive days: follow a hard day with an easy one."


def unknown(s: Row, t: Thresholds) -> str:
    return "A warning crosstrain has no text for."
