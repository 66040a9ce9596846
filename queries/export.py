"""The database as Parquet, for engines that read files (Apache Spark, DuckDB, pandas/pyarrow).

Layout of `crosstrain export --parquet DIR` (format version 1):

    DIR/crosstrain_export.json              manifest: format, version, schema_version, tables
    DIR/athletes.parquet                    one file per table ...
    DIR/activities/athlete_id=N/*.parquet   ... except activities: Hive-style folders, one per athlete

Every table of the database is exported (the analytics read some, other tools may read the rest), so
tables that later migrations add are exported without a change here; the tables in PARTITIONED are split
by athlete. The manifest lists each table with its path (relative to DIR), row count and partition
columns. JSON columns are written as text. The export is written beside DIR and renamed into place,
so DIR is either the old export or the new one, never half of one.
"""

from __future__ import annotations

import errno
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingest.database.db import schema_version
from ingest.errors import CrosstrainError

MANIFEST = "crosstrain_export.json"
FORMAT = "crosstrain-parquet"
VERSION = 1
# Tables split into one folder per athlete: the ones that grow with every session.
PARTITIONED: dict[str, list[str]] = {"activities": ["athlete_id"]}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _path(path: Path) -> str:
    """A file path as an SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def _select(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """`select` of every column, JSON as text (Parquet readers disagree on DuckDB's JSON type)."""
    cols = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'main' and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()
    out = [f"cast({_quote(c)} as varchar) as {_quote(c)}" if t == "JSON" else _quote(c) for c, t in cols]
    order = " order by " + ", ".join(PARTITIONED[table]) if table in PARTITIONED else ""
    return f"select {', '.join(out)} from {_quote(table)}{order}"


def _write_table(con: duckdb.DuckDBPyConnection, table: str, out: Path) -> dict:
    rows = con.execute(f"select count(*) from {_quote(table)}").fetchone()[0]
    query = _select(con, table)
    by = PARTITIONED.get(table)
    if by and rows:
        folder = out / table
        con.execute(
            f"copy ({query}) to {_path(folder)} (format parquet, partition_by ({', '.join(by)}))",
        )
        return {"path": table, "rows": rows, "partitioned_by": by}
    if by:  # no rows: no partition folders, so one file keeps the schema readable
        (out / table).mkdir()
        con.execute(f"copy ({query}) to {_path(out / table / 'empty.parquet')} (format parquet)")
        return {"path": table, "rows": 0, "partitioned_by": by}
    con.execute(f"copy ({query}) to {_path(out / (table + '.parquet'))} (format parquet)")
    return {"path": f"{table}.parquet", "rows": rows, "partitioned_by": []}


def export_parquet(con: duckdb.DuckDBPyConnection, target: Path) -> dict:
    """Write every table of `con` under `target` (layout above) and return the manifest.

    `target` must be missing, empty, or an earlier export (which is replaced). A symbolic link to a
    folder is followed: the export is written into the folder it points to, and the link stays. A full
    disk is said as such, and the earlier export stays as it was.
    """
    target = Path(target)
    if target.is_symlink():
        target = target.resolve()
    if target.exists() and any(target.iterdir()) and not (target / MANIFEST).exists():
        raise CrosstrainError(f"{target}: not empty and not a crosstrain export; choose a new folder")
    tables = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'main' and table_type = 'BASE TABLE' order by table_name"
        ).fetchall()
    ]
    partial = target.with_name(target.name + ".partial")
    old = target.with_name(target.name + ".old")
    for leftover in (partial, old):  # of an export killed half-way
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        partial.mkdir(parents=True)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "schema_version": schema_version(con),
            "exported_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tables": {table: _write_table(con, table, partial) for table in tables},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    except (OSError, duckdb.Error) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        if _disk_full(exc):
            raise CrosstrainError(
                f"{target}: the disk is full (no space left on device); the export was not written"
                + ("; the earlier export is unchanged" if (target / MANIFEST).exists() else "")
            ) from None
        raise
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    partial.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return manifest


def _disk_full(exc: BaseException) -> bool:
    return getattr(exc, "errno", None) == errno.ENOSPC or "No space left on device" in str(exc)


def read_manifest(source: Path) -> dict:
    """The manifest of an export folder; CrosstrainError when `source` is not one."""
    path = Path(source) / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CrosstrainError(
            f"{source}: not a crosstrain export (no {MANIFEST}); write one with crosstrain export --parquet"
        ) from None
    except OSError as exc:
        raise CrosstrainError(f"{path}: cannot read the export manifest: {exc}") from None
    return parse_manifest(text, str(path))


def parse_manifest(text: str, where: str) -> dict:
    """A manifest's JSON, checked for this format and version."""
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        raise CrosstrainError(f"{where}: cannot read the export manifest: {exc}") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise CrosstrainError(f"{where}: unknown export format; export again with this crosstrain")
    return manifest
