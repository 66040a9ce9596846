"""A user's corrections to stored activities: category, RPE, excluded from the analytics."""

from __future__ import annotations

import duckdb

from ingest.categories import CATEGORIES
from ingest.errors import CrosstrainError


def set_activities(
    con: duckdb.DuckDBPyConnection,
    activity_ids: list[int],
    *,
    category: str | None = None,
    rpe: float | None = None,
    excluded: bool | None = None,
) -> int:
    """Set the given fields on the activities, in one transaction; returns how many rows changed.

    Fields left None are not touched. An unknown category or an RPE outside 1-10 is refused before
    anything is written.
    """
    if category is not None and category not in CATEGORIES:
        raise CrosstrainError(f"unknown category '{category}'; one of {', '.join(CATEGORIES)}")
    if rpe is not None and not 1 <= rpe <= 10:
        raise CrosstrainError(f"RPE {rpe:g} is outside 1-10")
    given = {"category": category, "rpe": rpe, "excluded": excluded}
    changes = {column: value for column, value in given.items() if value is not None}
    ids = sorted({int(i) for i in activity_ids})
    if not changes or not ids:
        return 0
    assignments = ", ".join(f"{column} = ?" for column in changes)
    differs = " or ".join(f"{column} is distinct from ?" for column in changes)
    con.execute("begin transaction")
    try:
        changed = con.execute(
            f"""update activities set {assignments}
                where activity_id in (select unnest(?::bigint[])) and ({differs})
                returning activity_id""",
            [*changes.values(), ids, *changes.values()],
        ).fetchall()
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return len(changed)
