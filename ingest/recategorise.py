"""Apply the current category settings to stored activities (`crosstrain activities recategorise`).

Types and keywords change (a new `[category_keywords]` word, a newer crosstrain's defaults); stored rows
keep the category they were imported with until this runs. A user's corrections still win.
"""

from __future__ import annotations

from typing import Any

import duckdb

from ingest import categories
from ingest.admin.athletes import find
from ingest.database import corrections, twins, versions
from ingest.database.transaction import transaction


def recategorise(
    con: duckdb.DuckDBPyConnection, settings: dict[str, Any], athlete: str | None = None
) -> list[tuple[str, str, int]]:
    """Re-categorise every stored activity (or one athlete's) in one transaction, re-link double
    recordings on the days that changed, and return the changes as (from, to, activities), largest first."""
    scope = "(select * from activities)"
    if athlete is not None:
        scope = f"(select * from activities where athlete_id = {int(find(con, athlete).athlete_id)})"
    categories.register(con, settings)
    rows = f"""select activity_id, athlete_id, source, source_id, sport_type, name, rpe,
                      category as stored_category
               from {scope}"""
    with transaction(con):
        con.execute(
            f"""create or replace temp table _recat as
                select activity_id, stored_category, category
                from ({corrections.overlay(con, categories.categorised(rows, scope))})
                where category is distinct from stored_category"""
        )
        con.execute(
            """update activities set category = r.category, updated_at = now() at time zone 'UTC'
               from _recat r where activities.activity_id = r.activity_id"""
        )
        twins.link(
            con,
            """select athlete_id, cast(start_local as date) as day from activities
               where activity_id in (select activity_id from _recat)""",
        )
        versions.touch(
            con, "select athlete_id from activities where activity_id in (select activity_id from _recat)"
        )
        changes = con.execute(
            """select stored_category, category, count(*) as n from _recat
               group by all order by n desc, stored_category, category"""
        ).fetchall()
        con.execute("drop table _recat")
    return [(old, new, n) for old, new, n in changes]
