"""`plan suggest`: concrete changes (add, swap, shorten) that bring a planned week back within the
thresholds, each with its reason and its effect on the numbers.

The changes are tried on a draft of the plan (temp table q_plan_draft, read in place of
`planned_sessions`), one at a time: project the week (queries/plan.py, the report's SQL), take its
worst warn/high finding, make the change its rule gives, project again, until the week is clean or no
rule applies (at most MAX_STEPS tries); a change that leaves the week no better (its warn and high
findings, high counting 3 and warn 2; on a tie, the warning it addressed must stand on fewer days or
less strongly) is undone.
Each warning's rule is a small function of queries/plan_rules.py that its registry entry names
(queries/warning_registry.py): add strength or Pilates for the support warnings, shorten the biggest
lever (the long run) for a run volume jump or a load spike, a near-rest day for monotony, strides for
runs all alike, an easy session after a hard one. No rule puts two support sessions on one day or hard
work on the day before a planned hard session, and a change that leaves any finding already addressed
worse (more days, higher severity, or a bigger number on the same days) is undone.
Only the week's own sessions change: a finding that the days before it decide (a Monday compared with
last week) is left, and said so. Without a plan for the week, the draft is the athlete's usual week
(the same weekdays of the last full week before it) and only sessions are added: what to add this week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import duckdb

from ingest.plans.words import name_reading
from queries import engine, warning_registry
from queries.params import Params, resolve
from queries.plan import SEVERITY_RANK, Projection, findings, project
from queries.plan_rules import DRAFT_IDS, Change, Context
from queries.report import summary_json

MAX_STEPS = 20
USUAL_IDS = 2 * 10**12
__all__ = ["Change", "DRAFT_IDS", "Suggestions", "suggest"]


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
    how far (the summary column its registry entry names, summed over those days)."""
    days = [
        (row, w)
        for day, row, warns in p.days
        if engine.monday(day) == week
        for w in warns
        if w["code"] == code
    ]
    size = warning_registry.get(code).plan.size
    hard = sum(
        2 for pair in p.hard_pairs if code == "back_to_back_hard" and engine.monday(pair["day"]) == week
    )
    return (
        sum(SEVERITY_RANK[w["severity"]] for _, w in days) + hard,
        sum(row[size] or 0 for row, _ in days) if size else 0.0,
    )


def _worse(before: Projection, after: Projection, week: date, code: str) -> bool:
    """Warning `code` stands worse in `after`: on more days or higher, or as high but further out."""
    b, a = _days_raised(before, week, code), _days_raised(after, week, code)
    return a[0] > b[0] or (a[0] == b[0] and a[1] > b[1] + 1e-6)


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


def _usual_week(
    con: duckdb.DuckDBPyConnection, draft: Draft, week: date, first: date, params: Params
) -> None:
    """Fill the draft with the athlete's usual week: the sessions of the last full week before `week`
    on the weekdays from `first` to Sunday, moved into this week, each with the minutes it counts
    (q_session_load's: session_intensity.sql's one definition, a strength session's whole duration;
    counted sessions only)."""
    last_week = week - timedelta(days=7)
    engine.prepare_scope(con, [draft.athlete_id], params)
    engine.prepare_sessions(con, params, last_week + (first - week), week - timedelta(days=1))
    con.execute(
        """insert into q_plan_draft (planned_id, athlete_id, start_local, has_time, sport_type, category,
               name,
               moving_s, distance_m, rpe, source)
           select ? + row_number() over (order by a.start_local), a.athlete_id,
                  a.start_local + interval 7 day, a.has_time, a.sport_type, a.category, a.name,
                  s.minutes * 60, a.distance_m, a.rpe, 'usual'
           from activities a
           join q_session_load s on s.activity_id = a.activity_id
           where a.athlete_id = ? and a.start_local >= ? and a.start_local < ?""",
        [USUAL_IDS, draft.athlete_id, last_week + (first - week), week],
    )


def _do(draft: Draft, c: Change) -> None:
    if c.action == "add":
        c.planned_id = draft.add(c.day, c.sport_type, c.category, c.minutes, c.name, c.distance_km)
        draft.change(c.planned_id, **name_reading(c.name, c.category))
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
    if c.action == "swap":  # what the new name says, as `--apply` will store it
        values.update(name_reading(c.name, c.category))
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
        _usual_week(con, draft, week, first, params)
    changes: list[Change] = []
    tried: set[tuple] = set()
    undone: set[int] = set()
    addressed: set[str] = set()
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
                kind = warning_registry.get(f["code"])
                rule = kind.plan.suggest
                context = Context(
                    f, _with_source(con, current), params, week, has_plan, frozenset(undone), kind.title
                )
                change = rule(context) if rule else None
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
            change.code = f["code"]
            if (
                _score(after, params, week) > _score(current, params, week)
                or (
                    _score(after, params, week) == _score(current, params, week)
                    and _days_raised(after, week, f["code"]) >= _days_raised(current, week, f["code"])
                )
                # no finding a suggestion is meant to fix may end worse than the plan as it came
                or any(_worse(start, after, week, code) for code in addressed | {f["code"]})
            ):
                draft.restore()  # the week is no better with it: not suggested
                if change.action != "add":
                    undone.add(change.planned_id)
                continue
            change.why += _effect(current, after, week, params)
            changes.append(change)
            addressed.add(f["code"])
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
