"""`crosstrain strava connect`: the authorize URL, the redirect catcher with its state check, --code."""

from __future__ import annotations

import re
import stat
import subprocess
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from strava_helpers import CROSSTRAIN, query, run, secrets_in, stored_tokens, strava_env, tokens_path
from strava_server import CLIENT_ID, FakeStrava


@pytest.fixture
def server():
    with FakeStrava() as fake:
        yield fake


def test_missing_credentials_is_one_line_pointing_to_strava_settings(
    server: FakeStrava, db_path: Path
) -> None:
    env = strava_env(server, db_path, STRAVA_CLIENT_ID="", STRAVA_CLIENT_SECRET="")
    for args in (["strava", "connect", "--code", "x"], ["strava", "sync"]):
        done = run(env, *args, real=True)
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")
        assert "https://www.strava.com/settings/api" in done.stderr
    assert server.seen == []


def test_connect_with_pasted_code_stores_athlete_and_private_tokens(
    server: FakeStrava, db_path: Path
) -> None:
    code = server.add_athlete(1001, "Ana", "Runner")
    env = strava_env(server, db_path)
    done = run(env, "strava", "connect", "--code", code, real=True)
    assert done.returncode == 0, done.stderr
    assert "Connected Strava athlete 1001 as 'Ana Runner'" in done.stdout
    assert query(db_path, "select name, strava_id from athletes") == [("Ana Runner", 1001)]

    assert stat.S_IMODE(tokens_path().stat().st_mode) == 0o600
    saved = stored_tokens()["1001"]
    assert saved["access_token"] in server.access and saved["refresh_token"] in server.refresh
    output = done.stdout + done.stderr
    assert not any(secret in output for secret in secrets_in(server) | {code})

    # the code was used up: a second exchange is refused in one line, nothing is stored twice
    again = run(env, "strava", "connect", "--code", code)
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1 and "authorization code" in again.stderr
    assert code not in again.stderr
    assert query(db_path, "select count(*) from athletes") == [(1,)]


def test_wrong_client_secret_is_blamed_on_the_application_not_the_code(
    server: FakeStrava, db_path: Path
) -> None:
    code = server.add_athlete(1002, "Bo", "Runner")
    done = run(
        strava_env(server, db_path, STRAVA_CLIENT_SECRET="not-the-secret"),
        "strava",
        "connect",
        "--code",
        code,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET" in done.stderr and "not-the-secret" not in done.stderr
    assert not tokens_path().exists()


def test_connect_links_a_named_athlete_already_imported(server: FakeStrava, db_path: Path) -> None:
    first = server.add_athlete(1001, "Ana", "Runner")
    env = strava_env(server, db_path)
    assert run(env, "strava", "connect", "--code", first, "--athlete", "ana").returncode == 0
    # connecting the same Strava account again keeps the name it has
    assert run(env, "strava", "connect", "--code", server.issue_code(1001)).returncode == 0
    assert query(db_path, "select name, strava_id from athletes") == [("ana", 1001)]
    # another account cannot take a name that is linked already
    other = server.add_athlete(1002, "Bo", "Coach")
    taken = run(env, "strava", "connect", "--code", other, "--athlete", "ana")
    assert taken.returncode == 1 and "linked to another Strava account" in taken.stderr


def test_connect_catches_the_redirect_and_refuses_a_wrong_state(server: FakeStrava, db_path: Path) -> None:
    code = server.add_athlete(1001, "Ana", "Runner")
    env = strava_env(server, db_path)
    proc = subprocess.Popen(
        [CROSSTRAIN, "strava", "connect", "--no-browser", "--timeout", "60"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        url = next(line.strip() for line in lines if "/oauth/authorize" in line)
        parts = urlsplit(url)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert f"{parts.scheme}://{parts.netloc}" == server.url
        assert params["client_id"] == str(CLIENT_ID) and params["scope"] == "activity:read_all"
        assert params["response_type"] == "code" and len(params["state"]) >= 20
        redirect = params["redirect_uri"]
        assert re.match(r"http://127\.0\.0\.1:\d+/", redirect)

        # the browser side: Strava redirects back with code and state
        forged = requests.get(redirect + "?" + urlencode({"code": code, "state": "forged", "scope": "read"}))
        assert forged.status_code == 400
        good = {"code": code, "state": params["state"], "scope": "read,activity:read_all"}
        answer = requests.get(redirect + "?" + urlencode(good))
        assert answer.status_code == 200 and "connected" in answer.text
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "as 'Ana Runner'" in out
    assert query(db_path, "select name, strava_id from athletes") == [("Ana Runner", 1001)]
    assert stat.S_IMODE(tokens_path().stat().st_mode) == 0o600
    assert not any(secret in out + err + "".join(lines) for secret in secrets_in(server) | {code})


def test_a_denied_authorisation_ends_the_catcher_with_one_clear_error() -> None:
    from ingest.errors import CrosstrainError
    from ingest.strava import RedirectCatcher

    catcher = RedirectCatcher("the-state")
    answers: list[int] = []

    def browser() -> None:
        for state in ("other-state", "the-state"):
            query = urlencode({"state": state, "error": "access_denied"})
            answers.append(requests.get(f"{catcher.redirect_uri}?{query}", timeout=10).status_code)

    thread = threading.Thread(target=browser)
    thread.start()
    with pytest.raises(CrosstrainError, match=r"not granted \(access_denied\)"):
        catcher.wait(timeout_s=20)
    thread.join()
    assert answers == [400, 200]
