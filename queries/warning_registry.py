"""Every warning crosstrain raises, one entry per code: the one place a warning is defined.

An entry holds the code, its words for pages, its condition (the branch of queries/sql/warnings.sql that
opens with `-- warning: <code>`, or the SQL file that finds it), the severity rule, the [thresholds] keys
it reads (queries/params.py THRESHOLDS gives each its default and source), its message (queries/advice.py),
its advice, its source as what the source found (or crosstrain's convention), its sort order (its place
in REGISTRY) and how it reads a plan: the days of planned sessions behind a finding, whether only runs
count, and the suggestion that addresses it (queries/plan_rules.py).

`report`, `compare`, the dashboard, `plan check` and `plan suggest` read it through `get(code)`, which
never raises: a code the registry does not know gets a plain entry (a test checks there is none).
Adding a warning is one entry here, its branch in warnings.sql, its test and its README line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from queries import advice, plan_rules
from queries.engine import sql

SEVERITIES = ("info", "warn", "high")
SEVERITY_RANK = {"info": 1, "warn": 2, "high": 3}
NOT_A_DIAGNOSIS = "Training guidance, not a diagnosis."
GOOD_PRACTICE = "(good practice, not tested as injury prevention)"


@dataclass(frozen=True)
class PlanBehaviour:
    """How `plan check` and `plan suggest` read a warning over planned sessions."""

    window_days: int  # the days of planned sessions shown behind a finding (up to its day)
    runs_only: bool  # only runs are behind it
    suggest: Callable[[plan_rules.Context], plan_rules.Change | None] | None  # the change that addresses it
    size: str | None = None  # the summary column that says how far it stands (bigger is worse)


@dataclass(frozen=True)
class WarningKind:
    """One warning code and everything crosstrain says and does about it."""

    code: str
    title: str  # words for pages (never the code)
    severity: str  # the severity rule, in words
    thresholds: tuple[str, ...]  # [thresholds] keys its condition and message read
    message: Callable[[dict[str, Any], dict[str, float]], str]
    advice: str
    source: str  # what the source found, or crosstrain's convention
    plan: PlanBehaviour
    sql_file: str = "warnings"  # where its condition is

    @property
    def condition(self) -> str:
        """The SQL that raises it: its branch of warnings.sql (a `case` giving its severity, `as <code>`),
        or its whole file."""
        if self.sql_file != "warnings":
            return sql(self.sql_file)
        return branches().get(self.code, "")

    @property
    def order(self) -> int:
        return ORDER.get(self.code, len(ORDER))


@cache
def branches() -> dict[str, str]:
    """warnings.sql's branches by code: the text from each `-- warning: <code>` line to the next (the
    last to the `-- end of the warnings` line): the `case` column named after the code, holding its
    severity where the athlete raises it."""
    text = sql("warnings").split("-- end of the warnings")[0]
    parts = re.split(r"^\s*-- warning: (\w+)\s*$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts), 2)}


PT = advice.PT
REGISTRY: tuple[WarningKind, ...] = (
    WarningKind(
        code="no_support_work",
        title="no strength work",
        severity="warn; high from support_gap_high_days days (or never)",
        thresholds=(
            "runner_min_runs",
            "runner_min_share",
            "runner_min_km",
            "support_gap_days",
            "support_gap_high_days",
        ),
        message=advice.no_support_work,
        advice=(
            "Add two short strength sessions a week for the hips and legs (squats, lunges, step-ups, "
            "Romanian deadlifts): in a meta-analysis of randomised trials, strength training cut sports "
            "injuries to about a third (Lauersen et al. 2014, RR 0.32). A Pilates class is an option "
            f"{GOOD_PRACTICE}. " + PT
        ),
        source=(
            "Lauersen et al. 2014 (meta-analysis of randomised trials): strength training cut sports "
            "injuries to about a third (RR 0.32). The 14 and 28-day gaps are crosstrain's convention."
        ),
        plan=PlanBehaviour(14, True, plan_rules.add_strength, "support_gap_days"),
    ),
    WarningKind(
        code="low_support_share",
        title="little support work",
        severity="warn",
        thresholds=(
            "runner_min_runs",
            "runner_min_share",
            "runner_min_km",
            "support_share_low",
            "support_days_week",
        ),
        message=advice.low_support_share,
        advice=(
            "Give strength work for the hips and legs (squats, lunges, step-ups, Romanian deadlifts) a "
            "regular place in the week; its benefit is what Lauersen et al. 2014 found. Pilates and "
            f"mobility work are options {GOOD_PRACTICE}: stretching showed no preventive effect "
            "(Lauersen et al. 2014, RR 0.96). " + PT
        ),
        source=(
            "crosstrain's convention (the 10% target and counting mobility in the share); the benefit of "
            "strength work is Lauersen et al. 2014's (RR 0.32), and of stretching none was found (RR 0.96). "
            "Not raised for strength or Pilates on 2+ days a week: WHO 2020 (Bull et al.) and ACSM 2009."
        ),
        plan=PlanBehaviour(28, False, plan_rules.add_support),
    ),
    WarningKind(
        code="run_volume_jump",
        title="running volume jump",
        severity="warn",
        thresholds=(
            "runner_min_runs",
            "runner_min_share",
            "runner_min_km",
            "run_jump_week",
            "run_jump_min_km",
            "run_jump_base_km",
            "run_jump_level_weeks",
            "run_jump_layoff_days",
            "break_days",
        ),
        message=advice.run_volume_jump,
        advice=(
            "Hold this week's running volume for a while before adding more, and keep the strength sessions "
            "while volume rises. " + PT
        ),
        source=(
            "Nielsen et al. 2014 (novice runners, progression week on week): above +30% a week, more "
            "distance-related injuries (HR 1.59, 95% CI 0.96-2.66; no significant difference between the "
            "groups overall). Measuring against the largest of the 3 weeks before and the usual level (the "
            "second-largest week of the 13 before, since the last layoff: a run-free gap of 28+ days, after "
            "Mujika & Padilla 2000's 4 weeks of short-term detraining), the 15 km base and silence in the "
            "first week back are crosstrain's convention."
        ),
        plan=PlanBehaviour(7, True, plan_rules.shorten_runs, "run_km_7d"),
    ),
    WarningKind(
        code="acwr_spike",
        title="load spike",
        severity="warn; high above acwr_very_high",
        thresholds=(
            "acwr_high",
            "acwr_very_high",
            "acwr_min_acute_load",
            "acwr_min_history_days",
            "acwr_min_active_days",
            "acwr_max_gap_days",
            "acwr_thin_week_share",
            "acwr_thin_weeks",
        ),
        message=advice.acwr_spike,
        advice=(
            "This week's load is well above what you are used to: hold it steady for a week before adding "
            "more. A flag, not a verdict. " + PT
        ),
        source=(
            "Gabbett 2016: injury likelihood higher from a (coupled) acute:chronic ratio of 1.5, the "
            '"danger zone"; the 2.0 high level and the established-load rule are crosstrain\'s convention. '
            "Lolli et al. 2019 showed the coupled ratio correlates spuriously: a flag, not a verdict."
        ),
        plan=PlanBehaviour(7, False, plan_rules.shorten_load, "acwr"),
    ),
    WarningKind(
        code="high_monotony",
        title="monotonous load",
        severity="warn; high from monotony_high",
        thresholds=("monotony_warn", "monotony_high", "monotony_min_load_7d"),
        message=advice.high_monotony,
        advice=(
            "Vary the days: alternate hard and easy and keep a rest day or a near-rest day (an easy "
            "mobility session)."
        ),
        source=(
            "Foster 1998 linked illness to high, monotonous load (strain); 2.0 is the monotony commonly "
            "quoted from his work as high, 1.5 is crosstrain's convention."
        ),
        plan=PlanBehaviour(7, False, plan_rules.ease_a_day, "monotony"),
    ),
    WarningKind(
        code="hard_every_run",
        title="every run hard",
        severity="info",
        thresholds=("hard_run_intensity", "hard_runs_min_rated", "hard_runs_share"),
        message=advice.hard_every_run,
        advice=(
            "Make most runs truly easy (you can talk in full sentences) and keep the hard ones few and "
            "hard. " + NOT_A_DIAGNOSIS
        ),
        source=(
            "Seiler & Kjerland 2006: well-trained junior cross-country skiers did about 75% of their "
            "sessions below the first ventilatory threshold. The 60% share and the RPE 5 line are "
            "crosstrain's convention."
        ),
        plan=PlanBehaviour(28, True, None),
    ),
    WarningKind(
        code="easy_runs_hard",
        title="easy runs not easy",
        severity="info",
        thresholds=("hard_run_intensity", "easy_runs_min_rated", "easy_runs_hard_share"),
        message=advice.easy_runs_hard,
        advice="Slow the easy runs down until they feel easy (RPE 2-4). " + NOT_A_DIAGNOSIS,
        source=(
            "Esteve-Lanao et al. 2007: sub-elite runners whose training was 80/12/8% low/moderate/high "
            "intensity improved more over 5 months than those at 67/25/8%. Which runs were meant easy comes "
            "from their names (easy_run_keywords); the lines are crosstrain's convention."
        ),
        plan=PlanBehaviour(28, True, None),
    ),
    WarningKind(
        code="monotone_runs",
        title="every run alike",
        severity="warn",
        thresholds=("variety_min_runs", "variety_cv_distance", "variety_cv_pace", "variety_pace_outlier"),
        message=advice.monotone_runs,
        advice=(
            "Every run looks the same: vary the distance, and add weekly sprints or strides, a hill or an "
            f"interval session {GOOD_PRACTICE}. A movement screen or gait analysis is an option if "
            "something hurts."
        ),
        source="crosstrain's heuristics (no study fixes these numbers).",
        plan=PlanBehaviour(28, True, plan_rules.add_strides),
    ),
    WarningKind(
        code="moderate_intensity",
        title="mostly moderate intensity",
        severity="info",
        thresholds=("moderate_share", "moderate_min_minutes"),
        message=advice.moderate_intensity,
        advice=(
            "Make easy days truly easy and hard days hard: endurance athletes who improve do most of their "
            "training at low intensity (Seiler & Kjerland 2006; Esteve-Lanao et al. 2007). " + NOT_A_DIAGNOSIS
        ),
        source=(
            "Seiler 2010 (zones by % HRmax, table 1: zone 3 82-87%, zone 4 88-93%, zone 5 94-100%); "
            "Esteve-Lanao et al. 2007 (80/12/8 against 67/25/8). Half of the heart-rate time over 2 hours "
            "is crosstrain's convention."
        ),
        plan=PlanBehaviour(28, False, None),
    ),
    WarningKind(
        code="return_after_break",
        title="back after a break",
        severity="info",
        thresholds=(
            "break_days",
            "acwr_min_history_days",
            "acwr_min_active_days",
            "acwr_max_gap_days",
            "acwr_thin_week_share",
            "acwr_thin_weeks",
        ),
        message=advice.return_after_break,
        advice=(
            "Welcome back: build up gradually over the next weeks rather than returning straight to your "
            "old volume, and keep the strength sessions in."
        ),
        source="crosstrain's convention.",
        plan=PlanBehaviour(7, False, None),
    ),
    WarningKind(
        code="acwr_low",
        title="load well below usual",
        severity="info",
        thresholds=(
            "acwr_low",
            "acwr_min_history_days",
            "acwr_min_active_days",
            "acwr_max_gap_days",
            "acwr_thin_week_share",
            "acwr_thin_weeks",
        ),
        message=advice.acwr_low,
        advice="Fine for a planned recovery week; otherwise build back up gradually.",
        source='Below Gabbett 2016\'s "sweet spot" of 0.8-1.3.',
        plan=PlanBehaviour(7, False, None),
    ),
    WarningKind(
        code="unlabelled_sessions",
        title="sessions to label",
        severity="info (we don't know: never makes the risk red)",
        thresholds=(),
        message=advice.unlabelled_sessions,
        advice="Label them so that support work counts: " + advice.LABEL_HOW + ".",
        source="crosstrain's convention.",
        plan=PlanBehaviour(28, False, None),
    ),
    WarningKind(
        code="back_to_back_hard",
        title="hard days back to back",
        severity="warn",
        thresholds=(),
        message=advice.back_to_back_hard,
        advice="Follow a hard day with an easy one.",
        source="crosstrain's convention (hard: RPE 7+, or a planned hard intensity, or its name).",
        plan=PlanBehaviour(2, False, plan_rules.ease_second_hard),
        sql_file="plan_hard_days",
    ),
)
ORDER = {w.code: i for i, w in enumerate(REGISTRY)}
BY_CODE = {w.code: w for w in REGISTRY}
UNKNOWN = WarningKind(
    code="unknown",
    title="warning",
    severity="as raised",
    thresholds=(),
    message=advice.unknown,
    advice=NOT_A_DIAGNOSIS,
    source="-",
    plan=PlanBehaviour(7, False, None),
)


def title(code: str) -> str:
    """A warning's few words for people (tables, headings, the CLI's text): never its code."""
    return get(code).title


def get(code: str) -> WarningKind:
    """The registry entry of `code`; a plain entry (never a KeyError) for a code it does not know."""
    return BY_CODE.get(code, UNKNOWN)


def message(code: str, row: dict[str, Any], thresholds: dict[str, float]) -> str:
    """Warning `code`'s message from summary row `row` and the thresholds in force."""
    return get(code).message(row, thresholds)


def sort_key(w: dict[str, Any]) -> tuple[int, int]:
    """Raised warnings in report order: highest severity first, then the registry's order."""
    return (-SEVERITY_RANK.get(w["severity"], 0), get(w["code"]).order)
