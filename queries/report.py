"""The balance report for one athlete and the coach's comparison of all athletes (SPEC "Report JSON")."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ingest.categories import CATEGORIES
from queries import engine, files, warning_registry
from queries.params import Params, resolve
from queries.plan_done import plan_vs_done

WINDOW_DAYS = 28
REPORT_WEEKS = 12
# How many names of unlabelled sessions a message lists (the most frequent first).
UNLABELLED_NAMES = 5


def _num(value: Any, digits: int) -> float | None:
    """A rounded float, or None for a missing or non-finite value (never NaN or inf in the JSON).

    Rounded to 9 decimals first: a sum added in another order (Spark, more threads) differs in its last
    bits, and 1822.5499999999998 against 1822.5500000000002 must not print as 1822.5 and 1822.6.
    That first rounding moves a value by less than 1e-9, so it can change the result only for a value
    that close to a midpoint of `digits` decimals ((k + 0.5) / 10^digits): any other value is rounded
    once, to the same float (round is correctly rounded; ~0.55x the time, and the overview rounds ~12,000
    values).
    """
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    scaled = value * _SCALE[digits]
    # |value| < 1e6: the product's error (< 1e-6) is far below the margin, which is far above 1e-9
    if -1e6 < value < 1e6 and abs(scaled - math.floor(scaled) - 0.5) > 1e-4:
        return round(value, digits)
    return round(round(value, 9), digits)


_SCALE = (1.0, 10.0, 100.0, 1000.0)  # 10^digits


# What a compare row reads of a summary row (_summary_json, _order_key, the warnings' athlete): the
# overview fetches these of risk.sql's ~60 columns for 1,000 athletes, not all (~7 ms CPU less).
COMPARE_COLUMNS = (
    "athlete_id", "athlete", "run_km", "support_share", "strength_sessions_per_week", "days_since_support",
    "monotony", "strain", "acwr", "fitness", "fatigue", "form", "last_activity", "active", "risk",
    "risk_rank",
)  # fmt: skip


Cells = dict[int, dict[str, tuple[float, int]]]


@dataclass(frozen=True)
class Aside:
    """What `compare_rows` can take made elsewhere, each from the scope's stored rows (the cold
    overview's second cursor: frames.overview_apart): the 28-day cells by category (`category_cells`)
    and the hip sets (files.hip_sets)."""

    cells: Cells
    hips: dict[int, int]


def _summaries(
    con: engine.Con,
    params: Params,
    as_of: date,
    columns: tuple[str, ...] | None = None,
    cells: Callable[[], Cells] | None = None,
    given: dict[str, engine.Given] | None = None,
) -> tuple[list[dict], dict[int, list[dict]], Cells]:
    """Summary rows of the scope at `as_of` (active first, highest risk first), their warnings by
    athlete id (in the registry's order), and their 28-day (minutes, sessions) by category (only the
    categories with a session: `_by_category` zero-fills). Each row carries `unlabelled_names`: (name,
    sessions) of its unlabelled sessions, the most frequent first. `columns`: only these of each
    summary row (COMPARE_COLUMNS: a compare row, without the unlabelled names it does not show).
    `cells`: gives the cells by category made elsewhere (`category_cells` on the overview's second
    cursor), else they are read here; `given`: the rows of steps the summary reads (run_level) made
    elsewhere, by step (engine.ensure's `given`: the overview's second cursor)."""
    files.zones(con)
    values, stored = summary_values(params, as_of), engine.stored_path(con, params)
    for step, rows in (given or {}).items():
        engine.ensure(con, step, values, stored, rows)
    engine.ensure(con, "summary", values, stored)
    engine.ensure(con, "warnings", params.thresholds)
    risk = (
        engine.sql("risk")
        if columns is None
        else f"select {', '.join(columns)} from (\n{engine.sql('risk')}\n)"
    )
    rows = sorted(engine.fetch(con, risk, params.thresholds), key=_order_key)
    raised: dict[int, list[dict]] = {}
    for w in engine.fetch(con, "select * from q_warnings"):
        raised.setdefault(w["athlete_id"], []).append(w)
    for found in raised.values():
        found.sort(key=warning_registry.sort_key)
    names: dict[int, list[tuple[str, int]]] = {}
    # the names of the sessions summary.sql counts as unlabelled (the same join): none counted, none read
    if columns is None and any(row["unlabelled_sessions"] for row in rows):
        for n in engine.fetch(con, engine.sql("unlabelled_window"), {"as_of": as_of}):
            names.setdefault(n["athlete_id"], []).append((n["name"], int(n["sessions"])))
    for row in rows:
        found = sorted(names.get(row["athlete_id"], []), key=lambda x: (-x[1], x[0]))
        row["unlabelled_names"] = found[:UNLABELLED_NAMES]
    return rows, raised, category_cells(con, as_of) if cells is None else cells()


def summary_values(params: Params, as_of: date) -> dict[str, Any]:
    """The parameters of the summary step and the steps it reads (run_level)."""
    return {**params.thresholds, "as_of": as_of, "pace_outlier": params.thresholds["variety_pace_outlier"]}


def category_cells(con: engine.Con, as_of: date, stored: bool | str = False) -> Cells:
    """Each scope athlete's 28-day (minutes, sessions) by category, the categories with a session only
    (category_window.sql over q_session_load; on the `stored` path, see frames.weeks_path, over the
    stored session rows of those days, read in place: no q_session_load needed). A category outside
    ingest/categories.py would have a cell here that `_by_category` leaves out, as the zero-filled grid
    of the categories did."""
    window = engine.sql("category_window")
    values: dict[str, Any] = {"as_of": as_of}
    if stored:
        window = engine.stored_sessions(window, stored, "window_start", "as_of")
        values["window_start"] = as_of - timedelta(days=WINDOW_DAYS - 1)
    by_category: Cells = {}
    for c in engine.fetch(con, window, values):
        by_category.setdefault(c["athlete_id"], {})[c["category"]] = (c["minutes"], c["sessions"])
    return by_category


def thresholds(params: Params) -> dict[str, Any]:
    """The thresholds in force, as the report returns them (the dashboard draws its reference lines
    from these): every [thresholds] value under its own name, plus `support_share_target` (the share
    below which low_support_share warns) and `acwr_model`."""
    return {
        "support_share_target": params.thresholds["support_share_low"],
        **params.thresholds,
        "acwr_model": params.acwr_model,
    }


def _by_category(
    counts: dict[str, tuple[float, int]], minutes: dict[str, float | None] | None = None
) -> dict[str, dict]:
    """Minutes and sessions of every category, zero where `counts` has none (0.0 and 0: what the
    rounding of a zero gives, without 1,000 athletes x the empty categories' rounding). `minutes`:
    the minutes of `counts` already rounded (`_summaries_json`, by column), else rounded here."""
    if minutes is None:
        minutes = {c: _num(m, 1) for c, (m, _) in counts.items()}
    return {
        "minutes": {c: minutes[c] if c in counts else 0.0 for c in CATEGORIES},
        "sessions": {c: int(counts[c][1]) if c in counts else 0 for c in CATEGORIES},
    }


def _summary_json(
    s: dict,
    counts: dict[str, tuple[float, int]],
    rounded: dict[str, float | None] | None = None,
    minutes: dict[str, float | None] | None = None,
) -> dict:
    """A summary row as the JSON gives it. `rounded` and `minutes`: its `_ROUNDED` fields and its
    categories' minutes already rounded (`_summaries_json`, by column), else rounded here."""
    if rounded is None:
        rounded = {name: _num(s[name], digits) for name, digits in _ROUNDED}
    last = s["last_activity"]
    return {
        "window_days": WINDOW_DAYS,
        **_by_category(counts, minutes),
        "run_km": rounded["run_km"],
        "support_share": rounded["support_share"],
        "strength_sessions_per_week": rounded["strength_sessions_per_week"],
        "days_since_support": None if s["days_since_support"] is None else int(s["days_since_support"]),
        "monotony": rounded["monotony"],
        "strain": rounded["strain"],
        "acwr": rounded["acwr"],
        "fitness": rounded["fitness"],
        "fatigue": rounded["fatigue"],
        "form": rounded["form"],
        "hip_sets": s.get("hip_sets"),
        "last_activity": None if last is None else last.isoformat(),
        "active": bool(s["active"]),
        "risk": s["risk"],
    }


# _summary_json's rounded fields and their decimals (_summaries_json rounds them by column)
_ROUNDED = (
    ("run_km", 2), ("support_share", 3), ("strength_sessions_per_week", 2), ("monotony", 2), ("strain", 1),
    ("acwr", 2), ("fitness", 1), ("fatigue", 1), ("form", 1),
)  # fmt: skip
# From how many rows _summaries_json rounds by column (numpy's fixed cost per column: ~10 us)
_BY_COLUMN = 50


def _summaries_json(rows: list[dict], counts: list[dict[str, tuple[float, int]]]) -> list[dict]:
    """[_summary_json(s, c) for s, c in zip(rows, counts)], equal to it value for value, with the
    rounding done by column (`_nums`): the cold overview's 1,000 rows round ~12,000 values, ~2/3 of
    their Python time one by one (bench/README.md, "the compare rows' Python")."""
    if len(rows) < _BY_COLUMN:
        return [_summary_json(s, c) for s, c in zip(rows, counts, strict=True)]
    columns = {name: _nums([s[name] for s in rows], digits) for name, digits in _ROUNDED}
    # the minutes of the categories with a session (the others are 0.0, as _by_category gives them)
    cells = [(i, c, m) for i, found in enumerate(counts) for c, (m, _) in found.items()]
    minutes: list[dict[str, float | None]] = [{} for _ in rows]
    for (i, c, _), m in zip(cells, _nums([m for _, _, m in cells], 1), strict=True):
        minutes[i][c] = m
    return [
        _summary_json(s, counts[i], {name: column[i] for name, column in columns.items()}, minutes[i])
        for i, s in enumerate(rows)
    ]


def _nums(values: list[Any], digits: int) -> list[float | None]:
    """[_num(v, digits) for v in values], the same floats, by column: where `_num` rounds once (|v| <
    1e6, v * 10^digits not within 1e-4 of a half) its result is the double nearest k / 10^digits, k
    the nearest integer to v * 10^digits (the product's error, < 1.2e-7, cannot move k across the
    margin; k and 10^digits are exact doubles and IEEE division is correctly rounded), signed as v
    (round(-0.04, 1) is -0.0); every other value (None, NaN, near a half) goes through `_num`."""
    import numpy as np

    x = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    scale = _SCALE[digits]
    scaled = x * scale
    with np.errstate(invalid="ignore"):
        once = (np.abs(x) < 1e6) & (np.abs(scaled - np.floor(scaled) - 0.5) > 1e-4)
    out = np.copysign(np.rint(scaled) / scale, x).tolist()
    for i in np.flatnonzero(~once).tolist():
        out[i] = _num(values[i], digits)
    return out


def _weeks(con: engine.Con, first_week: date, as_of: date) -> dict[int, list[dict]]:
    """Each scope athlete's report weeks from `first_week` by athlete id: weekly_report.sql's rows with
    q_weekly_balance's minutes and sessions, and the minutes at low, moderate and high intensity from
    activity files (null without)."""
    by_week: dict[tuple[int, date], dict[str, tuple[float, int]]] = {}
    for r in engine.fetch(con, "select athlete_id, week, category, minutes, sessions from q_weekly_balance"):
        by_week.setdefault((r["athlete_id"], r["week"]), {})[r["category"]] = (r["minutes"], r["sessions"])
    intensity = files.weekly_intensity(con)
    weeks: dict[int, list[dict]] = {}
    order = "\norder by athlete_id, week"
    for w in engine.fetch(con, engine.sql("weekly_report") + order, {"start": first_week, "end": as_of}):
        key = (w["athlete_id"], w["week"])
        weeks.setdefault(w["athlete_id"], []).append(
            {
                "week": w["week"].isoformat(),
                **_by_category(by_week.get(key, {})),
                "run_km": _num(w["run_km"], 2),
                "load": _num(w["load"], 1),
                "monotony": _num(w["monotony"], 2),
                "strain": _num(w["strain"], 1),
                "intensity": (
                    {k: round(v, 1) for k, v in intensity[key].items()} if key in intensity else None
                ),
            }
        )
    return weeks


def report(con: engine.Con, athlete: str, as_of: date | None, settings: dict[str, Any] | Params) -> dict:
    """The SPEC's report for `athlete`: 28-day summary, the last 12 ISO weeks, warnings with advice,
    and the `thresholds` in force.

    Every window ends on `as_of` (None: today). `settings`: the parsed settings file ({} for the
    defaults; nothing here reads a file). Unknown athlete: UnknownAthleteError.
    """
    return reports(con, [athlete], as_of, settings)[0]


def reports(
    con: engine.Con, athletes: list[str], as_of: date | None, settings: dict[str, Any] | Params
) -> list[dict]:
    """`report` of each of `athletes`, in their order, from one pass: each step runs once over all of
    them (the compare page's two athletes cost about one report, not two), each report equal to its
    own call's."""
    params = resolve(settings)
    as_of = as_of or date.today()
    engine.check_days(as_of)
    with engine.request(con):
        return _reports(con, athletes, as_of, params)


def _reports(con: engine.Con, athletes: list[str], as_of: date, params: Params) -> list[dict]:
    ids = engine.athlete_ids(con, athletes)
    first_week = engine.monday(as_of) - timedelta(weeks=REPORT_WEEKS - 1)
    engine.use_threads(con, 1)
    engine.prepare_scope(con, ids, params)
    engine.prepare_sessions(con, params, engine.EPOCH, as_of)
    engine.prepare_metrics(con, params, first_week, as_of)
    rows, raised, by_category = _summaries(con, params, as_of)
    engine.ensure(con, "weekly_balance", {"start": first_week, "end": as_of})
    # Activity files: hip and glute sets, each week's minutes in Seiler's three intensity zones.
    hips = files.hip_sets(con, as_of)
    weeks = _weeks(con, first_week, as_of)
    by_id = {s["athlete_id"]: s for s in rows}
    out = []
    for athlete_id in ids:
        summary = dict(by_id[athlete_id], hip_sets=hips.get(athlete_id))
        one = {
            "athlete": summary["athlete"],
            "as_of": as_of.isoformat(),
            "summary": _summary_json(summary, by_category.get(athlete_id, {})),
            "weeks": weeks.get(athlete_id, []),
            "warnings": [
                {
                    "code": w["code"],
                    "severity": w["severity"],
                    "message": warning_registry.message(w["code"], summary, params.thresholds),
                    "advice": warning_registry.get(w["code"]).advice,
                }
                for w in raised.get(athlete_id, [])
            ],
            "thresholds": thresholds(params),
        }
        # planned against done, where the athlete has a plan (queries/plan_done.py)
        if (plan := plan_vs_done(con, athlete_id, first_week, as_of, params)) is not None:
            one["plan"] = plan
        out.append(one)
    return out


def compare(con: engine.Con, as_of: date | None, settings: dict[str, Any] | Params) -> dict:
    """The SPEC's compare JSON: one row per athlete (summary fields + warning codes), active athletes
    first (highest risk first, then lowest support share, then name), then the inactive ones (most
    recently active first); plus the `thresholds` in force. `settings` as for `report`."""
    params = resolve(settings)
    as_of = as_of or date.today()
    engine.check_days(as_of)
    return compare_scope(con, params, as_of, as_of - timedelta(days=engine.LOOKBACK_DAYS))


def compare_scope(con: engine.Con, params: Params, as_of: date, sessions_from: date) -> dict:
    """`compare` with q_session_load left holding every athlete's sessions from `sessions_from` (or the
    28-day window's first day, if earlier) to `as_of`, for a caller that reads more (frames.overview)."""
    rows = compare_rows(con, params, as_of, sessions_from)
    return compare_json(as_of, [row for _, _, row in rows], params)


def compare_json(as_of: date, rows: list[dict], params: Params) -> dict:
    """The compare JSON around its rows (already in order)."""
    return {"as_of": as_of.isoformat(), "athletes": rows, "thresholds": thresholds(params)}


def compare_rows(
    con: engine.Con,
    params: Params,
    as_of: date,
    sessions_from: date,
    ids: list[int] | None = None,
    aside: Callable[[], Aside] | None = None,
    given: dict[str, engine.Given] | None = None,
) -> list[tuple[int, tuple, dict]]:
    """`compare`'s rows of the athletes `ids` (None: all) in its order, each as (athlete id, sort key,
    row): sorting rows of several calls by the key gives the order one call over all of them gives
    (`_order_key`), so a caller can recompute some athletes only (queries/overview_cache.py).
    q_session_load is left as for compare_scope. `aside`: gives the parts made elsewhere (Aside),
    called when they are needed; `given`: steps' rows made elsewhere by step ("ewma_carry": for
    engine.prepare_today; "run_level": for the summary; engine.ensure's `given`)."""
    with engine.request(con):
        return _compare_rows(con, params, as_of, sessions_from, ids, aside, given or {})


def _compare_rows(
    con: engine.Con,
    params: Params,
    as_of: date,
    sessions_from: date,
    ids: list[int] | None,
    aside: Callable[[], Aside] | None,
    given: dict[str, engine.Given],
) -> list[tuple[int, tuple, dict]]:
    engine.use_threads(con)
    engine.prepare_scope(con, ids, params)
    # Only the 28-day windows read sessions; the EWMAs carry the older history in one pass.
    engine.prepare_sessions(
        con, params, min(sessions_from, as_of - timedelta(days=engine.LOOKBACK_DAYS)), as_of
    )
    engine.prepare_today(con, params, as_of, given.get("ewma_carry"))
    cells = None if aside is None else (lambda: aside().cells)
    read = {step: rows for step, rows in given.items() if step == "run_level"}
    rows, raised, by_category = _summaries(con, params, as_of, COMPARE_COLUMNS, cells, read)
    hips = files.hip_sets(con, as_of) if aside is None else aside().hips
    for s in rows:
        s["hip_sets"] = hips.get(s["athlete_id"])
    summaries = _summaries_json(rows, [by_category.get(s["athlete_id"], {}) for s in rows])
    return [
        (
            s["athlete_id"],
            _order_key(s),
            {
                "athlete": s["athlete"],
                **summary,
                "warnings": [w["code"] for w in raised.get(s["athlete_id"], [])],
            },
        )
        for s, summary in zip(rows, summaries, strict=True)
    ]


def _order_key(s: dict) -> tuple:
    """The order of the summary rows (compare's, the overview's): risk_rank desc, support share (active
    athletes; nulls last), last_activity desc nulls last, name (by code point, as SQL orders UTF-8)."""
    share = s["support_share"] if s["active"] and s["support_share"] is not None else math.inf
    last = -s["last_activity"].toordinal() if s["last_activity"] is not None else math.inf
    return (-s["risk_rank"], share, last, s["athlete"])


# The same summary, warnings and JSON over a projected plan (queries/plan.py).
summaries = _summaries
summary_json = _summary_json
