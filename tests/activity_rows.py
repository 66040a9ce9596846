"""Test helper: write activities to a real DuckDB file through the one write path (ingest.database.store)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from ingest.database import store
from ingest.database.db import connect

DEFAULTS: dict[str, Any] = {
    "source": "generic",
    "strava_id": None,
    "has_time": True,
    "name": None,
    "description": None,
    "moving_s": None,
    "elapsed_s": None,
    "distance_m": None,
    "elevation_gain_m": None,
    "avg_hr": None,
    "max_hr": None,
    "rpe": None,
    "relative_effort": None,
    "raw": None,
}

TYPES = {
    "athlete_id": "integer",
    "source": "varchar",
    "source_id": "varchar",
    "strava_id": "bigint",
    "start_at": "timestamp",
    "start_local": "timestamp",
    "has_time": "boolean",
    "sport_type": "varchar",
    "name": "varchar",
    "description": "varchar",
    "moving_s": "double",
    "elapsed_s": "double",
    "distance_m": "double",
    "elevation_gain_m": "double",
    "avg_hr": "double",
    "max_hr": "double",
    "rpe": "double",
    "relative_effort": "double",
    "raw": "json",
}


def write(db: Path, athlete: str, rows: list[dict[str, Any]], timezone: str | None = None) -> None:
    """Store `rows` for `athlete`. Each row needs start_local (datetime or ISO string) and sport_type;
    start_at defaults to start_local (UTC athletes); minutes= sets moving_s; km= sets distance_m."""
    with connect(db) as con:
        con.execute("begin transaction")
        athlete_id = store.ensure_athlete(con, athlete, timezone=timezone)
        cols = ", ".join(f"{c} {t}" for c, t in TYPES.items())
        con.execute(f"create or replace temp table staged ({cols})")
        staged = []
        for i, row in enumerate(rows):
            row = dict(row)
            local = row.pop("start_local")
            local = datetime.fromisoformat(local) if isinstance(local, str) else local
            start_at = row.pop("start_at", local)
            start_at = datetime.fromisoformat(start_at) if isinstance(start_at, str) else start_at
            if "minutes" in row:
                row["moving_s"] = row.pop("minutes") * 60
            if "km" in row:
                row["distance_m"] = row.pop("km") * 1000
            full = (
                DEFAULTS
                | {
                    "athlete_id": athlete_id,
                    "source_id": f"{athlete}-{local.isoformat()}-{i}",
                    "start_at": start_at,
                    "start_local": local,
                }
                | row
            )
            staged.append([full[c] for c in TYPES])
        if staged:
            con.executemany(f"insert into staged values ({', '.join('?' * len(TYPES))})", staged)
        store.write_activities(con, "staged", None, {})
        con.execute("commit")
