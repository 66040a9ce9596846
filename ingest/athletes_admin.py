"""Managing athletes: rename, merge, delete, and their settings; each one transaction.

A misspelt `--athlete` creates a second athlete holding the same sessions: `merge` folds it into the
right one. Rows that belong to an athlete are found by column, not by a list of tables: every table
with an `athlete_id` column moves with a merge and goes with a delete, as do rows keyed by the
`activity_id` of a deleted activity or the `import_id` of a deleted import, so tables that later
migrations add follow without edits here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from ingest.database import twins
from ingest.database.transaction import transaction
from ingest.errors import CrosstrainError, UnknownAthleteError
from ingest.timezones import check_timezone

if TYPE_CHECKING:  # importing ingest.strava imports stravalib (about a second): only when tokens change
    from ingest.strava.tokens import TokenStore

# Plausible heart-rate settings (bpm). HRmax: about 100-240 covers adults of every age and sport
# (Tanaka 2001's 208 - 0.7 x age gives 152-194 for ages 20-80, with an SD of about 10 bpm);
# resting HR: 25 (endurance athletes' recorded lows are near 30) to 120. Crosstrain's convention.
HR_MAX_RANGE = (100.0, 240.0)
HR_REST_RANGE = (25.0, 120.0)
SEXES = ("f", "m")


@dataclass
class Athlete:
    """An athlete row: id, name and Strava link."""

    athlete_id: int
    name: str
    strava_id: int | None


@dataclass
class MergeResult:
    """What a merge did."""

    moved: int  # activities moved to the target athlete
    dropped: int  # activities the target already held (the same key): the target's copy is kept
    twins: int  # second recordings that involve a moved activity
    strava: str  # what happened to the Strava link, in words ("" when neither was connected)


@dataclass
class DeleteResult:
    """What a delete removed."""

    activities: int
    imports: int
    strava_tokens: bool


def find(con: duckdb.DuckDBPyConnection, name: str) -> Athlete:
    """The athlete called `name`; UnknownAthleteError when there is none."""
    row = con.execute("select athlete_id, name, strava_id from athletes where name = ?", [name]).fetchone()
    if row is None:
        known = [r[0] for r in con.execute("select name from athletes order by name limit 9").fetchall()]
        listed = f"known: {', '.join(known)}" if 0 < len(known) <= 8 else "crosstrain athletes lists them"
        raise UnknownAthleteError(f"unknown athlete '{name}'; {listed}")
    return Athlete(*row)


def _free(con: duckdb.DuckDBPyConnection, name: str) -> str:
    name = name.strip()
    if not name:
        raise CrosstrainError("an athlete's name cannot be empty")
    if con.execute("select count(*) from athletes where name = ?", [name]).fetchone()[0]:
        raise CrosstrainError(
            f"the name '{name}' is taken by another athlete (merge them with athletes merge)"
        )
    return name


def _tables_with(con: duckdb.DuckDBPyConnection, column: str, *skip: str) -> list[str]:
    """Stored tables (not temp ones) having `column`, except `skip`."""
    rows = con.execute(
        """select table_name from information_schema.columns
           where column_name = ? and table_catalog = current_database() and table_schema = 'main'
           order by table_name""",
        [column],
    ).fetchall()
    return [r[0] for r in rows if r[0] not in skip]


def rename(con: duckdb.DuckDBPyConnection, old: str, new: str, tokens: TokenStore | None = None) -> None:
    """Give athlete `old` the name `new` (refused when `new` is taken); their Strava tokens follow."""
    athlete = find(con, old)
    if new.strip() == old:
        raise CrosstrainError(f"'{old}' is already called that")
    new = _free(con, new)
    with transaction(con):
        con.execute("update athletes set name = ? where athlete_id = ?", [new, athlete.athlete_id])
        if athlete.strava_id is not None:
            _rename_tokens(tokens or _token_store(), athlete.strava_id, new)


def merge(
    con: duckdb.DuckDBPyConnection, source: str, target: str, tokens: TokenStore | None = None
) -> MergeResult:
    """Move every activity, import and correction of athlete `source` to `target`, then delete `source`.

    An activity both hold (same source and id: the same file imported under both names) keeps the
    target's copy. Settings the target lacks (time zone, HR settings, sex) come from the source. The
    Strava link: the target's when it has one (the source's account is disconnected, its activities
    kept), else the source's. Double recordings across the two are linked (ingest/database/twins.py).
    """
    src, dst = find(con, source), find(con, target)
    if src.athlete_id == dst.athlete_id:
        raise CrosstrainError(f"cannot merge '{source}' into itself")
    tokens = tokens or _token_store()
    with transaction(con):
        con.execute(
            """create or replace temp table _merge_dropped as
               select a.activity_id from activities a
               join activities b on b.athlete_id = ? and b.source = a.source and b.source_id = a.source_id
               where a.athlete_id = ?""",
            [dst.athlete_id, src.athlete_id],
        )
        dropped = con.execute("select count(*) from _merge_dropped").fetchone()[0]
        for table in _tables_with(con, "activity_id", "activities"):
            con.execute(f"delete from {table} where activity_id in (select activity_id from _merge_dropped)")
        con.execute("delete from activities where activity_id in (select activity_id from _merge_dropped)")
        con.execute(
            """delete from activity_corrections c
               where c.athlete_id = ? and exists (
                   select 1 from activity_corrections d where d.athlete_id = ? and d.source = c.source
                   and d.source_id = c.source_id)""",
            [src.athlete_id, dst.athlete_id],
        )
        con.execute(  # a name both label: the target's label stays
            """delete from category_rules c
               where c.athlete_id = ? and exists (
                   select 1 from category_rules d where d.athlete_id = ? and d.type_key = c.type_key
                   and d.name_key = c.name_key)""",
            [src.athlete_id, dst.athlete_id],
        )
        con.execute(
            """create or replace temp table _merge_moved as
               select activity_id from activities where athlete_id = ?""",
            [src.athlete_id],
        )
        moved = con.execute("select count(*) from _merge_moved").fetchone()[0]
        for table in _tables_with(con, "athlete_id", "athletes"):
            con.execute(
                f"update {table} set athlete_id = ? where athlete_id = ?", [dst.athlete_id, src.athlete_id]
            )
        strava = _merge_athlete_rows(con, src, dst, tokens)
        found = twins.link(
            con,
            """select athlete_id, cast(start_local as date) as day from activities
               where activity_id in (select activity_id from _merge_moved)""",
            "select activity_id from _merge_moved",
        )
        con.execute("drop table _merge_dropped")
        con.execute("drop table _merge_moved")
    return MergeResult(moved, dropped, found, strava)


def _merge_athlete_rows(
    con: duckdb.DuckDBPyConnection, src: Athlete, dst: Athlete, tokens: TokenStore
) -> str:
    """Fill the target's missing settings from the source, settle the Strava link, delete the source."""
    con.execute(
        """update athletes t set
               timezone = coalesce(t.timezone, s.timezone),
               timezone_source = case when t.timezone is null then s.timezone_source
                                      else t.timezone_source end,
               hr_max = coalesce(t.hr_max, s.hr_max), hr_rest = coalesce(t.hr_rest, s.hr_rest),
               sex = coalesce(t.sex, s.sex)
           from athletes s where t.athlete_id = ? and s.athlete_id = ?""",
        [dst.athlete_id, src.athlete_id],
    )
    con.execute("delete from athletes where athlete_id = ?", [src.athlete_id])
    if src.strava_id is None:
        return f"Strava account {dst.strava_id} kept" if dst.strava_id is not None else ""
    if dst.strava_id is None:
        con.execute("update athletes set strava_id = ? where athlete_id = ?", [src.strava_id, dst.athlete_id])
        _rename_tokens(tokens, src.strava_id, dst.name)
        return f"Strava account {src.strava_id} now linked to '{dst.name}'"
    tokens.remove(src.strava_id)
    return (
        f"Strava account {dst.strava_id} kept; account {src.strava_id} of '{src.name}' disconnected "
        "(its activities are kept)"
    )


def _token_store() -> TokenStore:
    from ingest.strava.tokens import TokenStore

    return TokenStore()


def _rename_tokens(tokens: TokenStore, strava_id: int, name: str) -> None:
    stored = tokens.get(strava_id)
    if stored is not None and stored.get("athlete") != name:
        tokens.put(strava_id, {**stored, "athlete": name})


def delete(con: duckdb.DuckDBPyConnection, name: str, tokens: TokenStore | None = None) -> DeleteResult:
    """Delete athlete `name` with their activities, corrections, imports (and their rejects), every
    other row keyed by them, and their Strava tokens."""
    athlete = find(con, name)
    aid = int(athlete.athlete_id)
    with transaction(con):
        activities = con.execute("select count(*) from activities where athlete_id = ?", [aid]).fetchone()[0]
        imports = con.execute("select count(*) from imports where athlete_id = ?", [aid]).fetchone()[0]
        for table in _tables_with(con, "activity_id", "activities"):
            con.execute(
                f"""delete from {table}
                    where activity_id in (select activity_id from activities where athlete_id = ?)""",
                [aid],
            )
        for table in _tables_with(con, "import_id", "imports", "activities"):
            con.execute(
                f"""delete from {table}
                    where import_id in (select import_id from imports where athlete_id = ?)""",
                [aid],
            )
        for table in _tables_with(con, "athlete_id", "athletes"):
            con.execute(f"delete from {table} where athlete_id = ?", [aid])
        con.execute("delete from athletes where athlete_id = ?", [aid])
        removed = athlete.strava_id is not None and (tokens or _token_store()).remove(athlete.strava_id)
    return DeleteResult(activities, imports, removed)


def set_settings(
    con: duckdb.DuckDBPyConnection,
    name: str,
    *,
    timezone: str | None = None,
    hr_max: float | None = None,
    hr_rest: float | None = None,
    sex: str | None = None,
) -> dict[str, object]:
    """Store an athlete's time zone (source 'set'), HRmax, resting HR and sex; None leaves one as it is.

    Values outside the plausible ranges are refused with one line. Returns the settings after.
    """
    athlete = find(con, name)
    if timezone is None and hr_max is None and hr_rest is None and sex is None:
        raise CrosstrainError("nothing to set: give --timezone, --hr-max, --hr-rest or --sex")
    if timezone is not None:
        check_timezone(con, timezone)
    if hr_max is not None and not HR_MAX_RANGE[0] <= hr_max <= HR_MAX_RANGE[1]:
        raise CrosstrainError(
            f"HRmax {hr_max:g} is not plausible: give {HR_MAX_RANGE[0]:g}-{HR_MAX_RANGE[1]:g} bpm"
        )
    if hr_rest is not None and not HR_REST_RANGE[0] <= hr_rest <= HR_REST_RANGE[1]:
        raise CrosstrainError(
            f"resting HR {hr_rest:g} is not plausible: give {HR_REST_RANGE[0]:g}-{HR_REST_RANGE[1]:g} bpm"
        )
    if sex is not None and sex not in SEXES:
        raise CrosstrainError(f"sex '{sex}': use f or m")
    stored_max, stored_rest = con.execute(
        "select hr_max, hr_rest from athletes where athlete_id = ?", [athlete.athlete_id]
    ).fetchone()
    new_max = hr_max if hr_max is not None else stored_max
    new_rest = hr_rest if hr_rest is not None else stored_rest
    if new_max is not None and new_rest is not None and new_rest >= new_max:
        raise CrosstrainError(f"resting HR {new_rest:g} must be below HRmax {new_max:g}")
    with transaction(con):
        con.execute(
            """update athletes set
                   timezone = coalesce(?, timezone),
                   timezone_source = case when ? is not null then 'set' else timezone_source end,
                   hr_max = coalesce(?, hr_max), hr_rest = coalesce(?, hr_rest), sex = coalesce(?, sex)
               where athlete_id = ?""",
            [timezone, timezone, hr_max, hr_rest, sex, athlete.athlete_id],
        )
    row = con.execute(
        "select name, timezone, timezone_source, hr_max, hr_rest, sex from athletes where athlete_id = ?",
        [athlete.athlete_id],
    ).fetchone()
    return dict(zip(("name", "timezone", "timezone_source", "hr_max", "hr_rest", "sex"), row, strict=True))
