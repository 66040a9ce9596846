"""One athlete's stored activities with the load the report gives each (`crosstrain activities list`)."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

import duckdb

from queries import engine, files
from queries.params import resolve

SQL = resources.files("queries").joinpath("activities.sql").read_text(encoding="utf-8")
LAST_DAY = date(9999, 12, 30)


def activities(
    con: duckdb.DuckDBPyConnection,
    athlete: str,
    *,
    start: date | None = None,
    end: date | None = None,
    category: str | None = None,
    settings: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Every stored activity of `athlete` with local day in [start, end], oldest first, as JSON-ready dicts
    (SPEC: id, athlete, start_local, type, category, minutes, distance_km, rpe, avg_hr, load, source,
    twin_of, excluded, excluded_reason, plus name and what activity files add: timezone, load_source,
    zones_s, structure, exercises). Unknown athlete: UnknownAthleteError.

    `load` comes from session_load.sql run as a report of today (or of the last activity, if later)
    runs it, so it is the number the report adds up; null for rows that count in no metric.
    """
    params = resolve(settings)
    [athlete_id] = engine.athlete_ids(con, [athlete])
    last = con.execute(
        "select max(start_local)::date from activities where athlete_id = ?", [athlete_id]
    ).fetchone()[0]
    report_day = max(date.today(), last or date.today())
    engine.use_threads(con, 1)
    engine.prepare_scope(con, [athlete_id], params)
    engine.prepare_sessions(con, params, start or engine.EPOCH, report_day)
    rows = engine.fetch(
        con,
        SQL,
        {
            "athlete_id": athlete_id,
            "from": start or engine.EPOCH,
            "to": end or LAST_DAY,
            "category": category,
        },
    )
    from_files = files.activity_fields(con)
    return [_json(r) | _file_fields(from_files.get(r["id"])) for r in rows]


def _file_fields(found: dict[str, Any] | None) -> dict[str, Any]:
    """What activity files add (issue 12): timezone, load_source, zones_s, structure, exercises."""
    found = found or {}
    return {
        "timezone": found.get("timezone"),
        "load_source": found.get("load_source"),
        "zones_s": [round(float(s), 1) for s in found["zones_s"]] if found.get("zones_s") else None,
        "structure": found.get("structure"),
        "exercises": found.get("exercises") or [],
    }


def _json(r: dict[str, Any]) -> dict[str, Any]:
    start = r.pop("start_local")
    has_time = r.pop("has_time")
    return {
        "id": r["id"],
        "athlete": r["athlete"],
        "start_local": start.isoformat() if has_time else start.date().isoformat(),
        "type": r["type"],
        "category": r["category"],
        "name": r["name"],
        "minutes": _round(r["minutes"], 1),
        "distance_km": _round(r["distance_km"], 2),
        "rpe": r["rpe"],
        "avg_hr": r["avg_hr"],
        "load": _round(r["load"], 1),
        "source": r["source"],
        "twin_of": r["twin_of"],
        "excluded": bool(r["excluded"]),
        "excluded_reason": r["excluded_reason"] if r["excluded"] else None,
    }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)
