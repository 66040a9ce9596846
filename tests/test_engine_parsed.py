"""Each SQL text is parsed by DuckDB once per process (queries/engine.py `parsed`): the parsed statement
serves every connection and instance, and a report from it is the report parsed afresh."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

import queries
from ingest.database.db import connect
from ingest.sample.synthetic import load_sample
from queries import engine


def test_a_text_is_parsed_once_and_serves_any_connection() -> None:
    one, other = duckdb.connect(), duckdb.connect()
    text = "select $a + 1 as x"
    first = engine.parsed(one, text)
    assert engine.parsed(other, text) is first
    assert other.execute(first, {"a": 41}).fetchall() == [(42,)]
    assert one.execute(first, {"a": 1}).fetchall() == [(2,)]  # executed again: DuckDB copies it
    with pytest.raises(ValueError, match="one SQL statement"):
        engine.parsed(one, "select 1; select 2")


def test_a_report_from_parsed_statements_equals_one_parsed_afresh(db_path: Path) -> None:
    assert load_sample(db_path, {}).error is None
    with connect(db_path, read_only=True) as con:
        names = [r[0] for r in con.execute("select name from athletes order by name").fetchall()]
        last = con.execute("select max(cast(start_local as date)) from activities").fetchone()[0]
    day = min(last, date.today())

    def reports() -> str:
        with connect(db_path, read_only=True) as con:
            return json.dumps([queries.report(con, n, day, {}) for n in names], sort_keys=True)

    engine._PARSED.clear()
    fresh = reports()
    assert engine._PARSED  # the report's statements were kept
    kept = dict(engine._PARSED)
    assert reports() == fresh  # every statement from the kept ones
    assert all(engine._PARSED[t] is s for t, s in kept.items())
