"""Warning messages (with the numbers behind them) and advice that keeps to the evidence.

What the evidence supports, and no more: strength training cut sports injuries to about a third in
Lauersen et al. 2014's meta-analysis of randomised trials (RR 0.32); novice runners who added more than
30% a week had more distance-related injuries in Nielsen et al. 2014 (HR 1.59, 95% CI 0.96-2.66, not
significant overall); Gabbett 2016 saw injury likelihood rise with acute:chronic ratios from 1.5; Foster
1998 linked illness to high, monotonous load. Everything else here (support-work gaps and shares, run
variety) is crosstrain's convention and says so. Training guidance, never a diagnosis.
"""

from __future__ import annotations

import math
from typing import Any

PT = "If something already hurts, see a physical therapist."
LABEL_HOW = (
    "label them with `crosstrain activities set ID --category C`, or add the words of their names to "
    "`[category_keywords]` in the settings file and run `crosstrain activities recategorise`"
)

ADVICE: dict[str, str] = {
    "no_support_work": (
        "Add two short strength sessions a week for the hips and legs (squats, lunges, step-ups, Romanian "
        "deadlifts) or a Pilates class: in a meta-analysis of randomised trials, strength training cut "
        "sports injuries to about a third (Lauersen et al. 2014). " + PT
    ),
    "low_support_share": (
        "Give support work a regular place in the week: strength for the hips and legs (squats, lunges, "
        "step-ups, Romanian deadlifts), Pilates for the trunk and hips, and some mobility. The target "
        "share is crosstrain's convention; the benefit of strength work is not (Lauersen et al. 2014). " + PT
    ),
    "high_monotony": (
        "Vary the days: alternate hard and easy, keep a rest day, and swap one easy run for Pilates, "
        "strength work or cross-training."
    ),
    "acwr_spike": (
        "This week's load is well above what you are used to: hold it steady for a week before adding "
        "more. A flag, not a verdict. " + PT
    ),
    "acwr_low": "Fine for a planned recovery week; otherwise build back up gradually.",
    "return_after_break": (
        "Welcome back: build up gradually over the next weeks rather than returning straight to your "
        "old volume, and keep the strength and Pilates sessions in."
    ),
    "run_volume_jump": (
        "Hold this week's running volume for a while before adding more, and keep the strength and "
        "Pilates sessions while volume rises. A gait analysis is worth it if pain appears. " + PT
    ),
    "monotone_runs": (
        "Every run looks the same: add weekly sprints or strides and a hill session, and vary the "
        "distance. A functional movement screen or gait analysis shows what the repeated pattern hides."
    ),
    "unlabelled_sessions": "Label them so that support work counts: " + LABEL_HOW + ".",
}


def _runs(n: int) -> str:
    return f"{n} run" if n == 1 else f"{n} runs"


def _pct(x: Any) -> str:
    return _fmt(None if x is None else 100 * float(x), ".0f") + "%"


def _fmt(value: Any, spec: str) -> str:
    """`value` formatted, or "n/a" when missing or not finite (a message never crashes on a None)."""
    if value is None or not math.isfinite(float(value)):
        return "n/a"
    return format(float(value), spec)


def _unlabelled(s: dict[str, Any]) -> str:
    n = s["unlabelled_sessions"]
    if not n:
        return ""
    return (
        f" {n} session{'s' if n != 1 else ''} of the last 28 days "
        f"{'are' if n != 1 else 'is'} unlabelled (type Workout, Other or Training): if they were "
        "strength or Pilates, label them to count them."
    )


# Hip and glute sets to aim for in 28 days: two sessions a week of two hip exercises x 3 sets, the
# dose of the hip-strengthening programmes for runners (2-3 sessions a week, 3 sets each: Fredericson
# 2000; Willy & Davis 2011) at its low end. crosstrain's convention.
HIP_SETS_TARGET = 48


def hip_note(s: dict[str, Any]) -> str:
    """' N hip and glute sets in 28 days; aim for ...' when the watch recorded strength sets, else ''."""
    if s.get("hip_sets") is None:
        return ""
    return f" {s['hip_sets']} hip and glute sets in 28 days; aim for about {HIP_SETS_TARGET}."


def message(code: str, s: dict[str, Any], t: dict[str, float]) -> str:
    """The warning's message, from the summary row `s` and thresholds `t`."""
    if code in ("no_support_work", "low_support_share"):
        return _support_message(code, s, t) + hip_note(s)
    return _message(code, s, t)


def _support_message(code: str, s: dict[str, Any], t: dict[str, float]) -> str:
    if code == "no_support_work":
        if s["days_since_support"] is None:
            text = (
                f"No strength or Pilates session recorded in {s['support_gap_days']} days of history, "
                f"while running ({_runs(s['runs_14d'])} in the last 14 days)."
            )
        else:
            text = (
                f"No strength or Pilates session for {s['days_since_support']} days "
                f"(flag at {t['support_gap_days']:.0f}), while running "
                f"({_runs(s['runs_14d'])} in the last 14 days)."
            )
        return text + _unlabelled(s)
    if code == "low_support_share":
        return (
            f"Support work (strength, Pilates, mobility) was {_pct(s['support_share'])} of "
            f"{_fmt(s['minutes_28d'], '.0f')} training minutes over 28 days (target at least "
            f"{_pct(t['support_share_low'])}, crosstrain's convention)." + _unlabelled(s)
        )
    raise ValueError(code)


def _message(code: str, s: dict[str, Any], t: dict[str, float]) -> str:
    if code == "high_monotony":
        return (
            f"Training monotony {_fmt(s['monotony'], '.2f')} over the last 7 days (warn at "
            f"{t['monotony_warn']}, high at {t['monotony_high']}); strain {_fmt(s['strain'], '.0f')}."
        )
    if code in ("acwr_spike", "acwr_low"):
        side = f"above {t['acwr_high']}" if code == "acwr_spike" else f"below {t['acwr_low']}"
        return (
            f"Acute:chronic workload ratio {_fmt(s['acwr'], '.2f')} ({side}): {_fmt(s['load_7d'], '.0f')} "
            f"load in the last 7 days against a weekly average of {_fmt(s['load_28d'] / 4, '.0f')} over "
            f"28 days ({s['active_days_28d']} days with sessions)."
        )
    if code == "return_after_break":
        days = s["active_days_28d"]
        thin = days < t["acwr_min_active_days"]
        return f"First week back after {s['break_days']} days without training." + (
            f" With {days} day{'' if days == 1 else 's'} of training in the last 28, the acute:chronic "
            "ratio has too little to compare against, so no spike is flagged."
            if thin
            else ""
        )
    if code == "run_volume_jump":
        weeks = [(s["run_km_7d"], s["run_km_prev_7d"], "the last 7 days")]
        weeks.append((s["run_km_prev_7d"], s["run_km_prev2_7d"], "the 7 days before"))
        parts = [
            f"{_fmt(now, '.1f')} km in {label}, {_fmt(100 * (now / before - 1), '+.0f')}% on the week before "
            f"({_fmt(before, '.1f')} km)"
            for now, before, label in weeks
            if before > 0 and now > before * (1 + t["run_jump_week"]) and now - before >= t["run_jump_min_km"]
        ]
        return (
            f"Ran {'; '.join(parts)}. Nielsen et al. 2014 saw more distance-related injuries in novice "
            f"runners who added over {_pct(t['run_jump_week'])} in a week (not significant overall)."
        )
    if code == "monotone_runs":
        return (
            f"All {s['runs_measured']} runs of the last 28 days are alike: distance varies "
            f"{_pct(s['cv_distance'])} and pace {_pct(s['cv_pace'])} (coefficient of variation), with no "
            "interval, hill, tempo or sprint session (crosstrain's heuristic)."
        )
    if code == "unlabelled_sessions":
        n = s["unlabelled_sessions"]
        return (
            f"{n} session{'s' if n != 1 else ''} of the last 28 days "
            f"{'have' if n != 1 else 'has'} a type that says nothing (Workout, Other, Training) and a name "
            "that matches no keyword, so they count as `other`, not as support work."
        )
    raise ValueError(code)
