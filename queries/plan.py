"""`plan check`: the report's metrics and warnings projected day by day over an athlete's planned days.

Not a second implementation: the report's own SQL (athlete_history, session_load, ewma_carry,
metrics_today, summary, warnings, risk) runs once over the done history up to `as_of` plus the planned
sessions after it, read in place of `activities` (queries/engine.reading). Each planned day is a
stand-in athlete whose history ends on that day (plan_projection.sql), so one run at the last planned
day gives every day's summary. Warnings become findings, one per code and ISO week (its first day at
the week's highest severity), with the planned sessions behind them; back-to-back hard days are added
(plan_hard_days.sql).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import pandas as pd

from ingest.errors import CrosstrainError
from queries import engine, warning_registry
from queries.params import Params, resolve
from queries.plan_done import SUPPORT
from queries.plan_rules import HARD_INTENSITIES, HARD_KEYWORDS, HARD_RPE, LONG_MIN_S
from queries.report import summaries, summary_json
from queries.warning_registry import SEVERITY_RANK

HARD_CODE = "back_to_back_hard"
JUMP_CODE = "run_volume_jump"
# Planned columns the plan import adds (migration 012: intensity, structure); null where the database
# has none yet.
PLANNED_EXTRAS = ("intensity", "structure")
# A planned session scores the athlete's own load per minute of the done sessions of its category and
# kind over this many days, once this many were done (crosstrain's convention, plan_sessions.sql: six
# weeks are the ACWR's 28 days and two more, so a plan starting after a light fortnight still reads the
# athlete's usual sessions; three is the fewest for a median to say something).
RATE_DAYS = 42
RATE_SESSIONS = 3


class NoPlanError(CrosstrainError):
    """The athlete has no planned session after the day the history ends."""


@dataclass
class Projection:
    """The projected days of one athlete's plan: summary rows and warnings per day, planned sessions."""

    athlete: str
    athlete_id: int
    as_of: date
    first: date
    last: date
    days: list[tuple[date, dict, list[dict]]]  # (day, summary row, warnings)
    sessions: list[dict]  # planned sessions after as_of, with planned_id
    hard_pairs: list[dict]
    first_done: date | None = None  # the athlete's first done session, None without history
    minutes: dict[date, float] | None = None  # minutes of done and planned sessions by local day


@cache
def plan_sql(name: str) -> str:
    """The text of `queries/plan_sql/<name>.sql` (DuckDB only, unlike queries/sql/)."""
    return resources.files("queries.plan_sql").joinpath(f"{name}.sql").read_text(encoding="utf-8")


def plan_materialise(con: duckdb.DuckDBPyConnection, name: str, values: dict[str, Any]) -> None:
    """Run plan_sql `name` into temp table `q_<name>`, reading the relations `engine.reading` names."""
    text = engine.render(plan_sql(name))
    con.execute(f"create or replace temp table q_{name} as {text}", engine.bind(text, values))


def planned_relation(con: duckdb.DuckDBPyConnection) -> None:
    """q_planned: the planned sessions (`planned_sessions`, or what engine.reading names instead) with
    the columns PLANNED_EXTRAS, null where the schema has none yet."""
    text = engine.render("select * from planned_sessions")
    have = {d[0] for d in con.execute(text + " limit 0").description}
    extra = "".join(f", cast(null as varchar) as {c}" for c in PLANNED_EXTRAS if c not in have)
    con.execute(
        f"create or replace temp table q_planned as {text.replace('select *', 'select *' + extra, 1)}"
    )


def plan_rates(con: duckdb.DuckDBPyConnection, params: Params, athlete_id: int, as_of: date) -> None:
    """q_plan_rates: the athlete's own load per minute by category (or light type) and kind
    (plan_rates.sql) over the done sessions of the RATE_DAYS days up to `as_of`, scored by the report's
    session_load.sql; it leaves q_scope holding the athlete (callers prepare their own scope after it)."""
    engine.prepare_scope(con, [athlete_id], params)
    engine.prepare_sessions(con, params, as_of - timedelta(days=RATE_DAYS - 1), as_of)
    values = {"athlete_id": athlete_id, "as_of": as_of, "days": RATE_DAYS, "min_sessions": RATE_SESSIONS}
    plan_materialise(con, "plan_rates", values)


def plan_span(con: duckdb.DuckDBPyConnection, athlete_id: int, as_of: date) -> tuple[date, date] | None:
    """First and last local day of the athlete's planned sessions after `as_of`, or None."""
    [row] = engine.fetch(
        con,
        """select min(start_local)::date as first, max(start_local)::date as last from planned_sessions
           where athlete_id = $athlete_id and start_local >= cast($as_of as date) + 1""",
        {"athlete_id": athlete_id, "as_of": as_of},
    )
    return None if row["first"] is None else (row["first"], row["last"])


def project(
    con: duckdb.DuckDBPyConnection,
    params: Params,
    athlete: str,
    as_of: date,
    span: tuple[date, date] | None = None,
    again: bool = False,
    athlete_id: int | None = None,
) -> Projection:
    """Every day from the first planned day after `as_of` (or `span`) to the last: the report's summary
    and warnings over the done history to `as_of` plus the plan. `again`: the connection holds a
    projection of the same athlete and span (only the planned sessions changed)."""
    if athlete_id is None:
        [athlete_id] = engine.athlete_ids(con, [athlete])
    span = span or plan_span(con, athlete_id, as_of)
    if span is None:
        raise NoPlanError(
            f"{athlete} has no planned sessions after {as_of}: import a plan (crosstrain plan import --help)"
        )
    first, last = max(span[0], as_of + timedelta(days=1)), span[1]
    planned_relation(con)
    if not again:  # the done history, so the rates, are the same for a second projection
        plan_rates(con, params, athlete_id, as_of)
    plan_materialise(con, "plan_sessions", {"athlete_id": athlete_id, "as_of": as_of})
    plan_materialise(con, "plan_files", {"hard_run_intensity": params.thresholds["hard_run_intensity"]})
    if not again:  # the days, stand-in athletes and keywords stay for a second projection of this span
        engine.use_threads(con, 1)
        con.execute(
            """create or replace temp table q_plan_days as
               select cast(d.day as date) as day,
                      cast(row_number() over (order by d.day) as integer) as projection_id
               from generate_series(?::date, ?::date, interval 1 day) as d (day)""",
            [first, last],
        )
        con.execute(
            """create or replace temp table q_plan_athletes as
               select a.* replace (d.projection_id as athlete_id)
               from athletes a cross join q_plan_days d where a.athlete_id = ?""",
            [athlete_id],
        )
        con.execute(
            "create or replace temp table q_hard_keywords as select unnest(?::varchar[]) as keyword",
            [list(HARD_KEYWORDS)],
        )
        with engine.reading(athletes="q_plan_athletes"):
            engine.prepare_scope(con, None, params)
    plan_materialise(con, "plan_projection", {"to": last})
    relations = {
        "activities": "q_plan_projection",
        "athletes": "q_plan_athletes",
        "activity_files": "q_plan_files",
    }
    with engine.reading(**relations):
        engine.prepare_sessions(con, params, last - timedelta(days=engine.LOOKBACK_DAYS), last)
        engine.prepare_today(con, params, last)
        rows, raised, by_category = summaries(con, params, last)
    days = []
    for row in rows:
        day = first + timedelta(days=row["athlete_id"] - 1)  # projection_id 1 is the first day
        shift = (last - day).days
        # Dates in the summary were moved with the history: move them back.
        fixed = {k: (v - timedelta(days=shift) if isinstance(v, date) else v) for k, v in row.items()}
        fixed["_counts"] = by_category.get(row["athlete_id"], {})  # 28-day (minutes, sessions) by category
        days.append((day, fixed, raised.get(row["athlete_id"], [])))
    days.sort(key=lambda d: d[0])
    sessions = engine.fetch(
        con,
        """select planned_id, cast(start_local as date) as day, start_local, sport_type, category, name,
                  coalesce(nullif(moving_s, 0), elapsed_s, 0) / 60.0 as minutes,
                  coalesce(distance_m, 0) / 1000.0 as distance_km, plan_rpe as rpe, rpe as load_rate,
                  plan_intensity as intensity,
                  plan_structure as structure
           from q_plan_sessions where planned_id is not null order by start_local, planned_id""",
    )
    con.execute(
        "create or replace temp table q_hard_intensities as select unnest(?::varchar[]) as intensity",
        [list(HARD_INTENSITIES)],
    )
    engine.materialise(
        con, "plan_hard_days", {"from": first, "to": last, "hard_rpe": HARD_RPE, "long_min_s": LONG_MIN_S}
    )
    hard = engine.fetch(con, "select * from q_plan_hard_days order by day")
    [(first_done,)] = con.execute(
        "select min(cast(start_local as date)) from q_plan_sessions where planned_id is null"
    ).fetchall()
    minutes = dict(
        con.execute(
            """select cast(start_local as date), sum(coalesce(nullif(moving_s, 0), elapsed_s, 0)) / 60.0
               from q_plan_sessions
               where start_local >= cast(? as date) - 14 and not coalesce(excluded, false)
               group by 1""",
            [first],
        ).fetchall()
    )
    return Projection(athlete, athlete_id, as_of, first, last, days, sessions, hard, first_done, minutes)


def session_json(s: dict) -> dict:
    """A planned session as findings and suggestions show it."""
    return {
        "date": s["day"].isoformat(),
        "planned_id": s["planned_id"],
        "type": s["sport_type"],
        "category": s["category"],
        "duration_min": round(float(s["minutes"]), 1),
        "distance_km": round(float(s["distance_km"]), 2),
        "name": s["name"],
    }


def _behind(code: str, day: date, sessions: list[dict]) -> list[dict]:
    """The planned sessions in the window warning `code` looks at on `day` (its registry entry says)."""
    plan = warning_registry.get(code).plan
    days, runs_only = plan.window_days, plan.runs_only
    start = day - timedelta(days=days - 1)
    return [
        session_json(s)
        for s in sessions
        if start <= s["day"] <= day and (not runs_only or s["category"] == "run")
    ]


# A warning over the last 7 days raised within 2 days of the week before's finding of it reads that
# week: it is that finding again unless this week raises it on a later day of its own (crosstrain's
# convention: 2 days, so the window holds at least 5 of the days the earlier finding read). Real
# calendars showed each such repeat (docs/plan_judgements.csv: "repeats the ... of").
CARRY_DAYS = 2
# The categories no_support_work looks for (strength or Pilates; warnings.sql), and those of the share.
STRENGTH = ("strength", "pilates")
# A planned race: the 14 days before it are its taper, the 7 after its recovery (crosstrain's
# convention after the usual 1-3 week taper, Mujika & Padilla 2003): load well below usual is the plan.
TAPER_DAYS, AFTER_RACE_DAYS = 14, 7
# A planned week at most this share of the 7 days before, with more planned in the 7 after, is a
# recovery week (crosstrain's convention: plans cut a recovery week by 20-40%). The same share between
# two calendar weeks of the plan (Monday to Sunday) is one too, whatever follows it: a recovery block
# of two light weeks, or a recovery week that the rolling 7 days cut across (docs/plan_judgements.csv,
# acwr_low re-read by hand: raxdne's and Behobia's every fourth week).
RECOVERY_SHARE = 0.85
# Two planned sessions on consecutive days, each hard only by being long (intensity "long", a plan RPE
# under HARD_RPE), are a back-to-back long weekend, not two hard days: ultramarathon plans prescribe them on
# purpose, to run long on tired legs (e.g. Koop 2016, Training Essentials for Ultrarunning; mmichelli's
# ultra plan: Saturday's long run and Sunday's, each week). That the hard/easy rule leaves them to the
# coach is crosstrain's convention (docs/plan_judgements.csv: 30 such findings judged false; a long run
# after intervals, a tempo, hills or a race stays a hard pair).
LONG_ONLY = "long"


def _rolling_codes() -> set[str]:
    return {w.code for w in warning_registry.REGISTRY if w.plan.window_days == 7}


def _planned_minutes(p: Projection, start: date, end: date) -> float:
    """Minutes of done and planned sessions from `start` to `end`."""
    by_day = p.minutes or {}
    return sum(float(m) for d, m in by_day.items() if start <= d <= end)


def _plan_week_minutes(p: Projection, monday: date) -> float:
    """Minutes of the plan's own sessions in the calendar week from `monday`."""
    return sum(float(s["minutes"]) for s in p.sessions if monday <= s["day"] <= monday + timedelta(days=6))


def _in_recovery_week(p: Projection, day: date) -> bool:
    """The 7 days to `day` hold sessions of a calendar week that the plan cuts to RECOVERY_SHARE of its
    own week before (both weeks the plan's, so a plan lighter than the athlete's history is no
    recovery; a Monday before a light week with nothing planned on it is still the week before)."""
    first_monday = engine.monday(p.first)
    start = day - timedelta(days=6)
    for monday in {engine.monday(start), engine.monday(day)}:
        before = monday - timedelta(days=7)
        if before < first_monday:
            continue
        held = any(max(start, monday) <= s["day"] <= min(day, monday + timedelta(days=6)) for s in p.sessions)
        week, previous = _plan_week_minutes(p, monday), _plan_week_minutes(p, before)
        if held and previous > 0 and week <= RECOVERY_SHARE * previous:
            return True
    return False


def _planned_share(p: Projection, day: date, categories: tuple[str, ...]) -> tuple[int, float]:
    """Sessions of `categories` the plan holds in the 7 days from `day`, and their share of its minutes."""
    week = [s for s in p.sessions if day <= s["day"] <= day + timedelta(days=6)]
    total = sum(float(s["minutes"]) for s in week)
    mine = [s for s in week if s["category"] in categories]
    return len(mine), (sum(float(s["minutes"]) for s in mine) / total if total else 0.0)


def _race_km(p: Projection, start: date, end: date) -> float:
    """Run km of the plan's longest race from `start` to `end`: one race is no training jump, but a
    week of "race days" is more than a race (mmichelli's week 48 writes RACE DAY, 56 km, on all 7 days:
    judged a true jump, the calendar's error for the coach to see)."""
    return max(
        (
            float(s["distance_km"])
            for s in p.sessions
            if s.get("intensity") == "race" and s["category"] == "run" and start <= s["day"] <= end
        ),
        default=0.0,
    )


def _jump(km: float, reference: float, params: Params) -> bool:
    """warnings.sql's run_volume_jump test of one week's `km` against its `reference` (the larger of the
    weeks before and the usual level)."""
    t = params.thresholds
    return (
        km >= t["run_jump_base_km"]
        and km > reference * (1 + t["run_jump_week"])
        and km - reference >= t["run_jump_min_km"]
    )


def _jumps_this_week(row: dict, params: Params) -> bool:
    """warnings.sql's first run_volume_jump branch on a day's row: the 7 days to it jump (not the week
    before's 7 days, the second branch)."""
    long_break = row.get("break_days") is not None and row["break_days"] >= params.thresholds["break_days"]
    reference = max(float(row.get("run_km_max_prev_7d") or 0), float(row.get("run_km_level_7d") or 0))
    return not long_break and _jump(float(row.get("run_km_7d") or 0), reference, params)


def _race_is_the_jump(p: Projection, row: dict, day: date, params: Params) -> bool:
    """A run volume jump that the plan's race makes: with the km of the race in the weeks that jumped
    taken out (_race_km), neither this week (the 7 days to `day`) nor the week before jumps. A race is
    no training jump (docs/plan_judgements.csv: a half marathon or marathon in the 7 days, judged false)."""
    races_7d = _race_km(p, day - timedelta(days=6), day)
    races_before = _race_km(p, day - timedelta(days=13), day - timedelta(days=7))
    if races_7d == 0 and races_before == 0:
        return False
    long_break = row.get("break_days") is not None and row["break_days"] >= params.thresholds["break_days"]
    reference = max(float(row.get("run_km_max_prev_7d") or 0), float(row.get("run_km_level_7d") or 0))
    this_week = not long_break and _jump(float(row.get("run_km_7d") or 0) - races_7d, reference, params)
    before = max(float(row.get("run_km_max_before_7d") or 0), float(row.get("run_km_level_before_7d") or 0))
    week_before = float(row.get("run_km_max_before_7d") or 0) > 0 and _jump(
        float(row.get("run_km_week_before") or 0) - races_before, before, params
    )
    return not this_week and not week_before


def _race_is_the_spike(p: Projection, row: dict, day: date, params: Params) -> bool:
    """An ACWR spike the plan's race makes: with the load of the 7 days' largest planned run race (its
    minutes at the load per minute it scores, plan_sessions.sql) taken out of the 7 and the 28 days'
    load, the rolling ratio (load_7d / (load_28d / 4)) is no spike. A planned race is the plan's peak,
    not an overload to fix (docs/plan_judgements.csv: a half marathon or marathon in the 7 days, 11
    judged false); one run race only, as _race_km (a cycling calendar's two Zwift races a week are its
    training: a spike with them judged true). The EWMA model's ratio is left as it is."""
    if params.acwr_model != "rolling":
        return False
    loads = [
        float(s["minutes"]) * float(s["load_rate"])
        for s in p.sessions
        if s.get("intensity") == "race"
        and s["category"] == "run"
        and s.get("load_rate")
        and day - timedelta(days=6) <= s["day"] <= day
    ]
    if not loads:
        return False
    t = params.thresholds
    acute = float(row.get("load_7d") or 0) - max(loads)
    chronic = (float(row.get("load_28d") or 0) - max(loads)) / 4
    return acute < t["acwr_min_acute_load"] or chronic <= 0 or acute / chronic <= t["acwr_high"]


def _planned_shape(p: Projection, code: str, day: date, params: Params, row: dict | None = None) -> bool:
    """True where the plan's own shape explains a warning the done-history rules can't know about:
    load well below usual in a race's taper or 7 days that reach into the days after it, in a planned
    recovery week (_in_recovery_week too), before a week the calendar leaves empty (a block's or a
    season's end) or as the plan winds down; a volume jump or a return from a break while the 28 days
    looked at reach before the athlete's first session (a plan's first weeks after a history of
    nothing); a support gap or share of the days before that the plan's own 7 days from the warning
    close (a strength or Pilates session; at least the support_share_low target of support minutes); a
    volume jump or an ACWR spike the plan's race makes (_race_is_the_jump, _race_is_the_spike)."""
    if code == "no_support_work":
        return _planned_share(p, day, STRENGTH)[0] > 0
    if code == "low_support_share":
        return _planned_share(p, day, SUPPORT)[1] >= params.thresholds["support_share_low"]
    if code == "run_volume_jump" and row is not None and _race_is_the_jump(p, row, day, params):
        return True
    if code == "acwr_spike" and row is not None and _race_is_the_spike(p, row, day, params):
        return True
    if code in ("run_volume_jump", "return_after_break", "acwr_spike"):
        return p.first_done is None and day < p.first + timedelta(days=28)
    if code != "acwr_low":
        return False
    races = [s["day"] for s in p.sessions if s.get("intensity") == "race"]
    # the taper before a race, or 7 days that reach into the AFTER_RACE_DAYS after one
    if any(0 <= (r - day).days <= TAPER_DAYS or 0 < (day - r).days < AFTER_RACE_DAYS + 7 for r in races):
        return True
    week = _planned_minutes(p, day - timedelta(days=6), day)
    before = _planned_minutes(p, day - timedelta(days=13), day - timedelta(days=7))
    after = _planned_minutes(p, day + timedelta(days=1), day + timedelta(days=7))
    if week == 0 and before + after > 0:
        return True  # a week the calendar leaves empty: a planned break, not a plan of low load
    if after == 0:
        return True  # the calendar's next 7 days are empty: a block or season that ends, a break ahead
    if (p.last - day).days < TAPER_DAYS and week < before:
        return True
    return (week <= RECOVERY_SHARE * before and after > week) or _in_recovery_week(p, day)


def _jump_said_before(day: date, row: dict, jumped: set[date], params: Params) -> bool:
    """A run volume jump raised only by the week before's 7 days (warnings.sql's second branch: "a jump
    stays in view for two weeks") whose 7 days, to `day` - 7, are within CARRY_DAYS of a plan day whose
    own 7 days jumped: the same days' jump, said (or explained by the plan's shape) then. The plan check
    lists each week, so the second week repeats it (docs/plan_judgements.csv: "repeats the week
    before's jump"); a jump first seen in the week before the plan starts is still said."""
    if _jumps_this_week(row, params):
        return False
    end = day - timedelta(days=7)
    return any(abs((end - d).days) <= CARRY_DAYS for d in jumped)


def _long_only(s: dict | None) -> bool:
    """A planned session hard only by being long (see LONG_ONLY)."""
    return s is not None and s.get("intensity") == LONG_ONLY and float(s.get("rpe") or 0) < HARD_RPE


def findings(p: Projection, params: Params) -> list[dict]:
    """One finding per warning code and ISO week of the plan, dated on the first day the week reaches
    its highest severity, with the planned sessions behind it; and one per back-to-back hard pair day.
    A 7-day warning the week before carries over its first CARRY_DAYS is that week's; a warning the
    plan's shape explains (_planned_shape) is none; two long sessions back to back are no hard pair
    (LONG_ONLY)."""
    rolling = _rolling_codes()
    best: dict[tuple[date, str], tuple[int, date, dict]] = {}
    # plan days whose own 7 days jumped (run_volume_jump's first branch), said or explained
    jumped = {
        day
        for day, row, warns in p.days
        if any(w["code"] == JUMP_CODE for w in warns) and _jumps_this_week(row, params)
    }
    for day, row, warns in p.days:  # p.days is in day order, so a week's finding is kept before the next's
        for w in warns:
            code = w["code"]
            if code == JUMP_CODE and _jump_said_before(day, row, jumped, params):
                continue
            if _planned_shape(p, code, day, params, row):
                continue
            monday = engine.monday(day)
            earlier = best.get((monday - timedelta(days=7), code))
            if code in rolling and earlier and (day - earlier[1]).days <= CARRY_DAYS:
                continue  # the week before's finding again (its 7 days are mostly that week's)
            key = (monday, code)
            rank = SEVERITY_RANK.get(w["severity"], 1)
            if key not in best or rank > best[key][0]:
                best[key] = (rank, day, row)
    found = []
    for (_, code), (rank, day, row) in best.items():
        severity = next(s for s, r in SEVERITY_RANK.items() if r == rank)
        found.append(
            {
                "date": day.isoformat(),
                "code": code,
                "severity": severity,
                "message": warning_registry.message(code, row, params.thresholds),
                "sessions": _behind(code, day, p.sessions),
            }
        )
    by_id = {s["planned_id"]: s for s in p.sessions}
    pairs: dict[date, list] = {}
    for pair in p.hard_pairs:
        if _long_only(by_id.get(pair["first_planned_id"])) and _long_only(
            by_id.get(pair["second_planned_id"])
        ):
            continue  # a back-to-back long weekend, the plan's own shape
        ids = pairs.setdefault(pair["day"], [])
        for key in ("first_planned_id", "second_planned_id"):
            if pair[key] is not None and pair[key] not in ids:
                ids.append(pair[key])
    for day, ids in pairs.items():
        behind = [session_json(by_id[i]) for i in ids if i in by_id]
        found.append(
            {
                "date": day.isoformat(),
                "code": HARD_CODE,
                "severity": "warn",
                "message": (
                    f"Hard sessions on {(day - timedelta(days=1)).strftime('%a %d %b')} and "
                    f"{day.strftime('%a %d %b')}, back to back: follow a hard day with an easy one "
                    f"(hard: RPE {HARD_RPE:.0f}+ or intervals, tempo, hills, a race, a long run)."
                ),
                "sessions": behind,
            }
        )
    found.sort(
        key=lambda f: (f["date"], -SEVERITY_RANK[f["severity"]], warning_registry.get(f["code"]).order)
    )
    return found


def check(
    con: duckdb.DuckDBPyConnection,
    athlete: str,
    as_of: date | None = None,
    settings: dict[str, Any] | None = None,
) -> dict:
    """The SPEC's `plan check` JSON: findings over the planned days and every day's projected summary."""
    params = resolve(settings)
    p = project(con, params, athlete, as_of or date.today())
    return check_json(p, params)


def check_or_none(
    con: duckdb.DuckDBPyConnection, athlete: str, as_of: date, settings: dict[str, Any] | None = None
) -> dict | None:
    """`check`, or None for an athlete without a plan (what the overview's plan column stores)."""
    try:
        return check(con, athlete, as_of, settings)
    except NoPlanError:
        return None


def check_json(p: Projection, params: Params) -> dict:
    return {
        "athlete": p.athlete,
        "from": p.first.isoformat(),
        "to": p.last.isoformat(),
        "findings": findings(p, params),
        "days": [{"date": day.isoformat(), **summary_json(row, row["_counts"])} for day, row, _ in p.days],
    }


def projected_series(
    con: duckdb.DuckDBPyConnection,
    athlete: str,
    as_of: date,
    weeks_back: int = 8,
    settings: dict[str, Any] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The charts' numbers continued into the plan: weekly balance (long format: week, category,
    minutes, planned_minutes (the part of minutes still planned), sessions, run_km, load) and daily
    metrics (day, load, monotony, strain, acwr, fitness, fatigue, form, support_share) from
    `weeks_back` weeks before `as_of` to the plan's last day, by the report's SQL over the done
    history to `as_of` plus the planned sessions after it."""
    params = resolve(settings)
    [athlete_id] = engine.athlete_ids(con, [athlete])
    span = plan_span(con, athlete_id, as_of)
    end = span[1] if span else as_of
    start = engine.monday(as_of) - timedelta(weeks=weeks_back - 1)
    engine.use_threads(con, 1)
    planned_relation(con)
    plan_rates(con, params, athlete_id, as_of)
    plan_materialise(con, "plan_sessions", {"athlete_id": athlete_id, "as_of": as_of})
    with engine.reading(activities="q_plan_sessions"):
        engine.prepare_scope(con, [athlete_id], params)
        engine.prepare_sessions(con, params, engine.EPOCH, end)
        engine.prepare_metrics(con, params, start, end)
        engine.materialise(con, "weekly_balance", {"start": start, "end": end})
    weekly = con.execute(
        """with planned as (
               select cast(date_trunc('week', start_local) as date) as week, category,
                      sum(coalesce(nullif(moving_s, 0), elapsed_s, 0)) / 60.0 as minutes
               from q_plan_sessions where planned_id is not null
               group by 1, 2
           )
           select b.week, b.category, b.minutes, coalesce(p.minutes, 0) as planned_minutes, b.sessions,
                  b.run_km, b.load
           from q_weekly_balance b left join planned p on p.week = b.week and p.category = b.category
           order by b.week, b.category_order"""
    ).df()
    daily = con.execute(
        """select day, load, monotony, strain, acwr, fitness, fatigue, form, support_share from q_metrics
           where day between ? and ? order by day""",
        [start, end],
    ).df()
    return weekly, daily
