"""Fuzz: mutated Strava, Garmin and generic files, and mutated Strava API answers, imported for real.

A seeded generator (reproducible: the seed and iteration are in every failure message) mutates the
project's own fixtures and the fake Strava server's activities with values an attacker or a broken
device would send: impossible numbers, 400-digit numbers, NaN, dates in 0001 and 9999, wrong JSON
types, stray quotes, NUL bytes, cut lines. Bounded in time (FUZZ_SECONDS per part, well under 60 s in
all). After every import: no traceback, an exit code of 0 or 1 with `error:` lines only, the database
unchanged when a file was refused, no import left `running`; at the end no stored value breaks the
plausibility rules and `report` and `compare` print finite numbers.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner
from strava_helpers import run, strava_env
from strava_server import FakeStrava

from crosstrain.cli import cli
from ingest.database.plausibility import stored_violations_sql

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASES = ("strava_activities.csv", "garmin_activities.csv", "generic_team.csv", "strava_2018.csv")
SEED = int(os.environ.get("CROSSTRAIN_FUZZ_SEED", "20261129"))
FUZZ_SECONDS = float(os.environ.get("CROSSTRAIN_FUZZ_SECONDS", "15"))

HOSTILE = [
    "400", "-5", "0", "-0", "1e400", "-1e400", "1" + "0" * 400, "NaN", "nan", "inf", "-Infinity", "1e-300",
    "9999-12-31", "0001-01-01", "1899-12-31", "2099-01-01", "Jan 5, 9999, 6:30:00 AM",
    "Jan 1, 1900, 0:00:00 AM", "2030-06-01T08:00:00", "99:99:99", "999999:00:00", "00:00:00",
    "", "--", "abc", '"', '""', "\x00", ",", "\n", "é💪", "<script>alert(1)</script>", "1,000,000",
    "9" * 30, "12345678901234567890", "3600", "45:00", "10.02", "Run", "Weight Training", "Ride",
]  # fmt: skip
JSON_HOSTILE: list[Any] = [
    None, "abc", "", 400, -5, 0, 1e308, -1e308, 10**400, True, [], {}, {"a": 1}, "NaN", "Infinity",
    "9999-12-31T00:00:00Z", "0001-01-01T00:00:00Z", "2030-01-01T00:00:00Z", "1899-12-31T00:00:00Z",
    3.5, 2_000_000, 10**6, "\x00",
]  # fmt: skip
JSON_FIELDS = [
    "id", "start_date", "start_date_local", "distance", "moving_time", "elapsed_time", "average_heartrate",
    "max_heartrate", "total_elevation_gain", "suffer_score", "sport_type", "type", "name",
    "perceived_exertion",
]  # fmt: skip


def mutate_csv(text: str, rng: random.Random) -> bytes:
    """A few field replacements and structural damage on a CSV's text."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(1, max(2, len(lines)))
        if i >= len(lines):
            continue
        fields = lines[i].split(",")
        j = rng.randrange(len(fields))
        value = rng.choice(HOSTILE)
        fields[j] = f'"{value}"' if rng.random() < 0.5 else value
        lines[i] = ",".join(fields)
    roll = rng.random()
    if roll < 0.1 and len(lines) > 2:
        lines.insert(rng.randrange(1, len(lines)), rng.choice(lines[1:]))  # a repeated row
    elif roll < 0.2:
        cut = rng.randrange(len("\n".join(lines)))
        return "\n".join(lines)[:cut].encode()
    elif roll < 0.25:
        lines[0] = lines[0].replace(",", ";", 1)
    data = "\n".join(lines).encode()
    if rng.random() < 0.05:
        data += bytes(rng.randrange(256) for _ in range(8))
    return data


def activities(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from activities").fetchone()[0]
    finally:
        con.close()


def check_database(db: Path, where: str) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        bad = con.execute(stored_violations_sql()).fetchall()
        running = con.execute("select count(*) from imports where status = 'running'").fetchone()[0]
        athletes = [r[0] for r in con.execute("select name from athletes").fetchall()]
    finally:
        con.close()
    assert bad == [], f"{where}: stored values break the plausibility rules: {bad[:3]}"
    assert running == 0, f"{where}: an import was left running"
    runner = CliRunner()
    for args in [["compare", "--json"], *(["report", "--athlete", a, "--json"] for a in athletes)]:
        for as_of in ([], ["--as-of", "2024-03-31"]):
            out = runner.invoke(cli, ["--db", str(db), *args, *as_of], catch_exceptions=False)
            assert out.exit_code == 0, f"{where}: {args}: {out.output}"
            assert_finite(json.loads(out.stdout), f"{where}: {args}")
        text = runner.invoke(cli, ["--db", str(db), *args[:-1]], catch_exceptions=False)  # the tables
        assert text.exit_code == 0 and "Traceback" not in text.output and "nan" not in text.stdout.lower()


def assert_finite(value: Any, where: str) -> None:
    if isinstance(value, float):
        assert math.isfinite(value), where
    elif isinstance(value, dict):
        for v in value.values():
            assert_finite(v, where)
    elif isinstance(value, list):
        for v in value:
            assert_finite(v, where)


def test_mutated_export_files_never_break_the_import(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    db = tmp_path / "fuzz.duckdb"
    runner = CliRunner()
    deadline = time.monotonic() + FUZZ_SECONDS
    done = 0
    while time.monotonic() < deadline or done < 8:
        base = BASES[done % len(BASES)]
        data = mutate_csv((FIXTURES / base).read_text(encoding="utf-8"), rng)
        path = tmp_path / f"{done}_{base}"
        path.write_bytes(data)
        where = f"seed {SEED}, iteration {done} ({base})"
        before = activities(db) if db.exists() else 0
        args = [
            "import",
            "--athlete",
            "Fuzz",
            "--timezone",
            rng.choice(["UTC", "Pacific/Auckland"]),
            str(path),
        ]
        result = runner.invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
        assert result.exit_code in (0, 1), f"{where}: {result.output}"
        assert "Traceback" not in result.output, where
        assert all(line.startswith("error: ") for line in result.stderr.splitlines()), (
            f"{where}: {result.stderr}"
        )
        after = activities(db) if db.exists() else 0
        summary = re.search(
            r"(\d+) rows: (\d+) imported, (\d+) updated, (\d+) duplicates, (\d+) rejected", result.stdout
        )
        if summary is None:  # refused as a whole: nothing written
            assert after == before, where
        else:
            total, new, updated, dups, rejected = map(int, summary.groups())
            assert after >= before and new + updated + dups + rejected == total, f"{where}: {result.stdout}"
        done += 1
    check_database(db, f"seed {SEED} after {done} files")


@pytest.fixture
def server():
    with FakeStrava() as fake:
        yield fake


def test_mutated_strava_answers_never_break_the_sync(server: FakeStrava, tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    db = tmp_path / "fuzz.duckdb"
    code = server.add_athlete(1001, "Fuzz", "Runner", activities=30)
    env = strava_env(server, db)
    assert run(env, "strava", "connect", "--code", code).returncode == 0
    deadline = time.monotonic() + FUZZ_SECONDS / 2
    done = 0
    while time.monotonic() < deadline or done < 4:
        where = f"seed {SEED + 1}, sync {done}"
        ids = server.add_activities(1001, rng.randint(1, 12), sport=rng.choice([None, ("Run", "Run")]))
        for act in server.activities[1001][-len(ids) :]:
            for _ in range(rng.randint(0, 3)):
                act[rng.choice(JSON_FIELDS)] = rng.choice(JSON_HOSTILE)
        if rng.random() < 0.3:
            server.fault(rng.choice(["empty", "malformed", "wrong_shape", "500"]), times=rng.randint(1, 2))
        before = activities(db) if db.exists() else 0
        args = ["strava", "sync"] + (["--full"] if rng.random() < 0.2 else [])
        result = run(env, *args)
        assert result.returncode in (0, 1), f"{where}: {result.stderr}"
        assert "Traceback" not in result.stderr, where
        assert all(line.startswith("error: ") for line in result.stderr.splitlines()), (
            f"{where}: {result.stderr}"
        )
        if result.returncode == 1 and "rejected" not in result.stdout:
            assert "Strava" in result.stderr or "refusing" in result.stderr, where
        assert (activities(db) if db.exists() else 0) >= before or "--full" in args, where
        done += 1
    check_database(db, f"seed {SEED + 1} after {done} syncs")
