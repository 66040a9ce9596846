"""The stravalib client, pointed at `STRAVA_API_URL`, with rate limits, retries and time-outs.

stravalib builds `https://www.strava.com/...` URLs itself; rather than fork it we hand it a
`StravaSession`, a requests Session whose `request` rewrites that prefix to the configured base URL.
The same place is the one choke point every HTTP call passes through, so it also waits for (or stops
at) exhausted rate limits, retries 5xx, time-outs, dropped connections and malformed answers (not
JSON, an empty body, or JSON of the wrong shape for the endpoint) with exponential back-off, stops at
once with one line on a 403 (an inactive application), and counts requests. stravalib sends the
access token in the `Authorization: Bearer` header, never in the URL.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from stravalib import Client

from ingest.errors import CrosstrainError
from ingest.strava.ratelimit import Exhausted, RateLimits, RateLimitStop, seconds_until

STRAVA_URL = "https://www.strava.com"
SETTINGS_URL = "https://www.strava.com/settings/api"
API_FAQ = "https://support.strava.com/en-us/articles/15401526-strava-api-and-mcp-faq"
RETRIES = 5  # attempts per request for 5xx, time-outs, connection errors and malformed JSON
MAX_429 = 5  # consecutive 429 answers (each after a full wait) before giving up

# Called while waiting for a rate-limit window: (seconds left, the limit that is used up).
WaitCallback = Callable[[float, Exhausted], None]


class StravaError(CrosstrainError):
    """Strava (or the server at STRAVA_API_URL) failed in a way retrying did not fix."""


class StravaForbidden(StravaError):
    """Strava answered 403: the application is inactive (no paid subscription) or lacks access."""


# Strava's answer to every request of an application it set "Inactive" (since mid-2026: the owning
# account has no Strava subscription). Recognised as stravalib 2.6 does: an errors entry
# {"resource": "Application", "field": "Status", "code": "Inactive"}.
INACTIVE = (
    "Strava refuses every request because your Strava API application is inactive: Strava sets an "
    "application inactive when the account that owns it has no active Strava subscription. Log in with "
    f"that account, check its subscription, then reactivate the application at {SETTINGS_URL} (see "
    f"{API_FAQ})"
)


@dataclass(frozen=True)
class StravaApp:
    """The user's Strava API application: its id and secret, and the base URL to talk to."""

    client_id: int
    client_secret: str
    base_url: str = STRAVA_URL

    def __repr__(self) -> str:  # never show the secret, even in a traceback
        return f"StravaApp(client_id={self.client_id}, base_url={self.base_url!r})"

    @classmethod
    def from_env(cls) -> StravaApp:
        """Read STRAVA_CLIENT_ID, STRAVA_CLIENT_SECRET and STRAVA_API_URL."""
        client_id = os.environ.get("STRAVA_CLIENT_ID", "").strip()
        secret = os.environ.get("STRAVA_CLIENT_SECRET", "").strip()
        if not client_id or not secret:
            raise CrosstrainError(
                "STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET are not set: create a Strava API application at "
                f"{SETTINGS_URL} (callback domain 127.0.0.1) and export its Client ID and Client Secret"
            )
        if not client_id.isdigit():
            raise CrosstrainError(f"STRAVA_CLIENT_ID must be the number shown at {SETTINGS_URL}")
        base = os.environ.get("STRAVA_API_URL", "").strip().rstrip("/") or STRAVA_URL
        if not base.startswith(("http://", "https://")):
            raise CrosstrainError(f"STRAVA_API_URL must start with http:// or https://, not '{base}'")
        return cls(int(client_id), secret, base)


def retry_base_s() -> float:
    """First back-off delay; doubles per attempt. `CROSSTRAIN_RETRY_BASE_S` (default 1) for tests."""
    return float(os.environ.get("CROSSTRAIN_RETRY_BASE_S", "1"))


def timeout_s() -> float:
    """Seconds to wait for a response (`CROSSTRAIN_HTTP_TIMEOUT_S`, default 30)."""
    return float(os.environ.get("CROSSTRAIN_HTTP_TIMEOUT_S", "30"))


class StravaSession(requests.Session):
    """A requests Session for stravalib: base-URL rewrite, rate limits, retries, request count."""

    def __init__(self, base_url: str = STRAVA_URL, wait: bool = True, on_wait: WaitCallback | None = None):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.wait = wait
        self.on_wait = on_wait
        self.limits = RateLimits()
        self.requests_sent = 0

    def rebase(self, url: str) -> str:
        """`https://www.strava.com/x` -> `<base_url>/x`."""
        if url.startswith(STRAVA_URL):
            return self.base_url + url[len(STRAVA_URL) :]
        return url

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        url = self.rebase(url.decode() if isinstance(url, bytes) else url)
        kwargs.setdefault("timeout", timeout_s())
        api = "/api/" in url
        rate_limited = 0
        attempt = 0
        while True:
            if api:
                self._respect_limits(after_429=False)
            try:
                self.requests_sent += 1
                response = super().request(method, url, *args, **kwargs)
            except (
                requests.Timeout,
                requests.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                attempt = self._backoff(attempt, url, _reason(exc))
                continue
            except requests.RequestException as exc:
                raise StravaError(f"{_path(url)}: {_reason(exc)}") from None
            self.limits.update(response.headers)
            if response.status_code == 429:
                rate_limited += 1
                if rate_limited > MAX_429:
                    raise StravaError(f"{_path(url)}: Strava kept answering 429 Too Many Requests; try later")
                self._respect_limits(after_429=True)
                continue
            if response.status_code >= 500:
                attempt = self._backoff(attempt, url, f"HTTP {response.status_code}")
                continue
            if response.status_code == 403:
                raise _forbidden(url, response)
            if response.status_code == 200 and (problem := malformed(url, response)):
                if _grant(kwargs) == "authorization_code":  # single-use: asking again cannot help
                    raise StravaError(
                        f"{_path(url)}: {problem}; run `crosstrain strava connect` again"
                    ) from None
                attempt = self._backoff(attempt, url, problem)
                continue
            return response

    def _backoff(self, attempt: int, url: str, reason: str) -> int:
        """Sleep before the next attempt, or give up with one line after RETRIES attempts."""
        attempt += 1
        if attempt >= RETRIES:
            raise StravaError(f"{_path(url)}: {reason} after {RETRIES} attempts; try again later")
        time.sleep(retry_base_s() * 2 ** (attempt - 1))
        return attempt

    def _respect_limits(self, after_429: bool) -> None:
        """Wait for the next window when a limit is used up, or stop when not waiting."""
        hit = self.limits.exhausted(after_429=after_429)
        if hit is None:
            return
        if not self.wait:
            raise RateLimitStop(hit.describe(), hit.until)
        while (left := seconds_until(hit.until)) > 0:
            if self.on_wait:
                self.on_wait(left, hit)
            time.sleep(min(1.0, left))
        self.limits.reset()


def _reason(exc: Exception) -> str:
    """`read timeout`, `connection error`, ...: the kind of failure, without the URL's query."""
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.ConnectionError):
        return "connection failed"
    return type(exc).__name__


def _path(url: str) -> str:
    return url.split("?", 1)[0]


def _grant(kwargs: dict[str, Any]) -> str | None:
    data = kwargs.get("data")
    return data.get("grant_type") if isinstance(data, dict) else None


def malformed(url: str, response: requests.Response) -> str | None:
    """What is wrong with a 200 answer, in words, or None: not JSON, empty, or the wrong shape.

    Shapes from Strava's API reference: the token endpoint answers an object with `access_token`,
    `refresh_token` (strings) and `expires_at` (epoch seconds); the athlete, an object with an
    integer `id`; the activity list, a JSON array (its elements are checked one by one by the sync).
    """
    if not response.content.strip():
        return "an empty answer"
    try:
        body = json.loads(response.content)
    except ValueError:
        return "malformed JSON"
    path = _path(url)
    if path.endswith("/oauth/token"):
        if not isinstance(body, dict):
            return "the token answer is not a JSON object"
        for key, kind in (("access_token", str), ("refresh_token", str), ("expires_at", int)):
            value = body.get(key)
            if not isinstance(value, kind) or isinstance(value, bool) or value == "":
                return f"the token answer has no valid {key}"
    elif path.endswith("/api/v3/athlete/activities"):
        if not isinstance(body, list):
            return f"expected a JSON list of activities, got {_json_kind(body)}"
    elif path.endswith("/api/v3/athlete") and not _has_int_id(body):
        return "the athlete answer has no integer id"
    return None


def _has_int_id(body: Any) -> bool:
    return isinstance(body, dict) and isinstance(body.get("id"), int) and not isinstance(body["id"], bool)


def _json_kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )


def _forbidden(url: str, response: requests.Response) -> StravaForbidden:
    """One line for a 403: an inactive application, or what Strava said."""
    try:
        body = response.json()
    except ValueError:
        body = None
    errors = body.get("errors") if isinstance(body, dict) else None
    errors = errors if isinstance(errors, list) else [errors] if isinstance(errors, dict) else []
    if any(
        isinstance(e, dict) and e.get("resource") == "Application" and e.get("code") == "Inactive"
        for e in errors
    ):
        return StravaForbidden(f"{INACTIVE} (HTTP 403 from {_path(url)})")
    said = body.get("message") if isinstance(body, dict) and isinstance(body.get("message"), str) else ""
    return StravaForbidden(
        f"{_path(url)}: HTTP 403 Forbidden{': ' + said[:80] if said else ''}; if Strava refuses every "
        f"request, the application may be inactive: check it at {SETTINGS_URL}"
    )


def make_client(session: StravaSession, tokens: dict[str, Any] | None = None) -> Client:
    """A stravalib Client on `session`; stravalib's own limiter is off (the session does it)."""
    tokens = tokens or {}
    return Client(
        access_token=tokens.get("access_token"),
        refresh_token=tokens.get("refresh_token"),
        token_expires=tokens.get("expires_at"),
        rate_limit_requests=False,
        requests_session=session,
    )
