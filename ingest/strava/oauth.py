"""Connecting an athlete: the authorize URL, the local redirect catcher, and the code exchange.

Strava's OAuth (https://developers.strava.com/docs/authentication/): the browser visits the authorize
URL, the athlete approves, Strava redirects to our `redirect_uri` with `code`, `scope` and the `state`
we sent; we check the state (against cross-site request forgery) and trade the code for tokens at
`/oauth/token`. The code is single-use and short-lived.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
from stravalib import exc as strava_exc

from ingest.database import db, store
from ingest.errors import CrosstrainError, first_line
from ingest.strava.client import StravaApp, StravaSession, make_client
from ingest.strava.tokens import Tokens, TokenStore

SCOPE = "activity:read_all"
CALLBACK_PATH = "/strava/callback"


@dataclass(frozen=True)
class Connected:
    """The athlete whose tokens were stored."""

    name: str
    strava_id: int
    athlete_id: int
    scope_ok: bool = True


def new_state() -> str:
    """A random, unguessable `state` for one authorization attempt."""
    return secrets.token_urlsafe(24)


def authorize_url(app: StravaApp, redirect_uri: str, state: str) -> str:
    """The URL the athlete opens to approve read access to all their activities."""
    session = StravaSession(app.base_url)
    url = make_client(session).authorization_url(
        client_id=app.client_id, redirect_uri=redirect_uri, scope=[SCOPE], state=state, approval_prompt="auto"
    )
    return session.rebase(url)


def exchange_code(
    db_path: Path | str | None,
    code: str,
    app: StravaApp | None = None,
    athlete: str | None = None,
    scope: str | None = None,
    tokens: TokenStore | None = None,
) -> Connected:
    """Trade an authorization code for tokens; store the athlete in the database and the tokens on disk.

    `athlete` names the athlete in crosstrain (default: the Strava first and last name), so a
    runner already imported from CSV under some name can be linked to their Strava account.
    """
    app = app or StravaApp.from_env()
    session = StravaSession(app.base_url)
    client = make_client(session)
    try:
        info, summary = client.exchange_code_for_token(
            client_id=app.client_id, client_secret=app.client_secret, code=code.strip(), return_athlete=True
        )
        client.refresh_token = info["refresh_token"]
        client.token_expires = info["expires_at"]
        if summary is None or summary.id is None:
            summary = client.get_athlete()
    except (KeyError, TypeError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        raise CrosstrainError(
            f"Strava's answer to the code exchange was malformed ({_what(exc)}); run `crosstrain strava "
            "connect` again"
        ) from None
    except strava_exc.Fault as fault:
        status = fault.response.status_code if fault.response is not None else "?"
        if _blames_application(fault):
            raise CrosstrainError(
                f"Strava refused this application's credentials (HTTP {status}): check STRAVA_CLIENT_ID and "
                "STRAVA_CLIENT_SECRET against https://www.strava.com/settings/api"
            ) from None
        raise CrosstrainError(
            f"Strava refused the authorization code (HTTP {status}); codes are single-use and expire "
            "within minutes: run `crosstrain strava connect` again"
        ) from None
    strava_id = int(summary.id)
    full_name = " ".join(p for p in (summary.firstname, summary.lastname) if p).strip()
    name = athlete or full_name or f"strava-{strava_id}"
    with db.connect(db_path) as con:
        athlete_id = link_athlete(con, name, strava_id, explicit=athlete is not None)
        name = con.execute("select name from athletes where athlete_id = ?", [athlete_id]).fetchone()[0]
    stored: Tokens = {
        "access_token": info["access_token"],
        "refresh_token": info["refresh_token"],
        "expires_at": int(info["expires_at"]),
        "athlete": name,
    }
    (tokens or TokenStore()).put(strava_id, stored)
    scope_ok = scope is None or SCOPE in scope.split(",")
    return Connected(name, strava_id, athlete_id, scope_ok)


def _what(exc: Exception) -> str:
    """The first line of a parsing error, short: never a token (stravalib's errors carry field names)."""
    first = first_line(exc)
    return first[:100]


def link_athlete(con: duckdb.DuckDBPyConnection, name: str, strava_id: int, explicit: bool = False) -> int:
    """The crosstrain athlete of a Strava account: the one already linked, else `name` (created or linked)."""
    linked = con.execute("select athlete_id, name from athletes where strava_id = ?", [strava_id]).fetchone()
    if linked and (not explicit or linked[1] == name):
        return linked[0]
    if linked:
        raise CrosstrainError(
            f"Strava athlete {strava_id} is already connected as '{linked[1]}'; use --athlete '{linked[1]}'"
        )
    other = con.execute("select strava_id from athletes where name = ?", [name]).fetchone()
    if other and other[0] is not None:
        raise CrosstrainError(
            f"athlete '{name}' is linked to another Strava account; choose another name with --athlete"
        )
    return store.ensure_athlete(con, name, strava_id=strava_id)


@dataclass
class Redirect:
    """What the redirect catcher received."""

    code: str | None = None
    scope: str | None = None
    error: str | None = None


class RedirectCatcher:
    """A one-shot HTTP server on 127.0.0.1 that receives Strava's redirect and checks its `state`.

    A request with a wrong or missing state is refused (400) and the catcher keeps waiting; the
    first request with the right state ends it.
    """

    def __init__(self, state: str, port: int = 0, host: str = "127.0.0.1") -> None:
        self.state = state
        self.result = Redirect()
        self.done = threading.Event()
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path != CALLBACK_PATH:
                    return self._reply(404, "Not found.")
                if not secrets.compare_digest(query.get("state", ""), catcher.state):
                    return self._reply(400, "This response does not match the request crosstrain made.")
                if "error" in query or "code" not in query:
                    catcher.result = Redirect(error=query.get("error", "no code"))
                    self._reply(200, "Strava access was not granted. You can close this tab.")
                else:
                    catcher.result = Redirect(code=query["code"], scope=query.get("scope"))
                    self._reply(200, "crosstrain is connected to Strava. You can close this tab.")
                catcher.done.set()

            def _reply(self, status: int, text: str) -> None:
                body = f"<!doctype html><title>crosstrain</title><p>{text}</p>".encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # the code must not reach a log
                pass

        self.thread: threading.Thread | None = None
        self.server = ThreadingHTTPServer((host, port), Handler)
        self.redirect_uri = f"http://{host}:{self.server.server_port}{CALLBACK_PATH}"

    def serve(self) -> None:
        """Start answering in a background thread (before the browser is sent to Strava)."""
        if self.thread is None:
            self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
            self.thread.start()

    def wait(self, timeout_s: float) -> Redirect:
        """Serve until the right redirect arrives or `timeout_s` passes."""
        self.serve()
        try:
            if not self.done.wait(timeout_s):
                raise CrosstrainError(
                    f"no answer from Strava within {timeout_s:.0f} s; run `crosstrain strava connect` again "
                    "or use --code"
                )
        finally:
            self.server.shutdown()
            self.server.server_close()
        if self.result.error:
            raise CrosstrainError(f"Strava access was not granted ({self.result.error})")
        return self.result


def _blames_application(fault: strava_exc.Fault) -> bool:
    """Whether Strava's error body names the application (client id or secret), not the code."""
    try:
        errors = fault.response.json().get("errors", []) if fault.response is not None else []
    except ValueError:
        return False
    return any(isinstance(e, dict) and e.get("resource") == "Application" for e in errors)
