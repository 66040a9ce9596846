"""Strava sync isolates athletes (issue 20 item 4): one athlete's failure is that athlete's line, the
others sync, and the exit code says some failed. The real local HTTP server plays each fault for the
first athlete's requests only."""

from __future__ import annotations

from pathlib import Path

import pytest
from strava_helpers import query, run, strava_env
from strava_server import FakeStrava

ANA, BEN = 1001, 1002  # synced in name order: Ana first


@pytest.fixture
def server():
    with FakeStrava() as fake:
        yield fake


def two_athletes(server: FakeStrava, db_path: Path) -> dict[str, str]:
    env = strava_env(server, db_path, CROSSTRAIN_HTTP_TIMEOUT_S="1")
    for athlete_id, first in ((ANA, "Ana"), (BEN, "Ben")):
        code = server.add_athlete(athlete_id, first, "Runner", activities=5)
        assert run(env, "strava", "connect", "--code", code).returncode == 0
    assert run(env, "strava", "sync").returncode == 0
    server.add_activities(ANA, 3)
    server.add_activities(BEN, 4)
    return env


def stored(db_path: Path, name: str) -> int:
    return query(
        db_path,
        "select count(*) from activities join athletes t using (athlete_id) where t.name like ?",
        [name + "%"],
    )[0][0]


@pytest.mark.parametrize("fault", ["500", "revoked", "timeout", "malformed", "wrong_shape"])
def test_one_athletes_failure_does_not_stop_the_others(server: FakeStrava, db_path: Path, fault: str) -> None:
    env = two_athletes(server, db_path)
    if fault == "revoked":
        server.revoke(ANA)
        server.expire_tokens()
    elif fault == "timeout":
        server.fault("slow", seconds=2.5, times=100, athlete=ANA)
    else:
        server.fault(fault, times=100, athlete=ANA)
    result = run(env, "strava", "sync")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    errors = result.stderr.splitlines()
    assert all(line.startswith("error: ") for line in errors), result.stderr
    assert len(errors) == 1 and "Ana" in errors[0], result.stderr
    assert "Ben Runner: 4 new" in result.stdout
    assert "1 of 2 athletes failed; 1 synced." in result.stdout
    assert stored(db_path, "Ben") == 9
    assert stored(db_path, "Ana") == 5
    assert query(db_path, "select count(*) from imports where status = 'running'")[0][0] == 0
