"""`plan suggest`'s rules: one small function per warning code (queries/warning_registry.py names it),
each giving the change that addresses a finding of a projected week, or None.

Every rule keeps to three limits (crosstrain's convention, the hard/easy principle): it never puts two
support sessions (strength, Pilates, mobility) on one day, never adds hard work (a strength session)
on a hard day or the day before a planned hard session, and when a week has too much running or load
it shortens the biggest lever first: the longest easy or long run, never a planned quality session
(intervals, tempo, hills ...) while an easy one is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ingest.categories import CATEGORIES
from queries.advice import jump_reference
from queries.plan_done import SUPPORT

if TYPE_CHECKING:
    from queries.params import Params
    from queries.plan import Projection

# Hard session (crosstrain's convention, see plan_hard_days.sql): RPE 7+ ("very hard" on the CR-10
# scale), a planned hard intensity, or a name with one of these words.
HARD_KEYWORDS = (
    "interval",
    "tempo",
    "threshold",
    "hill",
    "fartlek",
    "track",
    "repeat",
    "race",
    "vo2",
    "long run",
)
HARD_RPE = 7.0
# A planned long run shorter than this is no hard day (crosstrain's convention; plan_hard_days.sql)
LONG_MIN_S = 45 * 60
# Planned intensities (planned_sessions.intensity) that make a session hard, and those of a quality
# session a shortening leaves alone while an easy run is left.
HARD_INTENSITIES = ("tempo", "threshold", "intervals", "hills", "race", "long")
QUALITY_INTENSITIES = ("tempo", "threshold", "intervals", "hills", "race", "strides")
# Planned ids of added draft sessions start here (stored sessions are numbered from 1).
DRAFT_IDS = 10**12
HIP_STRENGTH = "Hip strength: squats, lunges, step-ups, Romanian deadlifts"
STRIDES = "with 6 x 20 s strides"
# Support work one week's suggestions may add to lift the 28-day share: a hip-strength session and a
# Pilates class, or a swapped run (crosstrain's convention: more is not a plan a runner keeps).
MAX_SUPPORT_ADDED_MIN = 90


@dataclass
class Change:
    """One suggestion: what to do to which planned session (planned_id for swap and shorten)."""

    day: date
    action: str  # add | swap | shorten
    sport_type: str
    category: str
    minutes: float
    name: str
    why: str
    planned_id: int | None = None
    distance_km: float | None = None
    code: str = ""

    def json(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "action": self.action,
            "type": self.sport_type,
            "category": self.category,
            "duration_min": round(self.minutes, 1),
            "name": self.name,
            "why": self.why,
        }

    def stored(self) -> dict:
        """The change as ingest.plans.importer.apply_changes writes it."""
        return self.json() | {"planned_id": self.planned_id, "distance_km": self.distance_km}


@dataclass
class Context:
    """A finding of a projected week and what a rule may change: the week's planned sessions from the
    projection's first day, except those in `skip` (a change to them was undone)."""

    finding: dict
    p: Projection
    params: Params
    week: date
    can_change: bool  # the week has a plan (else only sessions are added)
    skip: frozenset = frozenset()
    title: str = ""  # the warning's words (its registry entry's title), for the reason a change gives

    @property
    def day(self) -> date:
        return date.fromisoformat(self.finding["date"])

    @property
    def planned(self) -> list[dict]:
        end = self.week + timedelta(days=6)
        return [
            s for s in self.p.sessions if self.p.first <= s["day"] <= end and s["planned_id"] not in self.skip
        ]

    @property
    def window(self) -> list[dict]:
        """The planned sessions of the 7 days up to the finding's day."""
        return [s for s in self.planned if self.day - timedelta(days=6) <= s["day"] <= self.day]

    @property
    def row(self) -> dict:
        return next(row for d, row, _ in self.p.days if d == self.day)

    def why(self, text: str) -> str:
        f = self.finding
        return f"{self.title or f['code']} ({f['severity']}) on {self.day:%a %d %b}: {text}"


def hard(s: dict) -> bool:
    """A hard session, as plan_hard_days.sql decides."""
    return (
        (s.get("rpe") or 0) >= HARD_RPE
        or (
            s.get("intensity") in HARD_INTENSITIES
            and not (s.get("intensity") == "long" and float(s.get("minutes") or 0) * 60 < LONG_MIN_S)
        )
        or (s.get("intensity") is None and any(k in (s.get("name") or "").lower() for k in HARD_KEYWORDS))
    )


def quality(s: dict) -> bool:
    """A planned quality run (intervals, tempo, hills ...): a shortening leaves it while others are left."""
    name = (s.get("name") or "").lower()
    return s.get("intensity") in QUALITY_INTENSITIES or (
        s.get("intensity") is None and any(k in name for k in HARD_KEYWORDS if k != "long run")
    )


def load(s: dict, params: Params) -> float:
    """A planned session's load as the projection scores it: its load per minute (plan_sessions.sql:
    the athlete's own for its kind, else the plan's RPE), else the category's intensity (a draft
    session added by a suggestion)."""
    rate = s.get("load_rate") or s.get("rpe") or params.intensity.get(s["category"], 3.0)
    return s["minutes"] * rate


def label(s: dict) -> str:
    km = f" {s['distance_km']:.1f} km" if s["distance_km"] else ""
    return f"the {s['minutes']:.0f} min{km} {s['name'] or s['sport_type']} on {s['day']:%a}"


def _free_days(ctx: Context, days: list[date], ignore: int | None = None) -> list[date]:
    """Days of `days` with no support session (but `ignore`), not hard, and not the day before a hard
    session: where a support session may go."""
    planned = [s for s in ctx.planned if s["planned_id"] != ignore]
    support = {s["day"] for s in planned if s["category"] in SUPPORT}
    hard_days = {s["day"] for s in planned if hard(s)}
    before_hard = {d - timedelta(days=1) for d in hard_days}
    return [d for d in days if d not in support | hard_days | before_hard]


def _days_to(ctx: Context, last: date) -> list[date]:
    return [ctx.p.first + timedelta(days=i) for i in range((last - ctx.p.first).days + 1)]


def support_needed(row: dict, target: float) -> float:
    """Support minutes to add by a day for its 28-day support share to reach `target` (x 1.02), when
    every added minute is support: (target T - S) / (1 - target)."""
    target *= 1.02
    counts = row["_counts"]
    total = sum(counts.get(c, (0, 0))[0] for c in CATEGORIES)
    support = sum(counts.get(c, (0, 0))[0] for c in SUPPORT)
    return (target * total - support) / (1 - target)


def add_strength(ctx: Context) -> Change | None:
    """no_support_work: 30 min hip strength on the first free day up to the finding's day, else on the
    first free day after it (the days from then on are fixed)."""
    free = _free_days(ctx, _days_to(ctx, ctx.day)) or _free_days(
        ctx, _days_to(ctx, ctx.week + timedelta(days=6))
    )
    if not free:
        return None
    return Change(
        free[0],
        "add",
        "Strength Training",
        "strength",
        30,
        HIP_STRENGTH,
        ctx.why(ctx.finding["message"]),
    )


def add_support(ctx: Context) -> Change | None:
    """low_support_share: hip strength first; then swap the shortest easy run for Pilates (a week with a
    plan) or add a Pilates class, each on a day without another support session."""
    t = ctx.params.thresholds
    if support_needed(ctx.row, t["support_share_low"]) > MAX_SUPPORT_ADDED_MIN:
        return None  # the 28-day share cannot reach the target within this week's days
    if not any(s["category"] == "strength" and s.get("source") == "suggest" for s in ctx.planned):
        return add_strength(ctx)
    easy_runs = [
        s
        for s in ctx.window
        if s["category"] == "run"
        and not hard(s)
        and STRIDES not in (s["name"] or "")
        and _free_days(ctx, [s["day"]], ignore=s["planned_id"])
    ]
    if ctx.can_change and easy_runs:
        s = min(easy_runs, key=lambda s: s["minutes"])
        minutes = min(s["minutes"], 60)
        return Change(
            s["day"],
            "swap",
            "Pilates",
            "pilates",
            minutes,
            "Pilates",
            ctx.why(f"swap {label(s)} for {minutes:.0f} min Pilates."),
            planned_id=s["planned_id"],
            distance_km=0.0,
        )
    if any(x["category"] == "pilates" and x["planned_id"] >= DRAFT_IDS for x in ctx.planned):
        return None  # one Pilates class a week
    free = _free_days(ctx, _days_to(ctx, ctx.day)) or _free_days(
        ctx, _days_to(ctx, ctx.week + timedelta(days=6))
    )
    if not free:
        return None
    return Change(free[0], "add", "Pilates", "pilates", 45, "Pilates class", ctx.why(ctx.finding["message"]))


def _levers(ctx: Context, sessions: list[dict], size) -> list[dict]:
    """Sessions to shorten, biggest lever first: easy and long sessions by size, then quality ones."""
    return sorted(sessions, key=lambda s: (quality(s), -size(s)))


def shorten_runs(ctx: Context) -> Change | None:
    """run_volume_jump: shorten the biggest lever (the longest non-quality run, usually the long run) by
    the km above what the largest of the 3 weeks before (or the usual level) allows (at most to half)."""
    if not ctx.can_change:
        return None
    row, t = ctx.row, ctx.params.thresholds
    top = jump_reference(row.get("run_km_max_prev_7d"), row.get("run_km_level_7d")) or 0
    if top <= 0:
        return None
    allowed = max(top * (1 + t["run_jump_week"]), top + t["run_jump_min_km"], t["run_jump_base_km"]) * 0.99
    excess = row["run_km_7d"] - allowed
    runs = [s for s in ctx.window if s["category"] == "run" and s["distance_km"] > 0]
    if excess <= 0 or not runs:
        return None
    s = _levers(ctx, runs, lambda s: s["distance_km"])[0]
    km = max(s["distance_km"] / 2, int(2 * (s["distance_km"] - excess)) / 2)
    minutes = s["minutes"] * km / s["distance_km"]
    return Change(
        s["day"],
        "shorten",
        s["sport_type"],
        "run",
        minutes,
        s["name"] or s["sport_type"],
        ctx.why(
            f"{row['run_km_7d']:.1f} km in 7 days against {top:.1f} km in the "
            f"{'largest of the 3 weeks before' if top == row.get('run_km_max_prev_7d') else 'usual level'}; "
            "shorten "
            f"{label(s)} to {km:.1f} km, the biggest lever of the week."
        ),
        planned_id=s["planned_id"],
        distance_km=km,
    )


def shorten_load(ctx: Context) -> Change | None:
    """acwr_spike: shorten the biggest lever (the longest non-quality session that is not support work:
    the strength, Pilates and mobility the warnings ask for are never what is cut) by the load above an
    ACWR of 97% of the threshold (at most to half of it)."""
    if not ctx.can_change or not ctx.window:
        return None
    row, t = ctx.row, ctx.params.thresholds
    target = t["acwr_high"] * 0.97
    l7, l28 = row["load_7d"], row["load_28d"]
    excess = l7 - target * (l28 - l7) / (4 - target)
    if excess <= 0:
        return None
    cuttable = [s for s in ctx.window if s["minutes"] > 0 and s["category"] not in SUPPORT]
    if not cuttable:
        return None
    s = _levers(ctx, cuttable, lambda s: s["minutes"])[0]
    per_min = load(s, ctx.params) / s["minutes"]
    minutes = max(s["minutes"] / 2, s["minutes"] - excess / per_min)
    km = s["distance_km"] * minutes / s["minutes"] if s["distance_km"] else None
    return Change(
        s["day"],
        "shorten",
        s["sport_type"],
        s["category"],
        minutes,
        s["name"] or s["sport_type"],
        ctx.why(
            f"ACWR {row['acwr']:.2f}; shorten {label(s)} to {minutes:.0f} min to bring the week's load "
            "nearer what the athlete is used to."
        ),
        planned_id=s["planned_id"],
        distance_km=km,
    )


def ease_a_day(ctx: Context) -> Change | None:
    """high_monotony: swap the lightest easy session for 20 min mobility (a near-rest day), on a day
    without another support session."""
    if not ctx.can_change:
        return None
    easy = [
        s
        for s in ctx.window
        if not hard(s)
        and s["category"] not in SUPPORT
        and s["planned_id"] < DRAFT_IDS
        and STRIDES not in (s["name"] or "")
        and not any(x["day"] == s["day"] and x["category"] in SUPPORT for x in ctx.planned)
    ]
    if not easy:
        return None
    s = min(easy, key=lambda s: load(s, ctx.params))
    return Change(
        s["day"],
        "swap",
        "Stretching",
        "mobility",
        20,
        "Mobility (near-rest day)",
        ctx.why(f"monotony {ctx.row['monotony']:.2f}; swap {label(s)} for 20 min mobility, an easy day."),
        planned_id=s["planned_id"],
        distance_km=0.0,
    )


def add_strides(ctx: Context) -> Change | None:
    """monotone_runs: strides in an easy run (or a short easy run with strides when none is planned)."""
    runs = [
        s
        for s in ctx.planned
        if s["category"] == "run" and not hard(s) and STRIDES not in (s["name"] or "") and s["day"] <= ctx.day
    ]
    if not ctx.can_change or not runs:
        hard_days = {x["day"] for x in ctx.planned if hard(x)}
        day = ctx.p.first if not ctx.can_change else ctx.day
        if day in hard_days:
            return None
        return Change(
            day,
            "add",
            "Run",
            "run",
            20,
            f"Easy run {STRIDES}",
            ctx.why(ctx.finding["message"] + " Add a short easy run with 6 x 20 s strides."),
            distance_km=3.0,
        )
    s = runs[0]
    return Change(
        s["day"],
        "swap",
        s["sport_type"],
        "run",
        s["minutes"],
        f"{s['name'] or 'Easy run'} {STRIDES}",
        ctx.why(ctx.finding["message"] + f" Add 6 x 20 s strides to {label(s)}."),
        planned_id=s["planned_id"],
        distance_km=s["distance_km"] or None,
    )


def ease_second_hard(ctx: Context) -> Change | None:
    """back_to_back_hard: the second hard session becomes an easy one of the same length."""
    if not ctx.can_change:
        return None
    behind: list[Any] = [s for s in ctx.finding["sessions"] if s["planned_id"] is not None]
    if not behind:
        return None
    b = behind[-1]
    return Change(
        date.fromisoformat(b["date"]),
        "swap",
        b["type"],
        b["category"],
        b["duration_min"],
        "Easy run" if b["category"] == "run" else f"Easy {b['category']}",
        ctx.why(ctx.finding["message"]),
        planned_id=b["planned_id"],
        distance_km=b["distance_km"] or None,
    )
