"""A user's corrections to stored activities: category, RPE, and "count this nowhere".

They live in `activity_corrections` (migration 004), keyed by the activity's natural key (athlete,
source, id in that source), so that `store.write_activities` lays them over the same activity when it
is imported or synced again: a correction is never undone by new data.

A label for every session of one name and type (`--same-name`) is a rule in `category_rules`
(migration 013): it labels the stored sessions now, and `overlay` lays it over every later import and
sync of that athlete. Precedence: a correction of one activity, then a same-name rule, then the type
and keyword rules (ingest/categories.py).
"""

from __future__ import annotations

import duckdb

from ingest.categories import CATEGORIES, key_sql
from ingest.database import twins, versions
from ingest.database.transaction import transaction
from ingest.errors import CrosstrainError

# CR-10: 0 (rest) to 10 (maximal), halves included (Foster 2001 uses the CR-10 scale).
RPE_RANGE = (0.0, 10.0)


def overlay(con: duckdb.DuckDBPyConnection, rows: str, excluded: str = "false") -> str:
    """SQL: the rows of query `rows` (keyed columns, `sport_type`, `name`, `category`, `rpe`) with the
    same-name rules and the stored corrections laid over them, and an `excluded` column: the user's word,
    else SQL `excluded` over the row (crosstrain's own exclusions). Without any rule or correction stored,
    no join at all."""
    if con.execute("select exists (select 1 from category_rules)").fetchone()[0]:
        rows = _ruled(rows)
    if not con.execute("select exists (select 1 from activity_corrections)").fetchone()[0]:
        return f"select *, {excluded} as excluded from ({rows})"
    return f"""
        select r.* replace (coalesce(c.category, r.category) as category, coalesce(c.rpe, r.rpe) as rpe),
               coalesce(c.excluded, {excluded}) as excluded
        from ({rows}) r
        left join activity_corrections c
          on c.athlete_id = r.athlete_id and c.source = r.source and c.source_id = r.source_id"""


def _ruled(rows: str) -> str:
    """SQL: `rows` with the category of a same-name rule where one matches the athlete, type and name.
    Keys are computed once per distinct (athlete, type, name), not per row."""
    return f"""
        with r as ({rows}),
        named as (
            select d.athlete_id, d.sport_type, d.name, c.category
            from (select distinct athlete_id, sport_type, name from r
                  where athlete_id in (select athlete_id from category_rules)) d
            join category_rules c
              on c.athlete_id = d.athlete_id and c.type_key = {key_sql("d.sport_type")}
             and c.name_key = {key_sql("d.name")}
        )
        select r.* replace (coalesce(n.category, r.category) as category)
        from r
        left join named n
          on n.athlete_id = r.athlete_id and n.sport_type is not distinct from r.sport_type
         and n.name is not distinct from r.name"""


def label_same_name(
    con: duckdb.DuckDBPyConnection, activity_ids: list[int], category: str
) -> tuple[int, int]:
    """Label every session sharing a name and type with one of `activity_ids` as `category`, now and in
    later imports and syncs (a rule per athlete, type and name); one transaction of its own.
    Returns (sessions changed, names labelled). The given sessions must have a name."""
    if category not in CATEGORIES:
        raise CrosstrainError(f"unknown category '{category}': use one of {', '.join(CATEGORIES)}")
    ids = sorted({int(i) for i in activity_ids})
    found = con.execute(
        f"""select activity_id, athlete_id, sport_type, name, {key_sql("sport_type")}, {key_sql("name")}
            from activities where activity_id in (select unnest(?::bigint[]))""",
        [ids],
    ).fetchall()
    missing = sorted(set(ids) - {r[0] for r in found})
    if missing:
        raise CrosstrainError(f"unknown activity id {missing[0]} (crosstrain activities list shows the ids)")
    unnamed = [r[0] for r in found if not r[5]]
    if unnamed:
        raise CrosstrainError(
            f"activity {unnamed[0]} has no name, so --same-name has nothing to match: label it without it"
        )
    rules = sorted({(r[1], r[2], r[3], r[4], r[5]) for r in found})
    with transaction(con):
        for athlete_id, sport_type, name, type_key, name_key in rules:
            con.execute(
                "delete from category_rules where athlete_id = ? and type_key = ? and name_key = ?",
                [athlete_id, type_key, name_key],
            )
            con.execute(
                """insert into category_rules (athlete_id, sport_type, name, type_key, name_key, category)
                   values (?, ?, ?, ?, ?, ?)""",
                [athlete_id, sport_type, name, type_key, name_key, category],
            )
        con.execute(
            "create or replace temp table _rule_keys (athlete_id integer, type_key varchar, name_key varchar)"
        )
        con.executemany("insert into _rule_keys values (?, ?, ?)", [(r[0], r[3], r[4]) for r in rules])
        same = [
            r[0]
            for r in con.execute(
                f"""select a.activity_id from activities a
                    join _rule_keys k on k.athlete_id = a.athlete_id
                     and k.type_key = {key_sql("a.sport_type")} and k.name_key = {key_sql("a.name")}"""
            ).fetchall()
        ]
        con.execute("drop table _rule_keys")
        changed = _set(con, same, category, None, None)
    return changed, len(rules)


def set_activities(
    con: duckdb.DuckDBPyConnection,
    activity_ids: list[int],
    *,
    category: str | None = None,
    rpe: float | None = None,
    excluded: bool | None = None,
) -> int:
    """Correct the given activities (None leaves a field as it is) and keep the correction for
    re-imports; one transaction of its own. Returns how many activities changed.

    Unknown ids, an unknown category or an RPE off the CR-10 scale: CrosstrainError, nothing written.
    """
    if category is None and rpe is None and excluded is None:
        raise CrosstrainError("nothing to change: give a category, an RPE, or exclude/include")
    if category is not None and category not in CATEGORIES:
        raise CrosstrainError(f"unknown category '{category}': use one of {', '.join(CATEGORIES)}")
    if rpe is not None and not RPE_RANGE[0] <= rpe <= RPE_RANGE[1]:
        raise CrosstrainError(f"RPE {rpe:g} is not on the CR-10 scale (0 to 10)")
    ids = sorted({int(i) for i in activity_ids})
    if not ids:
        raise CrosstrainError("no activity ids given (crosstrain activities list shows them)")
    found = {
        r[0]
        for r in con.execute(
            "select activity_id from activities where activity_id in (select unnest(?::bigint[]))", [ids]
        ).fetchall()
    }
    missing = [i for i in ids if i not in found]
    if missing:
        shown = ", ".join(str(i) for i in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise CrosstrainError(f"unknown activity id {shown} (crosstrain activities list shows the ids)")
    with transaction(con):
        return _set(con, ids, category, rpe, excluded)


def _set(
    con: duckdb.DuckDBPyConnection,
    ids: list[int],
    category: str | None,
    rpe: float | None,
    excluded: bool | None,
) -> int:
    """Write the corrections of `ids` (inside the caller's transaction); how many activities changed."""
    values = [category, rpe, excluded]
    con.execute("create or replace temp table _corr_ids as select unnest(?::bigint[]) as activity_id", [ids])
    con.execute(
        """create or replace temp table _corr_new as
           select a.athlete_id, a.source, a.source_id,
                  coalesce(?::varchar, c.category) as category, coalesce(?::double, c.rpe) as rpe,
                  coalesce(?::boolean, c.excluded) as excluded
           from activities a
           left join activity_corrections c
             on c.athlete_id = a.athlete_id and c.source = a.source and c.source_id = a.source_id
           where a.activity_id in (select activity_id from _corr_ids)""",
        values,
    )
    con.execute(
        """delete from activity_corrections c using _corr_new n
           where c.athlete_id = n.athlete_id and c.source = n.source and c.source_id = n.source_id"""
    )
    con.execute(
        """insert into activity_corrections (athlete_id, source, source_id, category, rpe, excluded)
           select distinct athlete_id, source, source_id, category, rpe, excluded from _corr_new"""
    )
    changed = con.execute(
        """update activities
           set category = coalesce(?::varchar, category), rpe = coalesce(?::double, rpe),
               excluded = coalesce(?::boolean, excluded), updated_at = now() at time zone 'UTC'
           where activity_id in (select activity_id from _corr_ids)
             and (category is distinct from coalesce(?::varchar, category)
                  or rpe is distinct from coalesce(?::double, rpe)
                  or excluded is distinct from coalesce(?::boolean, excluded))""",
        values + values,
    ).fetchone()[0]
    twins.link(
        con,
        """select athlete_id, cast(start_local as date) as day from activities
           where activity_id in (select activity_id from _corr_ids)""",
    )
    versions.touch(con, "select athlete_id from _corr_new")
    for table in ("_corr_ids", "_corr_new"):
        con.execute(f"drop table {table}")
    return changed
