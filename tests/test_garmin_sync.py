"""`crosstrain garmin connect|sync|disconnect` against the local Personal API server (garmin_server.py)."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from garmin_helpers import add_fit, day0, garmin_env, generated_fits, real_fits
from garmin_server import FakeGarmin, summary
from strava_helpers import CROSSTRAIN, query, run

from ingest.garmin.client import KEY_PAGE, MAX_IN_FLIGHT, PAGE_SIZE, WINDOW_DAYS


@pytest.fixture(scope="module")
def fits() -> dict[str, list[bytes]]:
    """Two athletes' files: generated runs and strength sessions over the last ~2 months, plus our mirrors
    of the real Garmin files of ../shared/formats (2018, 2026) and those files (2017, 2025) when that
    folder is beside the checkout, for the first."""
    return {
        "Ana": generated_fits(10, day0(60), seed=1, every_days=5) + real_fits(),
        "Ben": generated_fits(10, day0(45), seed=2, every_days=4),
    }


@pytest.fixture
def server():
    with FakeGarmin(retry_after=0.2) as s:
        yield s


def connect(server: FakeGarmin, db_path: Path, name: str = "Ana", **extra: str) -> tuple[dict[str, str], str]:
    key = server.add_athlete()
    env = garmin_env(server, db_path, CROSSTRAIN_GARMIN_KEY=key, **extra)
    done = run(env, "garmin", "connect", "--athlete", name, "--key-days", "90")
    assert done.returncode == 0, done.stderr
    return env, key


def keys_file() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "crosstrain" / "garmin_keys.json"


SINCE = ("--since", str(date(2017, 10, 1)))


def test_connect_keeps_the_key_private_and_says_when_it_expires(server: FakeGarmin, db_path: Path) -> None:
    env, key = connect(server, db_path)
    stored = json.loads(keys_file().read_text())
    (entry,) = stored.values()
    assert entry["api_key"] == key and entry["access_token"] in server.tokens
    assert entry["key_expires_on"] == str(date.today() + timedelta(days=90))
    assert stat.S_IMODE(keys_file().stat().st_mode) == 0o600
    assert stat.S_IMODE(keys_file().parent.stat().st_mode) == 0o700
    again = run(env, "garmin", "connect", "--athlete", "Ana", "--key-days", "90")
    assert f"The key expires on {date.today() + timedelta(days=90)}" in again.stdout
    synced = run(env, "garmin", "sync")
    for text in (again.stdout + again.stderr, synced.stdout + synced.stderr):
        assert key not in text and not any(t in text for t in server.tokens)
    assert query(db_path, "select count(*) from garmin_links") == [(1,)]  # connecting again: one link
    done = run(env, "garmin", "disconnect")
    assert done.returncode == 0 and "Disconnected Garmin for 'Ana'" in done.stdout
    assert not keys_file().exists()
    gone = run(env, "garmin", "sync")
    assert gone.returncode == 1 and "no Garmin athlete is connected" in gone.stderr


def test_a_refused_key_is_one_line_saying_where_to_make_a_new_one(server: FakeGarmin, db_path: Path) -> None:
    env = garmin_env(server, db_path, CROSSTRAIN_GARMIN_KEY="gpak_not-a-key")
    done = run(env, "garmin", "connect", "--athlete", "Ana")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and KEY_PAGE in done.stderr and "gpak_not-a-key" not in done.stderr
    assert not keys_file().exists()


def _listing(db_path: Path, athlete: str, env: dict[str, str]) -> list[dict]:
    """`activities list --json` without what differs by design: ids (insertion order) and names (the
    sync takes Garmin's title)."""
    done = run({**env, "CROSSTRAIN_DB": str(db_path)}, "activities", "list", "--athlete", athlete, "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    for r in rows:
        r.pop("id"), r.pop("name")
        r["twin_of"] = r["twin_of"] is not None
    return sorted(rows, key=lambda r: (r["start_local"], r["type"]))


def _report(db_path: Path, athlete: str, env: dict[str, str]) -> dict:
    done = run({**env, "CROSSTRAIN_DB": str(db_path)}, "report", "--athlete", athlete, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_two_athletes_sync_like_importing_their_files_and_a_second_sync_adds_nothing(
    server: FakeGarmin, db_path: Path, tmp_path: Path, fits: dict[str, list[bytes]]
) -> None:
    env, keys = {}, {}
    for name, files in fits.items():
        env, key = connect(server, db_path, name)
        keys[name] = key
        for fit in files:
            add_fit(server, key, fit)
    done = run(env, "garmin", "sync", *SINCE)
    assert done.returncode == 0, done.stderr
    # each set of real files (ours, and the real ones when present) is 3 files of 1 + 2 + 3 sessions
    assert f"Ana: {len(fits['Ana']) + len(real_fits())} new" in done.stdout
    assert "Ben: 10 new, 0 updated" in done.stdout
    windows = len(server.requests("list"))
    files = len(server.requests("download"))
    assert files == sum(len(f) for f in fits.values())  # the floor: one download per new activity
    per_athlete = -(-((date.today() + timedelta(days=1)) - date(2017, 10, 1)).days // WINDOW_DAYS)
    assert windows == 2 * per_athlete  # ... and one list request per window (no page is full)
    assert len(server.requests("token")) == 2  # the token of connect is reused
    for s in server.requests("list"):
        first, last = date.fromisoformat(s.query["startDate"]), date.fromisoformat(s.query["endDate"])
        assert (last - first).days + 1 <= WINDOW_DAYS and int(s.query["limit"]) <= 45

    direct = tmp_path / "direct.duckdb"
    for name, files in fits.items():
        folder = tmp_path / name
        folder.mkdir()
        for i, fit in enumerate(files):  # in path order "0", "1", "10", "11", "2": not the sync's
            (folder / f"{i}.fit").write_bytes(fit)
        imported = run({**env, "CROSSTRAIN_DB": str(direct)}, "import", str(folder), "--athlete", name)
        assert imported.returncode == 0, imported.stderr
    for name in fits:
        assert _listing(db_path, name, env) == _listing(direct, name, env)
        assert _report(db_path, name, env) == _report(direct, name, env)
    # what only the files give: strength sets (hip sets), heart-rate zones, the GPS zone
    assert query(db_path, "select count(*) from activity_sets")[0][0] >= 4 * 6
    assert _report(db_path, "Ben", env)["summary"]["hip_sets"]
    zones = "select name, timezone, timezone_source from athletes order by name"
    assert query(db_path, zones) == query(direct, zones) and ("Ben", "Europe/Berlin", "gps") in query(
        db_path, zones
    )
    names = {r[0] for r in query(db_path, "select name from activities where source = 'fit'")}
    assert {"Running", "Strength"} <= names  # Garmin's titles, where a file holds one session

    server.seen.clear()
    again = run(env, "garmin", "sync")
    assert again.returncode == 0, again.stderr
    assert "Ana: 0 new, 0 updated" in again.stdout and "Ben: 0 new, 0 updated" in again.stdout
    assert not server.requests("download") and len(server.requests("list")) == 2  # the look-back window
    assert _listing(db_path, "Ben", env) == _listing(direct, "Ben", env)


def test_the_export_zip_and_the_sync_store_one_session_once(
    server: FakeGarmin, db_path: Path, tmp_path: Path
) -> None:
    env, key = connect(server, db_path)
    (fit,) = generated_fits(1, day0(3), seed=5)
    add_fit(server, key, fit)
    (tmp_path / "run.fit").write_bytes(fit)
    assert run(env, "import", str(tmp_path / "run.fit"), "--athlete", "Ana").returncode == 0
    done = run(env, "garmin", "sync")
    assert done.returncode == 0, done.stderr
    assert query(db_path, "select count(*), count(*) filter (twin_of is null) from activities") == [(1, 1)]


def test_429_is_waited_out_with_few_requests_in_flight(server: FakeGarmin, db_path: Path) -> None:
    env, key = connect(server, db_path)
    for fit in generated_fits(6, day0(12), seed=3, every_days=2):
        add_fit(server, key, fit)
    server.burst = 1  # a second request in flight is answered 429, Retry-After 0.2
    server.fail("429", "list", seconds=0.5)
    # a download answered 429 whatever the timing (on a loaded machine two downloads may never overlap)
    server.fail("429", "download", seconds=0.2)
    done = run(env, "garmin", "sync")
    assert done.returncode == 0, done.stderr
    assert "Ana: 6 new" in done.stdout
    assert server.max_in_flight <= MAX_IN_FLIGHT
    lists = server.requests("list")
    assert lists[0].status == 429 and lists[1].at - lists[0].at >= 0.5  # its Retry-After, honoured
    crowded = [s for s in server.requests("download") if s.status == 429]
    assert crowded  # a download was refused for the rate, and every activity still came
    assert query(db_path, "select count(*) from garmin_activities where stored_as = 'file'") == [(6,)]


def test_5xx_timeouts_and_dropped_connections_are_retried(server: FakeGarmin, db_path: Path) -> None:
    env, key = connect(server, db_path, CROSSTRAIN_HTTP_TIMEOUT_S="0.5")
    ids = [add_fit(server, key, fit) for fit in generated_fits(3, day0(5), seed=4)]
    server.fail("500", "list")
    server.fail("503", "list")
    server.fail("slow", "download", seconds=1.5, activity=ids[0])
    server.fail("drop", "download", activity=ids[1])
    server.fail("500", "token")
    server.fail("malformed", "list")
    done = run(env, "garmin", "sync")
    assert done.returncode == 0, done.stderr
    assert "Ana: 3 new" in done.stdout
    assert [line[:25] for line in done.stderr.splitlines()] == ["note: time zone of 'Ana':"]  # nothing else
    assert [s.status for s in server.requests("list")][:4] == [500, 503, 200, 200]


def test_an_expired_token_is_renewed_and_a_revoked_key_is_one_line(server: FakeGarmin, db_path: Path) -> None:
    env, key = connect(server, db_path)
    add_fit(server, key, generated_fits(1, day0(2), seed=6)[0])
    server.fail("expire", "list")
    done = run(env, "garmin", "sync")
    assert done.returncode == 0, done.stderr
    assert len(server.requests("token")) == 2  # connect's, then one renewal after the 401
    (entry,) = json.loads(keys_file().read_text()).values()
    assert entry["access_token"] == max(server.tokens, key=lambda t: server.tokens[t][1])  # saved
    server.fail("revoke", "list")
    refused = run(env, "garmin", "sync")
    assert refused.returncode == 1
    assert (
        refused.stderr.count("\n") == 1
        and KEY_PAGE in refused.stderr
        and "garmin connect --athlete 'Ana'" in refused.stderr
    )
    assert query(db_path, "select count(*) from activities") == [(1,)]


def test_a_bad_summary_or_file_never_blocks_the_others(server: FakeGarmin, db_path: Path) -> None:
    env, key = connect(server, db_path)
    good = [add_fit(server, key, fit) for fit in generated_fits(6, day0(20), seed=7, every_days=3)]
    start = day0(10)
    missing = server.add_activity(
        key,
        start_utc=start,
        start_local=start,
        type_key="strength_training",
        seconds=1800.0,
        distance_m=None,
        name="Gym",
    )
    bad = summary(1, start, start, "running", 600.0, 2000.0, "broken")
    bad["startTimeGMT"] = "yesterday-ish"
    server.add_activity(key, bad)
    server.fail("not_zip", "download", activity=good[0])
    server.fail("corrupt_fit", "download", activity=good[1])
    done = run(env, "garmin", "sync")
    assert done.returncode == 1  # a summary was refused: said, recorded
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "startTimeGMT" in errors[0] and "activity skipped" in errors[0]
    notes = [
        line for line in done.stderr.splitlines() if line.startswith("note:") and "time zone" not in line
    ]
    assert len(notes) == 3 and all("stored from its summary" in n for n in notes)
    assert any(str(missing) in n and "HTTP 404" in n for n in notes)
    assert any(str(good[0]) in n and "not a ZIP" in n for n in notes)
    assert any(str(good[1]) in n and "can't be used" in n for n in notes)
    assert "Ana: 7 new" in done.stdout and "3 from the summary only, 1 rejected" in done.stdout
    assert query(db_path, "select count(*) from import_rejects where file = 'garmin'") == [(1,)]
    assert query(db_path, "select category from activities where source = 'garmin' and name = 'Gym'") == [
        ("strength",)
    ]
    # a later sync still brings new activities, and --full fetches the files it could not read
    add_fit(server, key, generated_fits(1, day0(1), seed=8)[0])
    later = run(env, "garmin", "sync", "--full")
    assert "Ana: 3 new, 0 updated" in later.stdout  # the new one, and the two files now readable
    assert query(db_path, "select count(*) from activities where twin_of is null") == [(8,)]
    assert query(db_path, "select count(*) from activities where source = 'garmin'") == [(1,)]  # no file: 404


def test_a_malformed_list_is_retried_then_its_window_skipped(server: FakeGarmin, db_path: Path) -> None:
    env, key = connect(server, db_path)
    for fit in generated_fits(2, day0(80), seed=9, every_days=40):
        add_fit(server, key, fit)
    server.fail("wrong_shape", "list", times=5)  # the first window, every attempt
    done = run(env, "garmin", "sync", "--since", str(day0(90).date()))
    assert done.returncode == 1
    (line,) = [x for x in done.stderr.splitlines() if "time zone" not in x]
    assert "not a JSON list" in line and f"--since {day0(90).date()}" in line
    assert "Ana: 1 new" in done.stdout  # the later window's activity


def test_pages_and_windows_stay_within_the_caps(server: FakeGarmin, db_path: Path) -> None:
    env, key = connect(server, db_path)
    for i in range(PAGE_SIZE + 7):  # more than a page in one window; no files: from the summary
        t = day0(3) + timedelta(minutes=40 * i)
        server.add_activity(
            key, start_utc=t, start_local=t, type_key="walking", seconds=600.0, distance_m=900.0, name=f"W{i}"
        )
    done = run(env, "garmin", "sync", "--since", str(day0(100).date()))
    assert done.returncode == 0, done.stderr
    assert f"Ana: {PAGE_SIZE + 7} new" in done.stdout
    assert all(s.status == 200 for s in server.requests("list"))  # no range over the cap, no page over 45
    assert query(db_path, "select count(distinct source_id) from activities") == [(PAGE_SIZE + 7,)]


def test_a_changed_activity_replaces_what_it_gave(server: FakeGarmin, db_path: Path) -> None:
    env, key = connect(server, db_path)
    gid = add_fit(server, key, generated_fits(1, day0(4), seed=10)[0])
    t = day0(2)
    later = server.add_activity(
        key, start_utc=t, start_local=t, type_key="running", seconds=1500.0, distance_m=4000.0, name="Run"
    )
    assert run(env, "garmin", "sync").returncode == 0
    assert query(db_path, "select source from activities order by start_at") == [("fit",), ("garmin",)]
    server.athletes[key].activities[gid].summary["activityName"] = "Hill repeats"
    server.athletes[key].activities[later].fit = generated_fits(1, t, seed=11)[0]
    server.athletes[key].activities[later].summary["activityName"] = "Run with file"
    server.seen.clear()
    done = run(env, "garmin", "sync")
    assert done.returncode == 0, done.stderr
    assert len(server.requests("download")) == 2
    assert query(db_path, "select source, name from activities order by start_at") == [
        ("fit", "Hill repeats"),
        ("fit", "Run with file"),
    ]
    assert query(db_path, "select count(*) from garmin_activities") == [(2,)]


def test_twenty_kill_9_at_random_moments_lose_nothing(
    server: FakeGarmin, db_path: Path, tmp_path: Path
) -> None:
    server.delay_s = 0.1  # every answer takes a while, so a sync is still running when it is killed
    env, key = connect(server, db_path)
    for fit in generated_fits(16, day0(70), seed=12, every_days=4):
        add_fit(server, key, fit)
    rnd = random.Random(23)
    kills = attempts = 0
    # 20 kills at random moments, whatever the machine's speed (a sync that ended first is not one)
    while kills < 20 and attempts < 80:
        attempts += 1
        proc = subprocess.Popen(
            [CROSSTRAIN, "garmin", "sync", "--since", str(day0(75).date())],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rnd.uniform(0.3, 2.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(timeout=30)
    assert kills == 20
    done = run(env, "garmin", "sync", "--since", str(day0(75).date()))
    assert done.returncode == 0, done.stderr
    assert query(db_path, "select count(*), count(distinct (source, source_id)) from activities") == [
        (16, 16)
    ]
    assert query(db_path, "select count(*), count(distinct garmin_id) from garmin_activities") == [(16, 16)]
    assert query(db_path, "select count(*) from activity_files") == [(16,)]
    statuses = {r[0] for r in query(db_path, "select status from imports")}
    assert "running" not in statuses and "ok" in statuses


def test_one_athletes_refused_key_never_stops_the_others(server: FakeGarmin, db_path: Path) -> None:
    env, ana = connect(server, db_path, "Ana")
    env, ben = connect(server, db_path, "Ben")
    add_fit(server, ana, generated_fits(1, day0(3), seed=41)[0])
    add_fit(server, ben, generated_fits(1, day0(2), seed=42)[0])
    server.revoked.add(ana)
    done = run(env, "garmin", "sync")
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "key of 'Ana'" in errors[0] and KEY_PAGE in errors[0]
    assert "Ben: 1 new" in done.stdout
    assert query(db_path, "select count(*) from activities") == [(1,)]


def test_a_changed_activity_whose_new_file_is_damaged_keeps_what_it_had(
    server: FakeGarmin, db_path: Path
) -> None:
    env, key = connect(server, db_path)
    gid = add_fit(server, key, generated_fits(1, day0(4), seed=43)[0])
    assert run(env, "garmin", "sync").returncode == 0
    stored = query(db_path, "select source, source_id, name from activities")
    server.athletes[key].activities[gid].summary["activityName"] = "Renamed"
    server.fail("corrupt_fit", "download", activity=gid)
    done = run(env, "garmin", "sync")
    assert done.returncode == 0 and "kept what its earlier file gave" in done.stderr
    assert query(db_path, "select source, source_id, name from activities") == stored
    assert query(db_path, "select count(*) from activity_files") == [(1,)]
    fixed = run(env, "garmin", "sync")  # tried again: the file is whole now
    assert fixed.returncode == 0, fixed.stderr
    assert query(db_path, "select source, name from activities") == [("fit", "Renamed")]


def test_a_renamed_athlete_keeps_the_garmin_link(server: FakeGarmin, db_path: Path) -> None:
    env, key = connect(server, db_path)
    add_fit(server, key, generated_fits(1, day0(3), seed=44)[0])
    assert run(env, "athletes", "rename", "Ana", "Anna").returncode == 0
    done = run(env, "garmin", "sync", "--athlete", "Anna")
    assert done.returncode == 0, done.stderr
    assert "Anna: 1 new" in done.stdout
    assert query(db_path, "select count(*) from athletes") == [(1,)]


def test_a_session_also_in_a_csv_counts_once(server: FakeGarmin, db_path: Path, tmp_path: Path) -> None:
    env, key = connect(server, db_path)
    gid = add_fit(server, key, generated_fits(1, day0(3), seed=45)[0])
    s = server.athletes[key].activities[gid].summary
    csv = tmp_path / "log.csv"
    start = s["startTimeLocal"].replace(" ", "T")
    csv.write_text(
        f"date,type,duration,distance_km\n{start},Run,{int(s['duration'])},{s['distance'] / 1000:.2f}\n"
    )
    assert run(env, "athletes", "set", "Ana", "--timezone", "Europe/Berlin").returncode == 0
    imported = run(env, "import", str(csv), "--athlete", "Ana")
    assert imported.returncode == 0, imported.stderr
    done = run(env, "garmin", "sync")
    assert done.returncode == 0, done.stderr
    assert "double recording, counted once" in done.stdout
    assert query(db_path, "select count(*), count(*) filter (twin_of is null) from activities") == [(2, 1)]
