"""Warning messages (with the numbers behind them) and advice drawn from the evidence.

Advice follows the running-injury literature: hip and gluteal strength work (squats, lunges, step-ups,
Romanian deadlifts) and Pilates for the stabilisers runners neglect; progression around 10% a week
(Nielsen 2014); load spikes flagged by the acute:chronic ratio (Gabbett 2016); varied days (Foster
1998) and varied intensity, including weekly sprints (Seiler 2010); a movement screen or gait analysis
to find the pattern; a physical therapist when it hurts. Training guidance, not a diagnosis.
"""

from __future__ import annotations

from typing import Any

PT = "If something already hurts, see a physical therapist."

ADVICE: dict[str, str] = {
    "no_support_work": (
        "Add two short hip-strength sessions a week (squats, lunges, step-ups, Romanian deadlifts) or a "
        "Pilates class: weak, inhibited glutes are behind many running overuse injuries. " + PT
    ),
    "low_support_share": (
        "Aim for at least 10% of training time as support work: hip strength (squats, lunges, step-ups, "
        "Romanian deadlifts), Pilates for the trunk and hip stabilisers, and mobility. " + PT
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
    "run_volume_jump": (
        "Keep weekly running increases around 10% (Nielsen 2014), and keep the strength and Pilates "
        "sessions while volume rises. A gait analysis is worth it if pain appears. " + PT
    ),
    "monotone_runs": (
        "Every run looks the same: add weekly sprints or strides and a hill session, and vary the "
        "distance. A functional movement screen or gait analysis shows what the repeated pattern hides."
    ),
}


def _runs(n: int) -> str:
    return f"{n} run" if n == 1 else f"{n} runs"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


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
            return (
                f"No strength or Pilates session recorded in {s['support_gap_days']} days of history, "
                f"while running ({_runs(s['runs_14d'])} in the last 14 days)."
            )
        return (
            f"No strength or Pilates session for {s['days_since_support']} days "
            f"(flag at {t['support_gap_days']:.0f}), while running "
            f"({_runs(s['runs_14d'])} in the last 14 days)."
        )
    if code == "low_support_share":
        total = sum(s[f"{c}_minutes"] for c in ("run", "strength", "pilates", "mobility", "cross", "other"))
        return (
            f"Support work (strength, Pilates, mobility) was {_pct(s['support_share'])} of {total:.0f} "
            f"training minutes over 28 days (target at least {_pct(t['support_share_low'])})."
        )
    raise ValueError(code)


def _message(code: str, s: dict[str, Any], t: dict[str, float]) -> str:
    if code == "high_monotony":
        return (
            f"Training monotony {s['monotony']:.2f} over the last 7 days (warn at {t['monotony_warn']}, "
            f"high at {t['monotony_high']}); strain {s['strain']:.0f}."
        )
    if code in ("acwr_spike", "acwr_low"):
        side = f"above {t['acwr_high']}" if code == "acwr_spike" else f"below {t['acwr_low']}"
        return (
            f"Acute:chronic workload ratio {s['acwr']:.2f} ({side}): {s['load_7d']:.0f} load in the last "
            f"7 days against a weekly average of {s['load_28d'] / 4:.0f} over 28 days."
        )
    if code == "run_volume_jump":
        parts = []
        if s["run_km_prev_7d"] > 0:
            change = s["run_km_7d"] / s["run_km_prev_7d"] - 1
            parts.append(f"{change:+.0%} on the 7 days before ({s['run_km_prev_7d']:.1f} km)")
        if s["run_km_prev2_7d"] > 0:
            change = s["run_km_7d"] / s["run_km_prev2_7d"] - 1
            parts.append(f"{change:+.0%} on two weeks earlier ({s['run_km_prev2_7d']:.1f} km)")
        return (
            f"Ran {s['run_km_7d']:.1f} km in the last 7 days: {', '.join(parts)} "
            f"(flags above +{_pct(t['run_jump_week'])} a week, +{_pct(t['run_jump_2weeks'])} over two weeks)."
        )
    if code == "monotone_runs":
        return (
            f"All {s['runs_measured']} runs of the last 28 days are alike: distance varies "
            f"{_pct(s['cv_distance'])} and pace {_pct(s['cv_pace'])} (coefficient of variation), with no "
            "interval, hill, tempo or sprint session."
        )
    raise ValueError(code)
