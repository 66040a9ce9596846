"""`crosstrain strava sync` end to end: fake Strava on 127.0.0.1, the real CLI, a real DuckDB file."""

from __future__ import annotations

import json
import math
import os
import signal
import stat
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from strava_helpers import CROSSTRAIN, query, run, secrets_in, stored_tokens, strava_env, tokens_path
from strava_server import FakeStrava

SKIJORING = ("Skijoring", "Skijoring")  # a sport type crosstrain has never heard of


@pytest.fixture
def server():
    with FakeStrava() as fake:
        yield fake


def connect(server: FakeStrava, db_path: Path, athlete_id: int = 1001, n: int = 0, **env: str) -> dict:
    code = server.add_athlete(athlete_id, "Ana", f"Runner{athlete_id}", activities=n)
    environ = strava_env(server, db_path, **env)
    assert run(environ, "strava", "connect", "--code", code).returncode == 0
    server.reset_counts()
    return environ


def activity_counts(db_path: Path) -> tuple[int, int]:
    return query(db_path, "select count(*), count(distinct strava_id) from activities")[0]


def assert_no_secret(server: FakeStrava, *outputs: str) -> None:
    text = "".join(outputs)
    leaked = [s for s in secrets_in(server) if s in text]
    assert not leaked


def test_first_sync_stores_every_activity_in_the_floor_of_requests(server: FakeStrava, db_path: Path) -> None:
    env = connect(server, db_path, n=1000)
    unknown_id = server.add_activities(1001, 1, sport=SKIJORING)[0]
    done = run(env, "strava", "sync", real=True)
    assert done.returncode == 0, done.stderr
    assert "Ana Runner1001: 1001 new, 0 updated, 0 deleted, 0 unchanged" in done.stdout

    lists = server.list_requests()
    assert len(lists) == 6 <= math.ceil(1001 / 200) + 1
    assert len(server.seen) == 6  # no per-activity requests, no token refresh needed
    assert all(r.query["per_page"] == "200" and r.query["after"] == "0" for r in lists)
    assert activity_counts(db_path) == (1001, 1001)
    by_category = dict(query(db_path, "select category, count(*) from activities group by all"))
    assert by_category == {
        "run": 500,
        "strength": 125,
        "pilates": 125,
        "mobility": 125,
        "cross": 125,
        "other": 1,
    }
    row = query(
        db_path,
        """select sport_type, category, source, source_id, start_at, start_local, moving_s, avg_hr,
                  relative_effort, raw->>'$.external_id' from activities where strava_id = ?""",
        [unknown_id],
    )[0]
    sent = server.activities[1001][-1]
    assert row[:4] == ("Skijoring", "other", "strava", str(unknown_id))
    assert row[4].strftime("%Y-%m-%dT%H:%M:%SZ") == sent["start_date"]
    assert row[5].strftime("%Y-%m-%dT%H:%M:%SZ") == sent["start_date_local"]
    assert row[6:9] == (sent["moving_time"], sent["average_heartrate"], sent["suffer_score"])
    assert row[9] == sent["external_id"]
    assert query(db_path, "select kind, status, rows_new, athlete_id is not null from imports") == [
        ("strava_sync", "ok", 1001, True)
    ]

    # nothing new: one request, nothing written twice
    server.reset_counts()
    again = run(env, "strava", "sync")
    assert again.returncode == 0, again.stderr
    assert len(server.seen) == 1
    newest = max(a["start_date"] for a in server.activities[1001])
    newest_s = int(query(db_path, "select epoch(?::timestamptz)", [newest])[0][0])
    assert int(server.seen[0].query["after"]) == newest_s - 7 * 86400
    assert "0 new, 0 updated, 0 deleted" in again.stdout
    assert activity_counts(db_path) == (1001, 1001)

    # three new activities and one edited in the look-back window: still one request
    server.add_activities(1001, 3)
    server.activities[1001][-5]["name"] = "Renamed after upload"
    server.reset_counts()
    third = run(env, "strava", "sync")
    assert len(server.seen) == 1
    assert "3 new, 1 updated, 0 deleted" in third.stdout
    assert query(db_path, "select count(*) from activities where name = 'Renamed after upload'") == [(1,)]
    assert activity_counts(db_path) == (1004, 1004)
    assert_no_secret(server, done.stdout, done.stderr, again.stdout, again.stderr, third.stdout, third.stderr)


def test_faults_are_retried_and_the_token_refreshed_mid_sync(server: FakeStrava, db_path: Path) -> None:
    env = connect(server, db_path, n=650, CROSSTRAIN_HTTP_TIMEOUT_S="1")
    before = stored_tokens()["1001"]
    server.fault("500", page=1, times=2)
    server.fault("429", page=2, times=2)  # a burst: wait for the next window, twice
    server.fault("slow", page=2, seconds=2.5)  # longer than the client's time-out
    server.fault("malformed", page=3)
    server.fault("drop", page=3)
    server.fault("expire", page=4)  # the access token expires: 401, refresh, retry
    done = run(env, "strava", "sync")
    assert done.returncode == 0, done.stderr
    assert "650 new, 0 updated, 0 deleted, 0 unchanged" in done.stdout
    assert activity_counts(db_path) == (650, 650)

    statuses = [(r.page, r.status) for r in server.list_requests()]
    assert statuses.count((1, 500)) == 2 and statuses.count((2, 429)) == 2 and (4, 401) in statuses
    assert [page for page, _ in statuses].count(2) == 4  # two 429s, one timed out, one answered
    assert [page for page, _ in statuses].count(3) == 3  # malformed JSON, dropped connection, answered
    refreshes = [r for r in server.seen if r.form.get("grant_type") == "refresh_token"]
    assert len(refreshes) == 1
    after = stored_tokens()["1001"]
    assert after["refresh_token"] != before["refresh_token"] and after["refresh_token"] in server.refresh
    assert stat.S_IMODE(tokens_path().stat().st_mode) == 0o600
    assert_no_secret(server, done.stdout, done.stderr)
    assert before["refresh_token"] not in done.stdout + done.stderr


def test_tokens_are_refreshed_before_they_expire(db_path: Path) -> None:
    with FakeStrava(token_ttl_s=60) as server:  # expires within the 5-minute margin
        env = connect(server, db_path, n=10)
        done = run(env, "strava", "sync")
        assert done.returncode == 0, done.stderr
        assert [r.form.get("grant_type") for r in server.seen[:1]] == ["refresh_token"]
        assert [r.status for r in server.list_requests()] == [200]
        assert stored_tokens()["1001"]["access_token"] in server.access
        assert_no_secret(server, done.stdout, done.stderr)


def test_persistent_server_errors_end_in_one_line_keeping_the_pages_fetched(
    server: FakeStrava, db_path: Path
) -> None:
    env = connect(server, db_path, n=500)
    server.fault("503", page=2, times=50)
    done = run(env, "strava", "sync")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "HTTP 503 after 5 attempts" in done.stderr
    assert "saved 200 new" in done.stderr
    assert activity_counts(db_path) == (200, 200)
    assert query(db_path, "select status from imports") == [("failed",)]


@pytest.mark.parametrize("kind", ["exhaust", "429", "exhaust_daily"])
def test_no_wait_stops_at_a_used_up_limit_and_the_next_sync_resumes(
    server: FakeStrava, db_path: Path, kind: str
) -> None:
    env = connect(server, db_path, n=700)
    server.fault(kind, page=3)
    done = run(env, "strava", "sync", "--no-wait")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "rate limit is used up" in done.stderr
    assert ("daily" in done.stderr) == (kind == "exhaust_daily")
    saved = 600 if kind.startswith("exhaust") else 400
    assert f"saved {saved} new" in done.stderr and "run `crosstrain strava sync` again after" in done.stderr
    assert activity_counts(db_path) == (saved, saved)
    assert query(db_path, "select status from imports") == [("stopped",)]

    resumed = run(env, "strava", "sync", "--no-wait")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{700 - saved} new" in resumed.stdout
    assert activity_counts(db_path) == (700, 700)


def test_waiting_for_a_used_up_window_says_so(server: FakeStrava, db_path: Path) -> None:
    env = connect(server, db_path, n=300)
    server.fault("exhaust", page=1)
    done = run(env, "strava", "sync")
    assert done.returncode == 0, done.stderr
    assert "15-minute rate limit is used up" in done.stderr and "waiting until" in done.stderr
    assert activity_counts(db_path) == (300, 300)


def test_full_sync_removes_deleted_activities_but_never_all(server: FakeStrava, db_path: Path) -> None:
    env = connect(server, db_path, n=250)
    assert run(env, "strava", "sync").returncode == 0
    gone = server.activities[1001][3]["id"]
    server.delete_activity(1001, gone)
    server.reset_counts()
    marker = query(db_path, "select version from athlete_versions")
    full = run(env, "strava", "sync", "--full")
    assert full.returncode == 0, full.stderr
    assert "0 new, 0 updated, 1 deleted, 249 unchanged" in full.stdout
    assert query(db_path, "select version from athlete_versions") != marker  # ingest/database/versions.py
    assert [r.query["after"] for r in server.list_requests()] == ["0", "0"]
    assert query(db_path, "select count(*) from activities where strava_id = ?", [gone]) == [(0,)]
    assert query(db_path, "select rows_deleted from imports order by import_id desc limit 1") == [(1,)]

    server.activities[1001] = []
    refused = run(env, "strava", "sync", "--full")
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "refusing to delete all 249" in refused.stderr
    assert activity_counts(db_path) == (249, 249)


def test_sync_killed_mid_way_resumes_without_duplicates_or_gaps(server: FakeStrava, db_path: Path) -> None:
    env = connect(server, db_path, n=1100, CROSSTRAIN_HTTP_TIMEOUT_S="60")
    server.fault("slow", page=4, seconds=8)
    proc = subprocess.Popen(
        [CROSSTRAIN, "strava", "sync"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert server.wait_for(lambda seen: any(r.page == 4 for r in seen), timeout=60)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert activity_counts(db_path) == (600, 600)  # pages 1-3 were committed as they arrived
    assert query(db_path, "select status, pid from imports") == [("running", proc.pid)]

    server.reset_counts()
    resumed = run(env, "strava", "sync")
    assert resumed.returncode == 0, resumed.stderr
    # the killed sync's process is gone: marked when the database was next opened for writing
    assert query(db_path, "select status from imports order by import_id") == [("interrupted",), ("ok",)]
    assert activity_counts(db_path) == (1100, 1100)
    ids = {a["id"] for a in server.activities[1001]}
    assert {r[0] for r in query(db_path, "select strava_id from activities")} == ids
    assert int(server.list_requests()[0].query["after"]) > 0  # resumed from the cursor, not from scratch


def test_every_connected_athlete_is_synced_or_just_the_one_named(server: FakeStrava, db_path: Path) -> None:
    env = connect(server, db_path, 1001, n=30)
    env = connect(server, db_path, 1002, n=45)
    done = run(env, "strava", "sync")
    assert done.returncode == 0, done.stderr
    assert "Ana Runner1001: 30 new" in done.stdout and "Ana Runner1002: 45 new" in done.stdout
    per_athlete = query(
        db_path, "select a.name, count(*) from activities join athletes a using (athlete_id) group by 1"
    )
    assert sorted(per_athlete) == [("Ana Runner1001", 30), ("Ana Runner1002", 45)]

    server.add_activities(1001, 2)
    server.add_activities(1002, 2)
    server.reset_counts()
    one = run(env, "strava", "sync", "--athlete", "Ana Runner1002")
    assert "Ana Runner1002: 2 new" in one.stdout and "1001" not in one.stdout
    assert len(server.seen) == 1
    unknown = run(env, "strava", "sync", "--athlete", "Nobody")
    assert unknown.returncode == 1 and "no connected Strava athlete named 'Nobody'" in unknown.stderr


def test_rows_from_a_strava_export_are_updated_in_place_keeping_their_rpe(
    server: FakeStrava, db_path: Path
) -> None:
    from ingest.database import db, store

    env = connect(server, db_path, n=5)
    first = server.activities[1001][0]
    with db.connect(db_path) as con:  # what a Strava export import leaves behind
        athlete_id = con.execute("select athlete_id from athletes").fetchone()[0]
        con.execute(
            """create temp table staged as select ?::integer as athlete_id, 'strava' as source,
               ?::varchar as source_id, ?::bigint as strava_id, ?::timestamp as start_at,
               ?::timestamp as start_local, true as has_time, 'Run' as sport_type, 'Morning Run' as name,
               'felt good' as description, ?::double as moving_s, null::double as elapsed_s,
               null::double as distance_m, null::double as elevation_gain_m, null::double as avg_hr,
               null::double as max_hr, 7.0 as rpe, null::double as relative_effort, null::json as raw""",
            [
                athlete_id,
                str(first["id"]),
                first["id"],
                first["start_date"][:-1],
                first["start_date_local"][:-1],
                first["moving_time"],
            ],  # fmt: skip
        )
        store.write_activities(con, "staged", None, {})
    done = run(env, "strava", "sync")
    assert "4 new, 1 updated" in done.stdout
    row = query(
        db_path,
        "select rpe, description, name, raw->>'$.id' from activities where strava_id = ?",
        [first["id"]],
    )
    assert row == [(7.0, "felt good", first["name"], str(first["id"]))]
    assert activity_counts(db_path) == (5, 5)
    json.dumps(row)


def test_phone_and_watch_uploads_count_once_until_one_is_deleted(server: FakeStrava, db_path: Path) -> None:
    env = connect(server, db_path, n=2)
    watch = server.activities[1001][0]
    phone_id = 9_000_001  # the same run from a phone app, started 40 s later, 60 s shorter
    phone = {**watch, "id": phone_id, "name": "Nike Run Club", "moving_time": watch["moving_time"] - 60}
    for key in ("start_date", "start_date_local"):
        start = datetime.strptime(watch[key], "%Y-%m-%dT%H:%M:%SZ") + timedelta(seconds=40)
        phone[key] = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    server.activities[1001].append(phone)
    done = run(env, "strava", "sync")
    assert "3 new, 0 updated, 0 deleted, 0 unchanged; 1 double recording, counted once" in done.stdout
    assert query(db_path, "select strava_id from activities where twin_of is not null") == [(phone_id,)]
    server.delete_activity(1001, watch["id"])  # deleted on Strava: the phone's recording counts now
    assert run(env, "strava", "sync", "--full").returncode == 0
    assert query(db_path, "select count(*), count(twin_of) from activities") == [(2, 0)]
