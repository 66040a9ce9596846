"""`crosstrain plan import`: a coach's planned sessions into `planned_sessions`, apart from done ones.

A plan is a generic CSV (`date,type,duration` and the optional columns, read by the generic format's
own parse and reject reporting, ingest/csv_import.read_rows) or an iCalendar file (ingest/plans_ics.py).
Types become categories through the same rules as activities (ingest/categories.py). Importing a plan
again replaces the athlete's planned sessions from the first to the last day the file plans; each file
is one transaction, so a failure halfway leaves the plan as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from ingest import categories, store
from ingest.csv_import import TEMP_TABLES, Reject, read_rows, stage_rows
from ingest.db import connect
from ingest.detect import detect, read_header
from ingest.errors import CrosstrainError, first_line
from ingest.formats.common import MACROS
from ingest.plans_ics import read_ics
from ingest.transaction import transaction

# The columns a staged plan table holds (the names `_staged` of a CSV import uses).
PLAN_COLUMNS = (
    "athlete_id",
    "start_local",
    "has_time",
    "sport_type",
    "name",
    "description",
    "moving_s",
    "distance_m",
    "rpe",
)


@dataclass
class PlanResult:
    """What importing one plan file did."""

    file: str
    format: str = ""
    sessions: int = 0
    replaced: int = 0
    first: date | None = None
    last: date | None = None
    skipped: int = 0
    rejects: list[Reject] = field(default_factory=list)
    athletes: list[str] = field(default_factory=list)
    error: str | None = None

    def summary(self) -> str:
        if self.error:
            return f"{self.file}: not imported"
        span = f" {self.first} to {self.last}," if self.first else ""
        rest = f", {self.skipped} rest days skipped" if self.skipped else ""
        return (
            f"{self.file} ({self.format} plan, {', '.join(self.athletes) or 'no athlete'}):{span} "
            f"{self.sessions} planned sessions, {self.replaced} replaced, {len(self.rejects)} rejected{rest}"
        )


def import_plans(
    db_path: Path | str | None, paths: list[Path], athlete: str | None, settings: dict[str, Any]
) -> list[PlanResult]:
    """Import every plan file, each in its own transaction; a bad file doesn't stop the others."""
    results = []
    with connect(db_path) as con:
        con.execute(MACROS)
        for path in paths:
            try:
                results.append(import_plan(con, path, str(path), athlete, settings))
            except CrosstrainError as exc:
                results.append(PlanResult(file=str(path), error=str(exc)))
            except duckdb.Error as exc:
                first = first_line(exc)
                results.append(PlanResult(file=str(path), error=f"{path}: not imported: {first}"))
    return results


def import_plan(
    con: duckdb.DuckDBPyConnection, path: Path, shown: str, athlete: str | None, settings: dict[str, Any]
) -> PlanResult:
    """Import one plan file (`.ics` by its suffix, else a generic CSV) in one transaction."""
    if not path.is_file():
        raise CrosstrainError(f"{shown}: no such file")
    if path.suffix.lower() in (".ics", ".ical", ".ifb"):
        return _import_ics(con, path, shown, athlete, settings)
    return _import_csv(con, path, shown, athlete, settings)


def _import_csv(
    con: duckdb.DuckDBPyConnection, path: Path, shown: str, athlete: str | None, settings: dict[str, Any]
) -> PlanResult:
    fmt, header = detect(path, read_header(path), "generic")
    if athlete is None and "athlete" not in header.names:
        raise CrosstrainError(f"{shown}: whose plan is this? pass --athlete NAME (or add an athlete column)")
    result = PlanResult(file=shown, format="csv")
    try:
        read_rows(con, path, header, fmt, athlete)
        with transaction(con):
            stage_rows(con, fmt, athlete, None)
            con.execute(
                f"create or replace temp table _plan_staged as select {', '.join(PLAN_COLUMNS)} from _staged"
            )
            result.rejects = [
                Reject(shown, *row)
                for row in con.execute('select line, "column", reason from _rejects order by line').fetchall()
            ]
            _write(con, result, "csv", shown, settings)
    finally:
        for table in (*TEMP_TABLES, "_plan_staged"):
            con.execute(f"drop table if exists {table}")
    return result


def _import_ics(
    con: duckdb.DuckDBPyConnection, path: Path, shown: str, athlete: str | None, settings: dict[str, Any]
) -> PlanResult:
    if athlete is None:
        raise CrosstrainError(f"{shown}: whose plan is this? pass --athlete NAME")
    result = PlanResult(file=shown, format="ics")
    try:
        with transaction(con):
            athlete_id = store.ensure_athlete(con, athlete)
            [zone] = con.execute(
                "select timezone from athletes where athlete_id = ?", [athlete_id]
            ).fetchone()
            events = read_ics(path, shown, zone, categories.category_table(settings))
            result.rejects, result.skipped = events.rejects, events.rest_days
            con.execute(
                "create or replace temp table _plan_staged (athlete_id integer, start_local timestamp, "
                "has_time boolean, sport_type varchar, name varchar, description varchar, moving_s double, "
                "distance_m double, rpe double)"
            )
            con.executemany(
                "insert into _plan_staged values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(athlete_id, *s) for s in events.sessions],
            )
            _write(con, result, "ics", shown, settings)
    finally:
        con.execute("drop table if exists _plan_staged")
    return result


def _write(
    con: duckdb.DuckDBPyConnection, result: PlanResult, source: str, shown: str, settings: dict
) -> None:
    """Replace each athlete's planned sessions on the days `_plan_staged` covers by its rows."""
    result.replaced, result.sessions = write_planned(con, "_plan_staged", source, shown, settings)
    span = con.execute("select min(start_local)::date, max(start_local)::date from _plan_staged").fetchone()
    result.first, result.last = span
    result.athletes = [
        r[0]
        for r in con.execute(
            """select name from athletes
               where athlete_id in (select athlete_id from _plan_staged) order by name"""
        ).fetchall()
    ]


def write_planned(
    con: duckdb.DuckDBPyConnection,
    table: str,
    source: str,
    source_file: str | None,
    settings: dict[str, Any],
) -> tuple[int, int]:
    """Store the rows of `table` (PLAN_COLUMNS) as planned sessions, categorised by the category rules.

    Each athlete's planned sessions from the first to the last day of their rows go first. Returns
    (sessions removed, sessions stored). Runs inside the caller's transaction.
    """
    removed = con.execute(
        f"""delete from planned_sessions p using (
                select athlete_id, min(start_local)::date as first_day, max(start_local)::date as last_day
                from {table} group by athlete_id
            ) r
            where p.athlete_id = r.athlete_id
              and p.start_local >= r.first_day and p.start_local < r.last_day + 1"""
    ).fetchone()[0]
    categories.register(con, settings)
    rows = f"select {', '.join(PLAN_COLUMNS)} from {table}"
    stored = con.execute(
        f"""insert into planned_sessions ({", ".join(PLAN_COLUMNS)}, category, source, source_file)
            select {", ".join(PLAN_COLUMNS)}, category, ?, ? from ({categories.categorised(rows, table)})""",
        [source, source_file],
    ).fetchone()[0]
    return removed, stored


def update_planned(
    con: duckdb.DuckDBPyConnection,
    planned_id: int,
    *,
    sport_type: str | None = None,
    category: str | None = None,
    name: str | None = None,
    moving_s: float | None = None,
    distance_m: float | None = None,
) -> None:
    """Change one planned session (a swap or a shortening from `plan suggest --apply`)."""
    con.execute(
        """update planned_sessions set sport_type = coalesce(?, sport_type),
               category = coalesce(?, category), name = coalesce(?, name),
               moving_s = coalesce(?, moving_s), distance_m = coalesce(?, distance_m), source = 'suggest'
           where planned_id = ?""",
        [sport_type, category, name, moving_s, distance_m, planned_id],
    )


def apply_changes(con: duckdb.DuckDBPyConnection, athlete_id: int, changes: list[dict[str, Any]]) -> int:
    """Write `plan suggest` changes into the plan in one transaction: `add` stores a new planned session,
    `swap` and `shorten` change the planned session `planned_id`. Each change: action, date, type,
    category, duration_min, name, planned_id, distance_km (None: unchanged). Returns how many."""
    with transaction(con):
        for c in changes:
            km = c.get("distance_km")
            if c["action"] == "add":
                con.execute(
                    """insert into planned_sessions (athlete_id, start_local, has_time, sport_type, category,
                           name, moving_s, distance_m, source)
                       values (?, ?::date, false, ?, ?, ?, ?, ?, 'suggest')""",
                    [
                        athlete_id,
                        c["date"],
                        c["type"],
                        c["category"],
                        c["name"],
                        c["duration_min"] * 60,
                        None if km is None else km * 1000,
                    ],
                )
            else:
                update_planned(
                    con,
                    c["planned_id"],
                    sport_type=c["type"],
                    category=c["category"],
                    name=c["name"],
                    moving_s=c["duration_min"] * 60,
                    distance_m=None if km is None else km * 1000,
                )
                if c["action"] == "swap":
                    con.execute(
                        "update planned_sessions set rpe = null where planned_id = ?", [c["planned_id"]]
                    )
    return len(changes)


def store_check(
    con: duckdb.DuckDBPyConnection, athlete_id: int, as_of: date, check: dict[str, Any] | None
) -> None:
    """Keep `check` (queries.plan.check's JSON; None: no plan left) as the athlete's last plan check."""
    con.execute("delete from plan_checks where athlete_id = ?", [athlete_id])
    if check is not None:
        found = [f for f in check["findings"] if f["severity"] in ("warn", "high")]
        con.execute(
            """insert into plan_checks (athlete_id, as_of, first_day, last_day, findings, high_findings,
                                        warn_findings, first_finding)
               values (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                athlete_id,
                as_of,
                check["from"],
                check["to"],
                json.dumps(check["findings"]),
                sum(f["severity"] == "high" for f in found),
                sum(f["severity"] == "warn" for f in found),
                min((f["date"] for f in found), default=None),
            ],
        )


__all__ = [
    "PlanResult",
    "apply_changes",
    "import_plan",
    "import_plans",
    "store_check",
    "update_planned",
    "write_planned",
]
