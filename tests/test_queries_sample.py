"""The bundled synthetic sample athletes through the real import path, as of 2026-11-22."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import queries
from ingest.database.db import connect
from ingest.sample.synthetic import BEA, JACK, MONA, TOM, load_sample

AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    load_sample(db, {})
    return db


def warnings_of(db: Path, athlete: str) -> dict[str, str]:
    with connect(db, read_only=True) as con:
        rep = queries.report(con, athlete, AS_OF, {})
    json.dumps(rep, allow_nan=False)
    return {w["code"]: w["severity"] for w in rep["warnings"]}


def test_balanced_athlete_has_no_support_warning(sample_db):
    found = warnings_of(sample_db, BEA)
    assert "no_support_work" not in found and "low_support_share" not in found
    assert "monotone_runs" not in found and "high_monotony" not in found


def test_monotone_runner_is_flagged(sample_db):
    found = warnings_of(sample_db, MONA)
    assert found["no_support_work"] == "high"
    assert {"low_support_share", "high_monotony", "monotone_runs"} <= set(found)


def test_jumper_gets_run_volume_jump(sample_db):
    # his weekly run km went 38.0 -> 62.8 (+65%) the week before last, then 70.0 (+12%)
    assert warnings_of(sample_db, JACK)["run_volume_jump"] == "warn"


def test_compare_puts_the_balanced_athlete_last(sample_db):
    with connect(sample_db, read_only=True) as con:
        out = queries.compare(con, AS_OF, {})
    names = [a["athlete"] for a in out["athletes"]]
    assert set(names) == {BEA, JACK, MONA, TOM} and names[-1] == BEA
    mona = next(a for a in out["athletes"] if a["athlete"] == MONA)
    assert mona["risk"] == "red" and mona["days_since_support"] is None and mona["support_share"] == 0.0
