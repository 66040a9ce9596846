"""`plan suggest`: concrete changes (add, swap, shorten) that bring a planned week back within the
thresholds, each with its reason and its effect on the numbers.

The changes are tried on a draft of the plan (temp table q_plan_draft, read in place of
`planned_sessions`), one at a time: project the week (queries/plan.py, the report's SQL), take its
worst warn/high finding, make the change its rule gives, project again, until the week is clean or no
rule applies (at most MAX_STEPS tries); a change that leaves the week no better (its warn and high
findings, high counting 3 and warn 2; on a tie, the warning it addressed must stand on fewer days or
less strongly) is undone.
Rules follow the advice (queries/advice.py):
- no_support_work: add 30 min hip strength (squats, lunges, step-ups, Romanian deadlifts) on the
  first planned day of the week that is not hard; low_support_share: the same, then swap the shortest
  easy run for Pilates of the same length.
- run_volume_jump: shorten the week's longest run by the kilometres above the progression the report
  allows on the 7 days before ([thresholds] run_jump_week; Nielsen et al. 2014), at most to half.
- acwr_spike: shorten the biggest session by the load above an ACWR of 97% of the threshold.
- high_monotony: swap the shortest easy session for 20 min mobility (a near-rest day; Foster 1998).
- monotone_runs: swap an easy run for the same run with 6 x 20 s strides (Seiler 2010).
- back_to_back_hard: swap the second hard session for an easy run of the same length.
Only the week's own sessions change: a finding that the days before it decide (a Monday compared with
last week) is left, and said so. Without a plan for the week, the draft is the athlete's usual week
(the same weekdays of the last full week before it) and only sessions are added: what to add this week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import duckdb

from ingest.categories import CATEGORIES
from queries import engine
from queries.params import Params, resolve
from queries.plan import HARD_KEYWORDS, HARD_RPE, SEVERITY_RANK, Projection, findings, project
from queries.plan_done import SUPPORT
from queries.report import summary_json

MAX_STEPS = 20
# Planned ids of added draft sessions start here (stored sessions are numbered from 1).
DRAFT_IDS = 10**12
USUAL_IDS = 2 * 10**12
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
        """The change as ingest.plans.apply_changes writes it."""
        return self.json() | {"planned_id": self.planned_id, "distance_km": self.distance_km}


def _hard(s: dict) -> bool:
    """A hard session, as plan_hard_days.sql decides."""
    return (s["rpe"] or 0) >= HARD_RPE or any(k in (s["name"] or "").lower() for k in HARD_KEYWORDS)


def _load(s: dict, params: Params) -> float:
    return s["minutes"] * (s["rpe"] if s["rpe"] else params.intensity[s["category"]])


def _label(s: dict) -> str:
    km = f" {s['distance_km']:.1f} km" if s["distance_km"] else ""
    return f"the {s['minutes']:.0f} min{km} {s['name'] or s['sport_type']} on {s['day']:%a}"


def _week_findings(p: Projection, params: Params, week: date) -> list[dict]:
    return [
        f
        for f in findings(p, params)
        if engine.monday(date.fromisoformat(f["date"])) == week and SEVERITY_RANK[f["severity"]] >= 2
    ]


def _score(p: Projection, params: Params, week: date) -> int:
    """How bad the week is: its warn and high findings, a high counting 3 and a warn 2."""
    return sum(SEVERITY_RANK[f["severity"]] for f in _week_findings(p, params, week))


def _days_raised(p: Projection, week: date, code: str) -> tuple[int, float]:
    """How warning `code` stands in the week: its severity summed over the days it is raised, then
    how far (the 7-day run km or the ACWR on those days, for the warnings a shortening eases)."""
    days = [
        (row, w)
        for day, row, warns in p.days
        if engine.monday(day) == week
        for w in warns
        if w["code"] == code
    ]
    size = {"run_volume_jump": "run_km_7d", "acwr_spike": "acwr"}.get(code)
    hard = sum(
        2 for pair in p.hard_pairs if code == "back_to_back_hard" and engine.monday(pair["day"]) == week
    )
    return (
        sum(SEVERITY_RANK[w["severity"]] for _, w in days) + hard,
        sum(row[size] or 0 for row, _ in days) if size else 0.0,
    )


def _row(p: Projection, day: date) -> dict:
    return next(row for d, row, _ in p.days if d == day)


class Draft:
    """The athlete's planned sessions as a temp table the projection reads; changes go there first."""

    def __init__(self, con: duckdb.DuckDBPyConnection, athlete_id: int):
        self.con, self.athlete_id, self.next_id = con, athlete_id, DRAFT_IDS
        con.execute(
            """create or replace temp table q_plan_draft as
               select * from planned_sessions where athlete_id = ?""",
            [athlete_id],
        )

    def add(
        self, day: date, sport_type: str, category: str, minutes: float, name: str, km: float | None
    ) -> int:
        self.next_id += 1
        self.con.execute(
            """insert into q_plan_draft (planned_id, athlete_id, start_local, has_time, sport_type, category,
                   name, moving_s, distance_m, source)
               values (?, ?, ?, false, ?, ?, ?, ?, ?, 'suggest')""",
            [
                self.next_id,
                self.athlete_id,
                datetime.combine(day, time()),
                sport_type,
                category,
                name,
                minutes * 60,
                None if km is None else km * 1000,
            ],
        )
        return self.next_id

    def save(self) -> None:
        """Keep the draft as it is, for `restore`."""
        self.con.execute("create or replace temp table q_plan_draft_saved as select * from q_plan_draft")

    def restore(self) -> None:
        """The draft as `save` kept it."""
        self.con.execute("create or replace temp table q_plan_draft as select * from q_plan_draft_saved")

    def change(self, planned_id: int, **values: Any) -> None:
        sets = ", ".join(f"{k} = ?" for k in values)
        self.con.execute(
            f"update q_plan_draft set {sets} where planned_id = ?", [*values.values(), planned_id]
        )


def _usual_week(con: duckdb.DuckDBPyConnection, draft: Draft, week: date, first: date) -> None:
    """Fill the draft with the athlete's usual week: the sessions of the last full week before `week`
    on the weekdays from `first` to Sunday, moved into this week."""
    last_week = week - timedelta(days=7)
    con.execute(
        """insert into q_plan_draft (planned_id, athlete_id, start_local, has_time, sport_type, category,
               name,
               moving_s, distance_m, rpe, source)
           select ? + row_number() over (order by start_local), athlete_id, start_local + interval 7 day,
                  has_time, sport_type, category, name, coalesce(nullif(moving_s, 0), elapsed_s, 0),
                  distance_m, rpe, 'usual'
           from activities
           where athlete_id = ? and twin_of is null and not excluded
             and start_local >= ? and start_local < ?""",
        [USUAL_IDS, draft.athlete_id, last_week + (first - week), week],
    )


def _support_needed(row: dict, target: float) -> float:
    """Support minutes to add by a day for its 28-day support share to reach `target` (x 1.02), when
    every added minute is support: (target T - S) / (1 - target)."""
    target *= 1.02
    counts = row["_counts"]
    total = sum(counts.get(c, (0, 0))[0] for c in CATEGORIES)
    support = sum(counts.get(c, (0, 0))[0] for c in SUPPORT)
    return (target * total - support) / (1 - target)


def _rule(
    code: str,
    f: dict,
    p: Projection,
    params: Params,
    week: date,
    can_change: bool,
    skip: frozenset = frozenset(),
) -> Change | None:
    """The change that addresses finding `f` of projection `p`, or None; sessions in `skip` (changes to
    them were undone) are left as they are."""
    day = date.fromisoformat(f["date"])
    planned = [
        s
        for s in p.sessions
        if p.first <= s["day"] <= week + timedelta(days=6) and s["planned_id"] not in skip
    ]
    window = [s for s in planned if day - timedelta(days=6) <= s["day"] <= day]
    easy_runs = [
        s for s in window if s["category"] == "run" and not _hard(s) and STRIDES not in (s["name"] or "")
    ]
    row = _row(p, day)
    t = params.thresholds
    if code == "low_support_share" and _support_needed(row, t["support_share_low"]) > MAX_SUPPORT_ADDED_MIN:
        return None  # the 28-day share cannot reach the target within this week's days
    if code == "no_support_work" or (
        code == "low_support_share"
        and not any(s["category"] == "strength" and s["source"] == "suggest" for s in planned)
    ):
        hard_days = {s["day"] for s in planned if _hard(s)}
        days = [p.first + timedelta(days=i) for i in range((week + timedelta(days=6) - p.first).days + 1)]
        target = next((d for d in days if d not in hard_days and d <= day), days[0])
        return Change(
            target,
            "add",
            "Strength Training",
            "strength",
            30,
            HIP_STRENGTH,
            f"{f['code']} ({f['severity']}) on {day:%a %d %b}: {f['message']}",
        )
    if code == "low_support_share":
        if can_change and easy_runs:
            s = min(easy_runs, key=lambda s: s["minutes"])
            minutes = min(s["minutes"], 60)
            return Change(
                s["day"],
                "swap",
                "Pilates",
                "pilates",
                minutes,
                "Pilates",
                f"low_support_share on {day:%a %d %b}: swap {_label(s)} for {minutes:.0f} min Pilates.",
                planned_id=s["planned_id"],
                distance_km=0.0,
            )
        # one Pilates class a week, on a day the finding looks back on
        if any(x["category"] == "pilates" and x["planned_id"] >= DRAFT_IDS for x in planned):
            return None
        days = [p.first + timedelta(days=i) for i in range((day - p.first).days + 1)]
        free = next((d for d in days if not any(x["day"] == d and _hard(x) for x in planned)), day)
        return Change(
            free,
            "add",
            "Pilates",
            "pilates",
            45,
            "Pilates class",
            f"low_support_share on {day:%a %d %b}: {f['message']}",
        )
    if not can_change:
        if code == "monotone_runs":
            return Change(
                p.first,
                "add",
                "Run",
                "run",
                25,
                f"Easy run {STRIDES}",
                f"monotone_runs: {f['message']}",
                distance_km=4.0,
            )
        return None
    if code == "run_volume_jump":
        # only the last 7 days' jump is this week's to fix; the week before against the one before it
        # is history
        prev = row["run_km_prev_7d"]
        allowed = (
            [max(prev * (1 + t["run_jump_week"]), prev + t["run_jump_min_km"]) * 0.99] if prev > 0 else []
        )
        # each run to half at most, once per suggestion; nothing when even that cannot clear it
        runs = [s for s in window if s["category"] == "run" and s["distance_km"] > 0]
        if not allowed or not runs:
            return None
        excess = row["run_km_7d"] - min(allowed)
        if excess <= 0 or excess > sum(s["distance_km"] / 2 for s in runs):
            return None  # the days before the week decide it
        s = max(runs, key=lambda s: s["distance_km"])
        km = max(s["distance_km"] / 2, int(2 * (s["distance_km"] - excess)) / 2)
        minutes = s["minutes"] * km / s["distance_km"]
        return Change(
            s["day"],
            "shorten",
            s["sport_type"],
            "run",
            minutes,
            s["name"] or s["sport_type"],
            f"run_volume_jump ({f['severity']}) on {day:%a %d %b}: {row['run_km_7d']:.1f} km in 7 days "
            f"against {row['run_km_prev_7d']:.1f} km the 7 days before; shorten {_label(s)} to {km:.1f} km "
            "to stay within "
            f"the week's progression.",
            planned_id=s["planned_id"],
            distance_km=km,
        )
    if code == "acwr_spike":
        target = t["acwr_high"] * 0.97
        l7, l28 = row["load_7d"], row["load_28d"]
        excess = l7 - target * (l28 - l7) / (4 - target)
        shortenable = window
        if not shortenable or excess <= 0 or excess > sum(_load(s, params) / 2 for s in shortenable):
            return None
        s = max(shortenable, key=lambda s: _load(s, params))
        per_min = _load(s, params) / s["minutes"]
        minutes = max(s["minutes"] / 2, s["minutes"] - excess / per_min)
        km = s["distance_km"] * minutes / s["minutes"] if s["distance_km"] else None
        return Change(
            s["day"],
            "shorten",
            s["sport_type"],
            s["category"],
            minutes,
            s["name"] or s["sport_type"],
            f"acwr_spike ({f['severity']}) on {day:%a %d %b}: ACWR {row['acwr']:.2f}; shorten {_label(s)} to "
            f"{minutes:.0f} min to bring the week's load nearer what the athlete is used to.",
            planned_id=s["planned_id"],
            distance_km=km,
        )
    if code == "high_monotony":
        # not a session a suggestion added, nor the strides that keep the runs varied
        easy = [
            s
            for s in window
            if not _hard(s)
            and s["category"] != "mobility"
            and s["planned_id"] < DRAFT_IDS
            and STRIDES not in (s["name"] or "")
        ]
        if not easy:
            return None
        s = min(easy, key=lambda s: _load(s, params))
        return Change(
            s["day"],
            "swap",
            "Stretching",
            "mobility",
            20,
            "Mobility (near-rest day)",
            f"high_monotony ({f['severity']}) on {day:%a %d %b}: monotony {row['monotony']:.2f}; "
            f"swap {_label(s)} "
            "for 20 min mobility, an easy day between the others.",
            planned_id=s["planned_id"],
            distance_km=0.0,
        )
    if code == "monotone_runs":
        runs = [
            s
            for s in planned
            if s["category"] == "run"
            and not _hard(s)
            and STRIDES not in (s["name"] or "")
            and s["day"] <= day
        ]
        if not runs:
            if day in {x["day"] for x in planned if _hard(x)}:
                return None
            return Change(
                day,
                "add",
                "Run",
                "run",
                20,
                f"Easy run {STRIDES}",
                f"monotone_runs on {day:%a %d %b}: {f['message']} "
                "Add a short easy run with 6 x 20 s strides.",
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
            f"monotone_runs on {day:%a %d %b}: {f['message']} Add 6 x 20 s strides to {_label(s)}.",
            planned_id=s["planned_id"],
            distance_km=s["distance_km"] or None,
        )
    if code == "back_to_back_hard":
        behind = [s for s in f["sessions"] if s["planned_id"] is not None]
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
            f"back_to_back_hard on {day:%a %d %b}: {f['message']}",
            planned_id=b["planned_id"],
            distance_km=b["distance_km"] or None,
        )
    return None


def _do(draft: Draft, c: Change) -> None:
    if c.action == "add":
        c.planned_id = draft.add(c.day, c.sport_type, c.category, c.minutes, c.name, c.distance_km)
        return
    values: dict[str, Any] = {
        "sport_type": c.sport_type,
        "category": c.category,
        "name": c.name,
        "moving_s": c.minutes * 60,
        "source": "suggest",
    }
    if c.distance_km is not None:
        values["distance_m"] = c.distance_km * 1000
    if c.action == "swap":
        values["rpe"] = None
    draft.change(c.planned_id, **values)


@dataclass
class Suggestions:
    """What `plan suggest` found: the changes, and the week's last day before and after them."""

    athlete: str
    athlete_id: int
    week: date
    changes: list[Change]
    before: dict
    after: dict
    from_plan: bool
    remaining: list[dict]

    def json(self) -> dict:
        return {
            "athlete": self.athlete,
            "week": self.week.isoformat(),
            "suggestions": [c.json() for c in self.changes],
            "before": summary_json(self.before, self.before["_counts"]),
            "after": summary_json(self.after, self.after["_counts"]),
        }


def _effect(before: Projection, after: Projection, week: date, params: Params) -> str:
    b, a = _row(before, before.last), _row(after, after.last)
    parts = []
    for key, label, fmt in (
        ("support_share", "support share", "{:.0%}"),
        ("run_km_7d", "7-day run km", "{:.1f}"),
        ("acwr", "ACWR", "{:.2f}"),
        ("monotony", "monotony", "{:.2f}"),
    ):
        if b[key] is not None and a[key] is not None and abs(b[key] - a[key]) > 1e-6:
            parts.append(f"{label} {fmt.format(b[key])} -> {fmt.format(a[key])}")
    n_before, n_after = len(_week_findings(before, params, week)), len(_week_findings(after, params, week))
    parts.append(f"warnings this week {n_before} -> {n_after}")
    return f" Effect by {before.last:%a %d %b}: " + ", ".join(parts) + "."


def suggest(
    con: duckdb.DuckDBPyConnection,
    athlete: str,
    week: date | None = None,
    as_of: date | None = None,
    settings: dict[str, Any] | None = None,
) -> Suggestions:
    """Changes that bring `week` (the Monday of `week`, default the first planned week after `as_of`, or
    the week after `as_of` without a plan) back within the thresholds; nothing is stored."""
    params = resolve(settings)
    as_of = as_of or date.today()
    [athlete_id] = engine.athlete_ids(con, [athlete])
    draft = Draft(con, athlete_id)
    if week is None:
        [row] = engine.fetch(
            con,
            """select min(start_local)::date as first from q_plan_draft
               where start_local >= cast($as_of as date) + 1""",
            {"as_of": as_of},
        )
        week = engine.monday(row["first"] or as_of + timedelta(days=1))
    week = engine.monday(week)
    first, last = max(week, as_of + timedelta(days=1)), week + timedelta(days=6)
    if first > last:
        first = last = week + timedelta(days=6)
    has_plan = (
        con.execute(
            "select count(*) from q_plan_draft where start_local >= ? and start_local < ?::date + 1",
            [first, last],
        ).fetchone()[0]
        > 0
    )
    if not has_plan:
        _usual_week(con, draft, week, first)
    changes: list[Change] = []
    tried: set[tuple] = set()
    undone: set[int] = set()
    # the done history stays put while the draft changes: read the athlete's once
    con.execute(
        """create or replace temp table q_plan_history as
           select * from activities where athlete_id = ? and start_local < ?::date + 1""",
        [athlete_id, as_of],
    )
    with engine.reading(planned_sessions="q_plan_draft", activities="q_plan_history"):
        current = project(con, params, athlete, as_of, (first, last), athlete_id=athlete_id)
        start = current
        for _ in range(MAX_STEPS):
            todo = sorted(
                _week_findings(current, params, week),
                key=lambda f: (-SEVERITY_RANK[f["severity"]], f["date"]),
            )
            change = None
            for f in todo:
                change = _rule(
                    f["code"], f, _with_source(con, current), params, week, has_plan, frozenset(undone)
                )
                # a change already made that left its finding standing is not tried again
                if change and (change.action, change.day, change.planned_id, change.name) not in tried:
                    break
                change = None
            if change is None:
                break
            tried.add((change.action, change.day, change.planned_id, change.name))
            draft.save()
            _do(draft, change)
            after = project(con, params, athlete, as_of, (first, last), again=True, athlete_id=athlete_id)
            if _score(after, params, week) > _score(current, params, week) or (
                _score(after, params, week) == _score(current, params, week)
                and _days_raised(after, week, f["code"]) >= _days_raised(current, week, f["code"])
            ):
                draft.restore()  # the week is no better with it: not suggested
                if change.action != "add":
                    undone.add(change.planned_id)
                continue
            change.why += _effect(current, after, week, params)
            changes.append(change)
            current = after
    remaining = _week_findings(current, params, week)
    changes = _merged(changes)
    return Suggestions(
        athlete, athlete_id, week, changes, _row(start, last), _row(current, last), has_plan, remaining
    )


def _merged(changes: list[Change]) -> list[Change]:
    """One suggestion per session: later changes to a session already changed (or added) fold into
    the first, which takes their values; a swap stays a swap, an added session stays added."""
    out: list[Change] = []
    by_id: dict[int, Change] = {}
    for c in changes:
        first = by_id.get(c.planned_id) if c.planned_id is not None else None
        if first is None:
            out.append(c)
            if c.planned_id is not None:
                by_id[c.planned_id] = c
            continue
        action = first.action if first.action in ("add", "swap") else c.action
        first.action, first.sport_type, first.category, first.minutes, first.name = (
            action,
            c.sport_type,
            c.category,
            c.minutes,
            c.name,
        )
        if c.distance_km is not None:
            first.distance_km = c.distance_km
        first.why += " Then: " + c.why
    return out


def _with_source(con: duckdb.DuckDBPyConnection, p: Projection) -> Projection:
    """`p` with each session's draft source (a suggested session is not suggested twice)."""
    source = dict(con.execute("select planned_id, source from q_plan_draft").fetchall())
    for s in p.sessions:
        s["source"] = source.get(s["planned_id"])
    return p
