"""Planned against done (the report's `plan` key and the plan page), and the stored plan checks the
coach overview shows.

Per past week holding planned sessions: planned and done minutes and sessions by category, the planned
sessions missed (plan_missed.sql: matched by day and category), and how many of them were support work
(strength, Pilates, mobility) skipped.
"""

from __future__ import annotations

from datetime import date

import duckdb

from ingest.categories import CATEGORIES
from queries import engine
from queries.params import CATEGORY_ROLES, Params

# the categories that count toward the support share (queries/params.py decides)
SUPPORT = tuple(c for c in CATEGORIES if CATEGORY_ROLES[c].get("support_share"))


def has_plan(con: engine.Con, athlete_id: int) -> bool:
    query = "select count(*) as n from planned_sessions where athlete_id = $athlete_id"
    return engine.fetch(con, query, {"athlete_id": athlete_id})[0]["n"] > 0


def plan_vs_done(con: engine.Con, athlete_id: int, start: date, end: date, params: Params) -> dict | None:
    """Planned against done for the weeks from the one holding `start` to `end` (days after `end` are
    not past), and how many planned sessions lie ahead; None when the athlete has no plan at all.
    Reads q_scope (holding the athlete, and maybe others); done minutes from q_session_load (the
    minutes each session counts), made here unless the request holds it for those days already."""
    if not has_plan(con, athlete_id):
        return None
    engine.prepare_sessions(con, params, engine.monday(start), end)
    engine.materialise(con, "plan_missed", {"start": engine.monday(start), "end": end})
    # (q_scope may hold more athletes than this one: `reports` of the compare page)
    rows = engine.fetch(
        con,
        f"select * from (\n{engine.sql('plan_vs_done')}\n) as p where athlete_id = $athlete_id"
        "\norder by week, category_order",
        {"end": end, "athlete_id": athlete_id},
    )
    missed = engine.fetch(
        con,
        """select * from q_plan_missed where missed and athlete_id = $athlete_id
           order by start_local, planned_id""",
        {"athlete_id": athlete_id},
    )
    weeks: dict[date, dict] = {}
    for r in rows:
        w = weeks.setdefault(
            r["week"],
            {
                "week": r["week"].isoformat(),
                "planned": {"minutes": {}, "sessions": {}},
                "done": {"minutes": {}, "sessions": {}},
                "missed": [],
                "skipped_support": 0,
            },
        )
        c = r["category"]
        w["planned"]["minutes"][c] = round(float(r["planned_minutes"]), 1)
        w["planned"]["sessions"][c] = int(r["planned_sessions"])
        w["done"]["minutes"][c] = round(float(r["done_minutes"]), 1)
        w["done"]["sessions"][c] = int(r["done_sessions"])
        if c in SUPPORT:
            w["skipped_support"] += int(r["missed_sessions"])
    for m in missed:
        weeks[m["week"]]["missed"].append(
            {
                "date": m["day"].isoformat(),
                "type": m["sport_type"],
                "category": m["category"],
                "duration_min": round(float(m["minutes"]), 1),
                "name": m["name"],
            }
        )
    ahead = con.execute(
        "select count(*) from planned_sessions where athlete_id = ? and start_local >= ?::date + 1",
        [athlete_id, end],
    ).fetchone()[0]
    assert all(set(w["planned"]["minutes"]) == set(CATEGORIES) for w in weeks.values())
    return {"weeks": list(weeks.values()), "sessions_ahead": int(ahead)}


def stored_checks(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Every athlete's last stored plan check, counted: {name: {"as_of", "to", "high", "warn",
    "first"}} (the findings themselves stay in the database: the overview needs only the counts)."""
    rows = con.execute(
        """select a.name, c.as_of, c.last_day, c.high_findings, c.warn_findings, c.first_finding
           from plan_checks c join athletes a on a.athlete_id = c.athlete_id"""
    ).fetchall()
    return {
        name: {"as_of": as_of, "to": last, "high": high, "warn": warn, "first": first}
        for name, as_of, last, high, warn, first in rows
    }


def findings_text(check: dict | None) -> str:
    """A short line for the overview: '2 high, 1 warn from 04 Nov' ('' without a plan)."""
    if check is None:
        return ""
    if not check["high"] and not check["warn"]:
        return f"clean to {check['to']:%d %b}"
    counts = [f"{check[s]} {s}" for s in ("high", "warn") if check[s]]
    return f"{', '.join(counts)} from {check['first']:%d %b}"


__all__ = ["findings_text", "plan_vs_done", "stored_checks"]
