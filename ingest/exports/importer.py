"""`crosstrain import`: Strava, Garmin and generic CSV files and Strava export archives into the store.

Each file is one transaction: its header tells the format and language (ingest/exports/formats/registry.py),
DuckDB reads the rows as text, the rows' own evidence decides the decimal mark, the day/month order
and the units (each stated in the summary), one SQL query parses and validates them into canonical
columns, rows that can't be read are recorded with their line and reason, and the rest go through
`store.write_activities`. A failure or Ctrl-C halfway rolls the file back; files already imported stay.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ingest import athlete_zone
from ingest.database import store
from ingest.database.db import connect
from ingest.database.transaction import transaction
from ingest.errors import CrosstrainError, first_line
from ingest.exports.archive import csv_of
from ingest.exports.detect import NAMES, detect, read_header
from ingest.exports.formats.common import FEWER_FIELDS, MACROS, MORE_FIELDS
from ingest.exports.formats.header import Header
from ingest.exports.formats.registry import Format
from ingest.exports.options import ImportOptions
from ingest.exports.read import read_raw, record_lines, unwrapped
from ingest.timezones import check_timezone, default_timezone

# A field count that doesn't match the header, and other reasons DuckDB gives, in words.
READ_REASONS = {
    "MISSING COLUMNS": FEWER_FIELDS,
    "TOO MANY COLUMNS": MORE_FIELDS,
    "UNQUOTED VALUE": "a quote inside an unquoted field, or a field not closed by a quote",
    "INVALID UNICODE": "not UTF-8 text (save the file as UTF-8)",
    "INVALID ENCODING": "not UTF-8 text (save the file as UTF-8)",
    "LINE SIZE OVER MAXIMUM": "the row is longer than 10 MB",
}


# DuckDB's memory for an import (its default is 80% of the machine's): a million-row file then keeps
# its staged rows and the insert's buffers within it, spilling to a temporary file beside the database
# rather than growing the process (peak RSS 0.64 GB instead of 1.0-1.5 GB, no slower: issue 22).
IMPORT_MEMORY = "600MB"

TEMP_TABLES = (
    "_raw",
    "_parsed",
    "_staged",
    "_read_rejects",
    "_rejects",
    "_file_athletes",
    "_lines",
    "_recmap",
)


@dataclass
class Reject:
    """A row that could not be read: where and why."""

    file: str
    line: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        column = f" column '{self.column}':" if self.column else ""
        return f"{where}:{column} {self.reason}; row skipped"


@dataclass
class FileResult:
    """What importing one file did."""

    file: str
    format: str | None = None
    rows: int = 0
    counts: store.WriteCounts = field(default_factory=store.WriteCounts)
    rejects: list[Reject] = field(default_factory=list)
    athletes: list[str] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)  # units, dates, time zone: decided how, or assumed

    def summary(self) -> str:
        """The counts line, then one indented line per note."""
        return "\n".join([self.counts_line(), *(f"  {n}" for n in [*self.notes, *self.counts.notes()])])

    def counts_line(self) -> str:
        if self.error:
            return f"{self.file}: not imported"
        who = ", ".join(self.athletes[:3]) + (
            f" and {len(self.athletes) - 3} more" if len(self.athletes) > 3 else ""
        )
        c = self.counts
        return (
            f"{self.file} ({self.format}{', ' + who if who else ''}): {self.rows} rows: {c.new} imported, "
            f"{c.updated} updated, {c.duplicate} duplicates, {len(self.rejects)} rejected{c.twins_note()}"
        )


@contextmanager
def import_connection(
    db_path: Path | str | None, options: ImportOptions
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection for an import (CSV files or activity files): the parsing macros loaded and
    `--timezone` checked once, before any file is read."""
    with connect(db_path) as con:
        con.execute(MACROS)
        con.execute(f"set memory_limit = '{IMPORT_MEMORY}'")
        try:
            if options.timezone:
                check_timezone(con, options.timezone)
            yield con
        finally:  # the setting is the database instance's: a dashboard's other connections share it
            with suppress(duckdb.Error):
                con.execute("reset memory_limit")


def import_paths(
    db_path: Path | str | None, paths: list[Path], options: ImportOptions, settings: dict[str, Any]
) -> list[FileResult]:
    """Import every file in `paths`, each in its own transaction; a bad file doesn't stop the others.

    A file that can't be imported at all gets `error` set; rows that can't be read are in `rejects`.
    """
    if options.format not in ("auto", *NAMES):
        raise CrosstrainError(f"unknown format '{options.format}': use auto, {', '.join(NAMES)}")
    if options.units not in (None, "metric", "imperial"):
        raise CrosstrainError(f"unknown units '{options.units}': use metric or imperial")
    if options.date_order not in (None, "dmy", "mdy"):
        raise CrosstrainError(f"unknown date order '{options.date_order}': use dmy or mdy")
    results = []
    with import_connection(db_path, options) as con:
        for path in paths:
            try:
                with csv_of(path) as (csv_path, shown, profile_name):
                    results.append(import_file(con, csv_path, shown, options, settings, profile_name))
            except CrosstrainError as exc:
                results.append(FileResult(file=str(path), error=str(exc)))
            except duckdb.Error as exc:  # rolled back; the next file may still be fine
                first = first_line(exc)
                results.append(FileResult(file=str(path), error=f"{path}: not imported: {first}"))
            except RuntimeError as exc:  # DuckDB's "Query interrupted" on Ctrl-C
                if "interrupt" in str(exc).lower():
                    raise KeyboardInterrupt from exc
                raise
    return results


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    shown: str,
    options: ImportOptions,
    settings: dict[str, Any],
    profile_name: str | None = None,
) -> FileResult:
    """Import one CSV file in one transaction and say what it did (rows quoted whole are unwrapped
    first: ingest/exports/read.py)."""
    with unwrapped(path) as (readable, was_wrapped):
        result = _import_file(con, readable, shown, options, settings, profile_name)
    if was_wrapped:
        result.notes.insert(0, "rows: each row was quoted whole (one field holding the row); read unwrapped")
    return result


def _import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    shown: str,
    options: ImportOptions,
    settings: dict[str, Any],
    profile_name: str | None = None,
) -> FileResult:
    """Import one CSV file in one transaction and say what it did."""
    fmt, header = detect(path, read_header(path), options.format)
    has_athlete_column = "athlete" in header.names
    athlete = options.athlete or profile_name
    if athlete is None and not has_athlete_column:
        raise CrosstrainError(
            f"{shown}: whose activities are these? pass --athlete NAME"
            + (" (or add an athlete column)" if fmt.name == "generic" else "")
        )
    result = FileResult(file=shown, format=fmt.name)
    # Read, parse and locate rejects before the transaction: temp tables are private to this connection
    # and never stored; rows added inside a transaction get provisional rowids (`_raw`'s rowid must be the
    # row's order), and a failed statement would abort the transaction.
    result.notes = read_rows(con, path, header, fmt, athlete, options.units, options.date_order)
    try:
        with transaction(con):
            import_id = store.start_import(con, "zip" if ".zip:" in shown else "csv", shown, fmt.name)
            result.notes.append(_stage(con, fmt.name, fmt.strava_ids, athlete, options.timezone))
            [parsed] = con.execute("select count(*) from _parsed").fetchone()
            con.execute("drop table _parsed")  # staged now: its memory goes before the insert's
            result.counts = store.write_activities(con, "_staged", import_id, settings)
            _place_implausible(con, path, import_id, header.delimiter)
            con.execute(
                """insert into import_rejects (import_id, file, line, "column", reason)
                   select ?, ?, line, "column", reason from _rejects""",
                [import_id, shown],
            )
            result.rejects = [  # rows the plausibility rules refused (in write_activities) included
                Reject(shown, *row)
                for row in con.execute(
                    'select line, "column", reason from import_rejects where import_id = ? order by line',
                    [import_id],
                ).fetchall()
            ]
            result.rows = parsed + con.execute("select count(*) from _read_rejects").fetchone()[0]
            result.athletes = [
                r[0] for r in con.execute("select name from _file_athletes order by name").fetchall()
            ]
            if len(result.athletes) == 1:
                con.execute(
                    """update imports set athlete_id = (select athlete_id from _file_athletes)
                       where import_id = ?""",
                    [import_id],
                )
            store.finish_import(con, import_id, result.counts, rejected=len(result.rejects))
    finally:
        for table in TEMP_TABLES:
            con.execute(f"drop table if exists {table}")
    return result


def read_rows(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    header: Header,
    fmt: Format,
    athlete: str | None,
    units: str | None = None,
    date_order: str | None = None,
) -> list[str]:
    """Parse `path`'s rows into temp table `_parsed` and its unreadable rows into `_rejects`; return the
    summary's notes (units, date order). Public for plan import (ingest/plans/importer.py), which reads a plan
    CSV as the generic format does."""
    read_raw(con, path, len(header.names), fmt.extra_fields, header.delimiter)
    facts = fmt.facts(con, header, units=units, date_order=date_order, athlete_given=athlete is not None)
    con.execute("set preserve_insertion_order = false")  # `_raw` keeps its order; the rest carry `rec`
    query = fmt.parse_query(header, facts)
    con.execute(f"create or replace temp table _parsed as {query.sql()}")
    facts.notes += _marked(con, query.marks)
    _locate_rejects(con, path, header)
    con.execute("drop table _raw")  # parsed: its memory goes before the staging's
    return facts.notes


def _marked(con: duckdb.DuckDBPyConnection, marks: dict[str, tuple[str, str]]) -> list[str]:
    """The summary's notes of the good rows a format marked (ParseQuery.marks): how many, their first
    days; the marks' columns dropped from `_parsed`."""
    notes = []
    for name, (_, note) in marks.items():
        count, days = con.execute(
            f"""select count(*), list(distinct strftime(cast(coalesce(local_at, utc_at) as date), '%Y-%m-%d'))
                from _parsed where mark_{name} and reject_reason is null"""
        ).fetchone()
        if count:
            shown = ", ".join(sorted(d for d in days if d)[:3]) + (", ..." if len(days) > 3 else "")
            notes.append(f"{count} row{'s' if count > 1 else ''} ({shown}): {note}")
        con.execute(f"alter table _parsed drop column mark_{name}")
    return notes


def stage_rows(con: duckdb.DuckDBPyConnection, fmt: Format, athlete: str | None, timezone: str | None) -> str:
    """`_stage`, public for plan import: the good rows of `_parsed` in `_staged`, with athlete ids and
    local and UTC times (creates athletes not yet stored; call it inside the file's transaction)."""
    return _stage(con, fmt.name, fmt.strava_ids, athlete, timezone)


def _stage(
    con: duckdb.DuckDBPyConnection, source: str, strava_ids: bool, athlete: str | None, timezone: str | None
) -> str:
    """Stage the good rows of `_parsed` in `_staged` (store.STAGED_COLUMNS) with athletes and UTC/local times;
    return the summary's time zone line.

    Zone per athlete: --timezone (stored on the file's athletes, source 'option'), else the athlete's
    stored zone, else this machine's (stored, source 'machine'). A row with an offset is an instant:
    its local time is that instant in the athlete's zone; its id still hashes the time as written, so a
    re-import with another zone updates the row instead of adding one.
    """
    con.execute(
        """create or replace temp table _file_athletes as
           select distinct coalesce(athlete, ?) as name from _parsed
           where reject_reason is null and coalesce(athlete, ?) is not null""",
        [athlete, athlete],
    )
    store.ensure_athletes(con, "_file_athletes", "name")
    con.execute(
        """alter table _file_athletes add column athlete_id integer;
           update _file_athletes f set athlete_id = a.athlete_id from athletes a where a.name = f.name"""
    )
    if timezone:
        con.execute(
            """update athletes set timezone = ?, timezone_source = 'option'
               where athlete_id in (select athlete_id from _file_athletes)""",
            [timezone],
        )
    else:
        # a Strava export's files may say where the athlete lives (ingest/athlete_zone.py)
        athlete_zone.store_gps_zone(con, "select athlete_id from _file_athletes", athlete_zone.offered(con))
        con.execute(
            """update athletes set timezone = ?, timezone_source = 'machine'
               where athlete_id in (select athlete_id from _file_athletes) and timezone is null""",
            [default_timezone(con)],
        )
    # A Strava export's activity files give some rows their start point's zone, and their moving time
    # where the row has none (old exports: elapsed time only) (ingest/files/importer.py); rows without
    # a file near them in time take their zone (ingest/athlete_zone.py).
    con.execute("create temp table if not exists _row_zones (source_id varchar, tz varchar, moving_s double)")
    near = 0
    if not timezone and con.execute("select count(*) from _row_zones").fetchone()[0]:
        near = athlete_zone.near_zones(con, athlete)
    strava_id = "try_cast(source_id as bigint)" if strava_ids else "null::bigint"
    # the row's line for the plausibility rules' rejects (DuckDB's record count without a map)
    mapped = con.execute("select count(*) from duckdb_tables() where table_name = '_recmap'").fetchone()[0]
    line = "coalesce((select line from _recmap m where m.rec = timed.rec), rec + 2)" if mapped else "rec + 2"
    # `not materialized`: the rows are read twice (for the offsets, then timed) rather than copied
    # once more into a million-row intermediate table, which cost more than the second read.
    con.execute(
        f"""create or replace temp table _staged as
            with zoned as not materialized (
                select p.*, f.athlete_id, coalesce(z.tz, a.timezone) as tz, z.moving_s as file_moving_s
                from _parsed p
                join _file_athletes f on f.name = coalesce(p.athlete, ?)
                join athletes a on a.athlete_id = f.athlete_id
                left join _row_zones z on z.source_id = p.source_id::varchar  -- GPS zones (ingest/files)
                where p.reject_reason is null
            ),
            -- UTC offsets per zone and quarter hour (zones switch on the quarter hour: St John's at
            -- 05:30 UTC, Lord Howe by 30 minutes), not per row: a million rows span far fewer quarter
            -- hours, and ICU conversions are the slow part
            buckets as not materialized (
                select *, utc_at is not null as from_utc,
                       time_bucket(interval 15 minutes, coalesce(utc_at, local_at)::timestamp) as bucket
                from zoned
            ),
            offsets as (
                select tz, bucket, from_utc,
                       case when from_utc then timezone(tz, timezone('UTC', bucket)) - bucket
                            else bucket - timezone('UTC', timezone(tz, bucket)) end as local_minus_utc
                from (select distinct tz, bucket, from_utc from buckets)
            ),
            timed as (
                select b.*, coalesce(utc_at::timestamp, local_at::timestamp - o.local_minus_utc) as start_at_,
                       case when from_utc then utc_at::timestamp + o.local_minus_utc
                            else local_at::timestamp end as start_local_
                from buckets b left join offsets o using (tz, bucket, from_utc)
            )
            select athlete_id, ? as source,
                   coalesce(source_id::varchar,
                            md5(concat_ws('|', ?,
                                          strftime(coalesce(local_at::timestamp, start_local_),
                                                   '%Y-%m-%dT%H:%M:%S'),
                                          id_key::varchar))
                   ) as source_id,
                   {strava_id} as strava_id, start_at_ as start_at, start_local_ as start_local,
                   coalesce(has_time::boolean, true) as has_time, sport_type::varchar as sport_type,
                   name::varchar as name, description::varchar as description,
                   coalesce(moving_s::double, file_moving_s) as moving_s, elapsed_s::double as elapsed_s,
                   distance_m::double as distance_m,
                   elevation_gain_m::double as elevation_gain_m, avg_hr::double as avg_hr,
                   max_hr::double as max_hr, rpe::double as rpe, relative_effort::double as relative_effort,
                   null::json as raw, {line} as line
            from timed where start_at_ is not null""",
        [athlete, source, source],
    )
    note = _zone_note(con, timezone)
    if near:
        note += (
            f"; {near} {'activity' if near == 1 else 'activities'} without a GPS file took the zone of"
            f" the export's GPS activity nearest in time (within {athlete_zone.NEAR_DAYS} days)"
        )
    return note


def _zone_note(con: duckdb.DuckDBPyConnection, timezone: str | None) -> str:
    """One line: the zone(s) local days were taken in, and, for this machine's zone, how to change it."""
    if timezone:
        return f"time zone: {timezone} (--timezone; stored on the athlete)"
    zones = con.execute(
        """select a.timezone, coalesce(a.timezone_source, '') as source, list(a.name order by a.name)
           from athletes a join _file_athletes f using (athlete_id)
           group by a.timezone, source order by source = 'machine', a.timezone"""
    ).fetchall()
    parts, machine = [], False
    for zone, source, names in zones:
        who = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        if source == "gps":
            parts.append(athlete_zone.gps_note(names, zone))
        elif source == "machine":
            machine = True
            parts.append(f"{zone}, this machine's zone, for {who}")
        else:
            parts.append(f"{zone}, stored on {who}")
    note = "time zone: " + "; ".join(parts)
    if machine:
        note += " (if that is wrong, re-import with --timezone ZONE: the rows are updated)"
    return note


def _place_implausible(con: duckdb.DuckDBPyConnection, path: Path, import_id: int, delimiter: str) -> None:
    """Give rows the plausibility rules refused their physical line where a quoted field spans lines.

    Their line is `rec + 2` unless `_locate_rejects` mapped records to lines; it did not when the file
    had no other rejects, and then every reject of this import is such a row, so all are remapped.
    """
    mapped = con.execute("select count(*) from duckdb_tables() where table_name = '_recmap'").fetchone()[0]
    if mapped or not con.execute("select count(*) from _implausible").fetchone()[0]:
        return
    if record_lines(con, path, delimiter):  # the file read without rejects, so as UTF-8 text too
        con.execute(
            """update import_rejects set line = m.line from _recmap m
               where import_rejects.import_id = ? and import_rejects.line = m.rec + 2""",
            [import_id],
        )


def _locate_rejects(con: duckdb.DuckDBPyConnection, path: Path, header: Header) -> None:
    """Collect every rejected row in `_rejects` (line, column, reason) with its physical line."""
    con.execute(
        """create or replace temp table _rejects as
           select null::integer as line, null::varchar as "column", null::varchar as reason where false"""
    )
    parse_rejects = con.execute("select count(*) from _parsed where reject_reason is not null").fetchone()[0]
    read_rejects = con.execute("select count(*) from _read_rejects").fetchone()[0]
    if not parse_rejects and not read_rejects:
        return
    header_names = [{"idx": i, "name": n} for i, n in enumerate(header.shown)]
    reasons = [{"type": k, "text": v} for k, v in READ_REASONS.items()]
    # DuckDB's record count is the line wherever no quoted field spans lines: the fallback when the
    # text can't be read (not UTF-8) or its quotes are too broken to tell where records start.
    if record_lines(con, path, header.delimiter):
        parse_line = "coalesce((select line from _recmap m where m.rec = p.rec), p.rec + 2)"
        read_line = "coalesce((select line from _lines l where l.record = r.line), r.line)"
    else:
        parse_line, read_line = "p.rec + 2", "r.line"
    con.execute(
        f"""insert into _rejects
            select {parse_line}, reject_column, reject_reason
            from _parsed p where reject_reason is not null
            union all
            select {read_line}, h.name, coalesce(x.text, split_part(r.message, chr(10), 1))
            from _read_rejects r
            left join (select unnest(?, recursive := true)) h on h.idx = r.column_idx
            left join (select unnest(?, recursive := true)) x on x.type = r.error_type""",
        [header_names, reasons],
    )


__all__ = ["FileResult", "ImportOptions", "Reject", "import_file", "import_paths", "read_rows", "stage_rows"]
