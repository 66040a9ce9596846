"""Opening the DuckDB store and migrating its schema.

DuckDB allows one writing process at a time, so connections are short-lived: open, work, close.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TypeVar

import duckdb

from ingest.database import plausibility
from ingest.errors import CrosstrainError, DatabaseBusyError
from ingest.settings import default_db_path

MIGRATIONS = "ingest.database.migrations"
PLAUSIBILITY_SCHEMA = 6  # the version that brought ingest/database/plausibility.py


def migration_files() -> list[tuple[int, str]]:
    """Every `NNN_name.sql` migration as (version, sql), oldest first."""
    found = []
    for entry in resources.files(MIGRATIONS).iterdir():
        if entry.name.endswith(".sql") and entry.name[:3].isdigit():
            found.append((int(entry.name[:3]), entry.read_text(encoding="utf-8")))
    return sorted(found)


SCHEMA_VERSION = migration_files()[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The version the database is at; 0 for an empty file.

    Looks the table up in `duckdb_tables()` of the file's own catalog: 0.8 ms on a new connection,
    where `information_schema.tables` cost 5.7 ms (its views are bound on their first use in each
    DuckDB instance, so on every `connect`). (Reading the table and catching its absence won't do:
    DuckDB's Python replacement scan then finds this function under the table's name.)"""
    exists = con.execute(
        """select count(*) from duckdb_tables() where database_name = current_database()
           and schema_name = 'main' and table_name = 'schema_version'"""
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration newer than the database, each in its own transaction."""
    current = before = schema_version(con)
    for version, sql in migration_files():
        if version <= current:
            continue
        con.execute("begin transaction")
        try:
            if version == 1:
                con.execute("create table schema_version (version integer not null, applied_at timestamp)")
            con.execute(sql)
            con.execute("insert into schema_version values (?, now() at time zone 'UTC')", [version])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        current = version
    if current > before:
        con.execute("checkpoint")  # the schema out of the write-ahead log at once (see _create)
    return current


def process_alive(pid: int) -> bool:
    """Whether process `pid` exists on this machine (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except (OSError, OverflowError):
        return False
    return True


def mark_interrupted(con: duckdb.DuckDBPyConnection) -> int:
    """Mark imports still `running` whose process is gone (killed, crashed, power cut) `interrupted`.

    A CSV import records itself inside its own transaction, so only a Strava sync (which commits page
    by page) can be left `running`; a row without a pid predates schema 6 and is treated as gone.
    """
    running = con.execute("select import_id, pid from imports where status = 'running'").fetchall()
    gone = [import_id for import_id, pid in running if pid is None or not process_alive(pid)]
    if gone:
        con.execute(
            """update imports set status = 'interrupted', finished_at = now() at time zone 'UTC'
               where import_id in (select unnest(?::integer[]))""",
            [gone],
        )
    return len(gone)


def _create(db: Path) -> None:
    """A new store, made whole under a temporary name, then put in place: a process killed while it
    is made leaves no half-made store. (DuckDB 2.0.1 can't replay a write-ahead log that holds the
    schema's statements: functions such as now() are not loaded yet when it reads the log, so a store
    killed while its tables were made could never be opened again.)"""
    making = db.with_name(f".{db.name}.{os.getpid()}.creating")
    try:
        con = duckdb.connect(str(making))
        try:
            con.execute("set TimeZone = 'UTC'")
            migrate(con)
            con.execute("checkpoint")
        finally:
            con.close()
        try:
            os.link(making, db)  # refused when another process made the store meanwhile: theirs stays
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not db.exists():
                os.replace(making, db)
    finally:
        making.unlink(missing_ok=True)
        making.with_name(making.name + ".wal").unlink(missing_ok=True)


def _open(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    def opened() -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(str(path), read_only=read_only)
        con.execute("set TimeZone = 'UTC'")
        return con

    return _retried(path, wait_s, opened)


def attach_read_only(con: duckdb.DuckDBPyConnection, path: Path, alias: str, wait_s: float) -> None:
    """Attach the store at `path` read-only to `con`'s instance as `alias`, checked like a read-only
    `connect` (locked: retried for `wait_s`; another schema: an error). Detaching releases the file.
    Attaching to a long-lived in-memory instance costs ~3 ms of CPU, opening the file ~19 ms (most of
    it making a DuckDB instance: an in-memory one costs as much)."""
    if not path.exists():
        raise _no_database(path)
    quoted = str(path).replace("'", "''")
    _retried(path, wait_s, lambda: con.execute(f"attach '{quoted}' as {alias} (read_only)"))
    try:
        version = con.execute(
            f"select coalesce(max(version), 0) from {alias}.main.schema_version"
        ).fetchone()[0]
    except duckdb.CatalogException:  # an empty file
        version = 0
    if version != SCHEMA_VERSION:
        con.execute(f"detach {alias}")
        raise _outdated(path)


def _no_database(path: Path) -> CrosstrainError:
    return CrosstrainError(
        f"{path}: no database yet; import some activities first (crosstrain import --help)"
    )


def _outdated(path: Path) -> CrosstrainError:
    return CrosstrainError(f"{path}: database schema is outdated; run any crosstrain import to upgrade it")


T = TypeVar("T")

# The store connections `connect` holds open now (their ids). `crosstrain`'s entry point ends the process
# without Python's teardown only when none is (crosstrain/cli.py's `main`): each was closed, its writes
# checkpointed, by the command itself.
OPEN: set[int] = set()


def _retried(path: Path, wait_s: float, fn: Callable[[], T]) -> T:
    """`fn()`, retried while another process holds the file's lock, for `wait_s` seconds."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return fn()
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise CrosstrainError(f"{path}: cannot open the database: {exc}") from exc
            if time.monotonic() >= deadline:
                raise DatabaseBusyError(
                    f"{path}: the database is in use by another crosstrain process; try again when it is done"
                ) from exc
            time.sleep(0.1)


@contextmanager
def connect(
    path: Path | str | None = None, read_only: bool = False, wait_s: float = 10.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the store, migrated to the current schema when writable.

    A locked database (another process writing) is retried for `wait_s` seconds before giving up.
    """
    db = Path(path) if path else default_db_path()
    if read_only and not db.exists():
        raise _no_database(db)
    if not read_only:
        db.parent.mkdir(parents=True, exist_ok=True)
        if not db.exists():
            _create(db)
    con = _open(db, read_only, wait_s)
    OPEN.add(id(con))
    try:
        if read_only:
            if schema_version(con) != SCHEMA_VERSION:
                raise _outdated(db)
        else:
            before = schema_version(con)
            migrate(con)
            if 0 < before < PLAUSIBILITY_SCHEMA:  # rows imported before the rules: counted nowhere
                con.execute("begin transaction")
                try:
                    plausibility.exclude_stored(con)
                    con.execute("commit")
                except BaseException:
                    con.execute("rollback")
                    raise
            mark_interrupted(con)
        yield con
    finally:
        OPEN.discard(id(con))
        con.close()
