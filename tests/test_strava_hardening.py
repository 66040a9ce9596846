"""Strava answers that used to break the sync: bad activities, malformed answers, 403, damaged tokens.

Fake Strava on 127.0.0.1, the real CLI, a real DuckDB file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
import requests
from strava_helpers import query, run, strava_env, tokens_path
from strava_server import FakeStrava

from ingest.database import db


@pytest.fixture
def server():
    with FakeStrava() as fake:
        yield fake


def connect(server: FakeStrava, db_path: Path, n: int = 0) -> dict:
    code = server.add_athlete(1001, "Ana", "Runner", activities=n)
    environ = strava_env(server, db_path)
    done = run(environ, "strava", "connect", "--code", code)
    assert done.returncode == 0, done.stderr
    server.reset_counts()
    return environ


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ") and "Traceback" not in stderr
    return lines[0]


def test_bad_activities_are_rejected_and_the_rest_of_every_page_is_stored(
    server: FakeStrava, db_path: Path
) -> None:
    env = connect(server, db_path, n=450)  # three pages
    acts = server.activities[1001]
    acts[10]["start_date_local"] = None
    acts[11]["id"] = None
    acts[12]["distance"] = "abc"
    acts[13]["average_heartrate"] = 400.0
    acts[14]["moving_time"] = {"seconds": 60}
    acts[300]["distance"] = "1" + "0" * 400  # +inf as a double
    acts[301]["start_date"] = acts[301]["start_date_local"] = "2030-06-01T08:00:00Z"  # a watch's wrong clock
    ids = {i: acts[i]["id"] for i in (10, 12, 13, 14, 300, 301)}

    done = run(env, "strava", "sync")
    assert done.returncode == 1  # something was rejected, as `import` does
    assert "Ana Runner: 443 new, 0 updated, 0 deleted, 0 unchanged, 7 rejected" in done.stdout
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 7 and "Traceback" not in done.stderr
    assert (
        f"error: Strava activity {ids[12]} of Ana Runner: field 'distance': cannot read \"abc\" as a number; "
        "activity skipped" in errors
    )
    assert (
        f"error: Strava activity {ids[13]} of Ana Runner: field 'avg_hr': average heart rate 400.0 bpm is "
        "outside 25..250 bpm; activity skipped" in errors
    )
    assert any(
        "a Strava activity without an id" in e and "field 'id': missing (WeightTraining #11" in e
        for e in errors
    ), errors
    assert query(db_path, "select count(*) from activities")[0][0] == 443
    rejected = dict(
        query(db_path, 'select source_id, "column" from import_rejects where source_id is not null')
    )
    assert rejected == {
        str(ids[10]): "start_date_local",
        str(ids[12]): "distance",
        str(ids[13]): "avg_hr",
        str(ids[14]): "moving_time",
        str(ids[300]): "distance_m",
        str(ids[301]): "start_at",
    }
    assert query(db_path, "select status, rows_new, rows_rejected from imports") == [("ok", 443, 7)]

    # the 2030 activity was not stored, so the next sync still asks for what is new
    new_ids = server.add_activities(1001, 3)
    newest = datetime.fromisoformat(acts[449]["start_date"].replace("Z", "+00:00"))
    for k, act in enumerate(acts[-3:], 1):  # dated after the newest plausible one, not after 2030
        act["start_date"] = act["start_date_local"] = (newest + timedelta(hours=k)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
    server.reset_counts()
    again = run(env, "strava", "sync")
    assert "3 new" in again.stdout
    assert query(
        db_path, "select count(*) from activities where strava_id in (select unnest(?))", [new_ids]
    ) == [(3,)]


def test_an_activity_stored_in_the_future_does_not_hide_new_ones(server: FakeStrava, db_path: Path) -> None:
    env = connect(server, db_path, n=20)
    assert run(env, "strava", "sync").returncode == 0
    # a database from before the plausibility rules may hold one: the cursor ignores it
    con = duckdb.connect(str(db_path))
    con.execute(
        "update activities set start_at = '2030-01-01' where strava_id = ?",
        [server.activities[1001][0]["id"]],
    )
    con.close()
    server.add_activities(1001, 2)
    server.reset_counts()
    done = run(env, "strava", "sync")
    assert "2 new" in done.stdout
    newest = server.activities[1001][19]["start_date"]
    after = int(server.list_requests()[0].query["after"])
    assert (
        after
        == int(__import__("datetime").datetime.fromisoformat(newest.replace("Z", "+00:00")).timestamp())
        - 7 * 86400
    )


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("empty", "an empty answer"),
        ("malformed", "malformed JSON"),
        ("wrong_shape", "expected a JSON list of activities, got an object"),
    ],
)
def test_malformed_list_answers_are_retried_then_one_line(
    server: FakeStrava, db_path: Path, kind: str, said: str
) -> None:
    env = connect(server, db_path, n=5)
    server.fault(kind, times=1)
    done = run(env, "strava", "sync")
    assert done.returncode == 0 and "5 new" in done.stdout  # transient: the retry got it
    server.fault(kind, times=10)
    done = run(env, "strava", "sync")
    line = one_error_line(done.stderr)
    assert f"/api/v3/athlete/activities: {said} after 5 attempts; try again later" in line
    assert query(db_path, "select status from imports order by import_id") == [("ok",), ("failed",)]


def test_a_token_answer_without_access_token_is_one_line_in_connect(
    server: FakeStrava, db_path: Path
) -> None:
    code = server.add_athlete(1001, "Ana", "Runner")
    env = strava_env(server, db_path)
    server.fault("no_access_token", path="/oauth/token")
    done = run(env, "strava", "connect", "--code", code, real=True)
    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert (
        "/oauth/token: the token answer has no valid access_token; run `crosstrain strava connect` again"
        in line
    )
    assert len([s for s in server.seen if s.path == "/oauth/token"]) == 1  # a code is single-use
    assert not tokens_path().exists()
    assert run(env, "strava", "connect", "--code", code).returncode == 0


def test_a_malformed_athlete_in_the_token_answer_is_one_line(server: FakeStrava, db_path: Path) -> None:
    code = server.add_athlete(1001, "Ana", "Runner")
    env = strava_env(server, db_path)
    server.fault("bad_athlete", path="/oauth/token")
    done = run(env, "strava", "connect", "--code", code)
    line = one_error_line(done.stderr)
    assert line.startswith("error: Strava's answer to the code exchange was malformed (")
    assert line.endswith("run `crosstrain strava connect` again") and not tokens_path().exists()


def test_a_token_refresh_without_access_token_is_retried_then_one_line(
    server: FakeStrava, db_path: Path
) -> None:
    env = connect(server, db_path, n=3)
    server.expire_tokens()
    con_tokens = json.loads(tokens_path().read_text())
    con_tokens["1001"]["expires_at"] = 0
    tokens_path().write_text(json.dumps(con_tokens))
    server.fault("no_access_token", path="/oauth/token", times=1)
    done = run(env, "strava", "sync")
    assert done.returncode == 0 and "3 new" in done.stdout
    con_tokens = json.loads(tokens_path().read_text())
    con_tokens["1001"]["expires_at"] = 0
    tokens_path().write_text(json.dumps(con_tokens))
    server.fault("no_access_token", path="/oauth/token", times=10)
    done = run(env, "strava", "sync")
    assert "/oauth/token: the token answer has no valid access_token after 5 attempts" in one_error_line(
        done.stderr
    )


def test_inactive_application_is_one_line_without_retries(server: FakeStrava, db_path: Path) -> None:
    env = connect(server, db_path, n=3)
    server.fault("inactive", times=100)
    done = run(env, "strava", "sync", real=True)
    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert "your Strava API application is inactive" in line
    assert "no active Strava subscription" in line and "https://www.strava.com/settings/api" in line
    assert len(server.list_requests()) == 1  # no stack of retries
    # connect says the same (the token endpoint refuses an inactive application too)
    server.faults.clear()
    server.fault("inactive", path="/oauth/token")
    done = run(env, "strava", "connect", "--code", server.issue_code(1001))
    assert "application is inactive" in one_error_line(done.stderr)
    # any other 403 is one line too
    server.faults.clear()
    server.fault("forbidden")
    done = run(env, "strava", "sync")
    assert "/api/v3/athlete/activities: HTTP 403 Forbidden: Forbidden;" in one_error_line(done.stderr)


@pytest.mark.parametrize(
    "damage",
    [
        "{not json",
        "[]",
        '{"1001": "token"}',
        '{"1001": {"refresh_token": "r", "expires_at": 1}}',
        '{"1001": {"access_token": "a", "refresh_token": "r", "expires_at": "soon"}}',
        '{"ana": {"access_token": "a", "refresh_token": "r", "expires_at": 1}}',
    ],
)
def test_a_damaged_token_file_is_one_line_naming_it_and_connect_repairs_it(
    server: FakeStrava, db_path: Path, damage: str
) -> None:
    env = connect(server, db_path, n=2)
    tokens_path().write_text(damage)
    done = run(env, "strava", "sync", real=True)
    line = one_error_line(done.stderr)
    assert line.startswith(f"error: {tokens_path()}: the Strava tokens file is damaged (")
    assert "run `crosstrain strava connect` again" in line
    done = run(env, "strava", "connect", "--code", server.issue_code(1001), real=True)
    assert done.returncode == 0, done.stderr
    assert tokens_path().with_name("strava_tokens.json.damaged").read_text() == damage
    assert oct(tokens_path().with_name("strava_tokens.json.damaged").stat().st_mode & 0o777) == "0o600"
    assert run(env, "strava", "sync").returncode == 0


def test_tokens_travel_in_the_authorization_header_to_the_configured_host(
    server: FakeStrava, db_path: Path
) -> None:
    env = connect(server, db_path, n=3)
    assert run(env, "strava", "sync").returncode == 0
    assert server.seen and all("access_token" not in s.query for s in server.seen)
    token = json.loads(tokens_path().read_text())["1001"]["access_token"]
    # the token in the URL, as old clients sent it, is refused: only the header counts
    url = f"{server.url}/api/v3/athlete/activities"
    assert requests.get(url, params={"access_token": token}, timeout=5).status_code == 401
    assert requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=5).status_code == 200


def test_imports_left_running_by_a_dead_process_are_marked_interrupted(db_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    with db.connect(db_path) as con:
        con.execute(
            """insert into imports (kind, path, started_at, pid) values
               ('strava_sync', 'strava', now(), ?), ('strava_sync', 'strava', now(), ?),
               ('strava_sync', 'strava', now(), null)""",
            [dead_pid, os.getpid()],
        )
    with db.connect(db_path) as con:  # opened for writing: the sweep runs
        statuses = con.execute("select pid, status from imports order by import_id").fetchall()
    assert statuses == [(dead_pid, "interrupted"), (os.getpid(), "running"), (None, "interrupted")]
    with db.connect(db_path, read_only=True) as con:
        assert con.execute("select count(*) from imports where finished_at is not null").fetchone()[0] == 2
