"""Each session's values computed once, after a write, and stored (ingest/database/session_values.py).

A session's HRmax, default intensity and load depend only on that session, the sessions before it,
the athlete's row and the settings. So after every command or dashboard action that writes
activities, `refresh` computes them for the athletes whose stored marker or basis is missing or
differs (engine.basis), with the very SQL the reports run (queries/sql/session_*.sql through
engine.ensure, never the stored path), in one pass over those athletes' whole history, and hands the
rows, with each athlete's sessions summed per month (session_months.sql), to ingest's writer. Readers
use them only while marker and basis still match (engine.stored_path), so a refresh that fails or is
killed leaves values stale (computed again), never wrong.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import duckdb

from ingest.database import session_values
from ingest.database.db import connect
from ingest.errors import first_line
from queries import engine
from queries.params import Params, resolve

log = logging.getLogger(__name__)

# The values cover every session: the last day a refresh computes to (session loads never depend on
# the day asked for, only on the sessions up to each one).
LAST_DAY = date(9999, 12, 30)


def refresh(con: duckdb.DuckDBPyConnection, settings: dict[str, Any] | Params) -> int:
    """Store the session values of every athlete whose stored ones are missing or stale for `settings`;
    returns how many athletes were computed (0: all were current, after one small query)."""
    params = resolve(settings)
    basis = engine.basis(params)
    markers = session_values.stale(con, basis)  # read before the data: see session_values.replace
    if not markers:
        return 0
    con.execute("set enable_progress_bar = false")  # after the command's own lines: no bar of ours
    with engine.request(con):
        engine.use_threads(con)
        engine.prepare_scope(con, [athlete_id for athlete_id, _ in markers], params)
        values = {"from": engine.EPOCH, "end": LAST_DAY, **engine._load(params)}
        engine.ensure(con, "session_load", values)  # computed: never the stored path
        engine.materialise(con, "session_months", engine._alphas(params))
        session_values.replace(con, markers, basis, "q_session_load", "q_session_months")
    return len(markers)


def refresh_file(
    path: Any, settings: dict[str, Any] | Params, con: duckdb.DuckDBPyConnection | None = None
) -> int | None:
    """`refresh` on the database at `path`, after a write committed; None when it failed (logged, and
    harmless: the values stay stale and the readers compute). `con`: a connection to it that the
    writer still holds (`crosstrain import`'s: no second open and close of the file, ~35 ms)."""
    try:
        if con is not None:
            return refresh(con, settings)
        with connect(path) as con:
            return refresh(con, settings)
    except Exception as exc:  # noqa: BLE001 - the write is done; stale values are only slower
        log.warning("%s: session values not stored (%s); reports compute them", path, first_line(exc))
        return None
