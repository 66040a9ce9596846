"""A small client for Garmin's Connect Personal API on requests: key exchange, activity list, download.

Where each shape comes from (tests/garmin_server.py plays them back):
- the key exchange: `POST /personalapitoken-service/personal-api/personal-api-key/token` with
  `Authorization: ApiKey <key>` answers the access token (a JWT, as text) that the data endpoints take
  as `Authorization: Bearer` (developer.garmin.com/gc-developer-program/personal/personal-api; Garmin's
  own Python client `garmin-connect-personal-api-python` 1.0.0 reads the body as text and the JWT's
  `exp` as its expiry; about a day);
- the list: `GET /activitylist-service/activities/search/activities?start=&limit=&startDate=&endDate=`
  (local calendar dates, inclusive) answering a JSON array of SummarizedActivityDTO (`activityId`,
  `activityName`, `startTimeLocal`, `startTimeGMT` as `yyyy-MM-dd HH:mm:ss`, `activityType.typeKey`,
  `distance` m, `duration`/`elapsedDuration`/`movingDuration` s, `elevationGain` m, `averageHR`,
  `maxHR`): Garmin's client and the models gcpapi-sync 0.1.20261022 generates from Garmin's OpenAPI;
- the page size: at most 45 (gcpapi-sync found pages over about 45 answered HTTP 500), so PAGE_SIZE;
- the download: `GET /download-service/files/activity/{activityId}` with `Accept:
  application/x-zip-compressed` (gcpapi-sync: Garmin answers 406 to application/octet-stream), a ZIP
  holding the original file (`<id>_ACTIVITY.fit`);
- the rate limit: a burst of 12 parallel requests was answered 429 with `Retry-After: 14`
  (mcp-garmin-connect's changelog 0.4.0, which then keeps 2 requests in flight): MAX_IN_FLIGHT.
No range cap is documented for the activity search; other Personal API endpoints refuse ranges over
28 or 31 days (gcpapi-sync, mcp-garmin-connect), so the sync lists windows of WINDOW_DAYS = 28 days:
crosstrain's convention, the smallest cap reported for any endpoint.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import threading
import time
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from ingest.errors import CrosstrainError

GARMIN_URL = "https://personal.connectapi.garmin.com"
KEY_PAGE = "https://connect.garmin.com/app/settings/personalApiToken"
TOKEN_PATH = "/personalapitoken-service/personal-api/personal-api-key/token"
LIST_PATH = "/activitylist-service/activities/search/activities"
DOWNLOAD_PATH = "/download-service/files/activity/{}"
ZIP = "application/x-zip-compressed, application/zip"
PAGE_SIZE = 40
WINDOW_DAYS = 28
MAX_IN_FLIGHT = 2
RETRIES = 5  # attempts per request for 5xx, time-outs, dropped connections and malformed answers
MAX_429 = 8  # 429 answers in a row (each after its Retry-After) before giving up
MAX_RETRY_AFTER_S = 900.0  # a longer Retry-After stops the sync (resumable) instead of waiting
TOKEN_LIFETIME_S = 86400  # when the JWT says no `exp` (Garmin documents about a day)
REFRESH_MARGIN_S = 300


class GarminError(CrosstrainError):
    """Garmin (or the server at GARMIN_API_URL) failed in a way retrying did not fix."""


class KeyRefused(GarminError):
    """The key exchange was refused: the key expired, was revoked or mistyped."""


class NoFile(GarminError):
    """The activity's original file can't be had (404/410, an empty answer)."""


def key_refused_message(athlete: str | None) -> str:
    who = f" of '{athlete}'" if athlete else ""
    again = f" --athlete '{athlete}'" if athlete else ""
    return (
        f"Garmin refused the Personal API key{who} (expired, revoked or mistyped): create a new key at "
        f"{KEY_PAGE} (Garmin Connect web: Settings, Personal API) and run `crosstrain garmin connect{again}`"
    )


def base_url() -> str:
    """`GARMIN_API_URL`, else Garmin's Personal API host."""
    base = os.environ.get("GARMIN_API_URL", "").strip().rstrip("/") or GARMIN_URL
    if not base.startswith(("http://", "https://")):
        raise CrosstrainError(f"GARMIN_API_URL must start with http:// or https://, not '{base}'")
    return base


def retry_base_s() -> float:
    """First back-off delay; doubles per attempt (`CROSSTRAIN_RETRY_BASE_S`, default 1, as Strava's)."""
    return float(os.environ.get("CROSSTRAIN_RETRY_BASE_S", "1"))


def timeout_s() -> float:
    return float(os.environ.get("CROSSTRAIN_HTTP_TIMEOUT_S", "30"))


def jwt_expiry(token: str, now: float | None = None) -> int:
    """The JWT's `exp` (epoch seconds), unverified: only used to renew in time; else a day from now."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return int(claims["exp"])
    except (IndexError, KeyError, TypeError, ValueError, binascii.Error):
        return int((now or time.time()) + TOKEN_LIFETIME_S)


def retry_after_s(value: str | None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) in seconds."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def exchange(base: str, api_key: str, session: requests.Session | None = None) -> tuple[str, int]:
    """Exchange the key for an access token: (token, expires_at). KeyRefused on 401/403."""
    client = Client(base, api_key, session=session)
    client.renew()
    return client.token, client.token_expires_at


class Client:
    """One athlete's requests: a token renewed before expiry and once after a 401, retries with
    back-off, 429 answered by pausing every thread until its Retry-After, a request count."""

    def __init__(
        self,
        base: str,
        api_key: str,
        token: str = "",
        token_expires_at: int = 0,
        session: requests.Session | None = None,
        athlete: str | None = None,
    ) -> None:
        self.base = base.rstrip("/")
        self._api_key = api_key
        self.token, self.token_expires_at = token, token_expires_at
        self.session = session or requests.Session()
        self.athlete = athlete
        self.requests_sent = 0
        self.renewed = False  # a new token was obtained: the caller saves it
        self._lock = threading.RLock()
        self._pause_until = 0.0
        self.on_wait: Any = None  # called with the seconds of a Retry-After pause

    def __repr__(self) -> str:  # never the key or the token, even in a traceback
        return f"Client(base={self.base!r}, athlete={self.athlete!r})"

    # -- tokens -------------------------------------------------------------------------------------

    def renew(self) -> None:
        """A new access token for the key."""
        response = self._send(
            "POST", TOKEN_PATH, headers={"Authorization": f"ApiKey {self._api_key}", "Accept": "*/*"}
        )
        if response.status_code in (400, 401, 403):
            raise KeyRefused(key_refused_message(self.athlete))
        if response.status_code != 200:
            raise GarminError(f"{TOKEN_PATH}: HTTP {response.status_code}")
        token = response.text.strip().strip('"')
        if not token or any(c.isspace() for c in token):
            raise GarminError(f"{TOKEN_PATH}: the answer holds no access token")
        self.token, self.token_expires_at, self.renewed = token, jwt_expiry(token), True

    def _fresh_token(self, stale: str | None = None) -> str:
        with self._lock:
            if self.token == stale or self.token_expires_at - time.time() < REFRESH_MARGIN_S:
                self.renew()
            return self.token

    # -- requests -----------------------------------------------------------------------------------

    def get(
        self, path: str, params: dict[str, Any] | None = None, accept: str = "application/json"
    ) -> requests.Response:
        """A data request; one renewal after a 401, then KeyRefused."""
        token = self._fresh_token()
        for attempt in (1, 2):
            response = self._send(
                "GET", path, params=params, headers={"Authorization": f"Bearer {token}", "Accept": accept}
            )
            if response.status_code != 401:
                return response
            if attempt == 1:
                token = self._fresh_token(stale=token)
        raise KeyRefused(key_refused_message(self.athlete))

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send with retries: 5xx/time-outs/dropped connections back off; 429 waits its Retry-After."""
        url = self.base + path
        attempt = rate_limited = 0
        while True:
            self._wait_pause()
            try:
                with self._lock:
                    self.requests_sent += 1
                response = self.session.request(method, url, timeout=timeout_s(), **kwargs)
            except (
                requests.Timeout,
                requests.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                attempt = self._backoff(
                    attempt, path, "timed out" if isinstance(exc, requests.Timeout) else "connection failed"
                )
                continue
            except requests.RequestException as exc:
                raise GarminError(f"{path}: {type(exc).__name__}") from None
            if response.status_code == 429:
                rate_limited += 1
                if rate_limited > MAX_429:
                    raise GarminError(f"{path}: Garmin kept answering 429 Too Many Requests; try again later")
                wait = retry_after_s(response.headers.get("Retry-After"))
                wait = retry_base_s() * 2 ** min(rate_limited, 6) if wait is None else wait
                if wait > MAX_RETRY_AFTER_S:
                    raise GarminError(
                        f"{path}: Garmin asks to wait {wait:.0f} s (rate limit); sync again later"
                    )
                self._pause(wait)
                continue
            if response.status_code >= 500:
                attempt = self._backoff(attempt, path, f"HTTP {response.status_code}")
                continue
            return response

    def _pause(self, seconds: float) -> None:
        with self._lock:
            self._pause_until = max(self._pause_until, time.monotonic() + seconds)
        if self.on_wait:
            self.on_wait(seconds)

    def _wait_pause(self) -> None:
        while (left := self._pause_until - time.monotonic()) > 0:
            time.sleep(min(left, 1.0))

    def _backoff(self, attempt: int, path: str, reason: str) -> int:
        attempt += 1
        if attempt >= RETRIES:
            raise GarminError(f"{path}: {reason} after {RETRIES} attempts; try again later")
        time.sleep(retry_base_s() * 2 ** (attempt - 1))
        return attempt

    # -- endpoints ----------------------------------------------------------------------------------

    def list_window(self, start: date, end: date) -> list[Any]:
        """Every activity summary of local days start..end (inclusive), page by page."""
        found: list[Any] = []
        offset = 0
        while True:
            params = {
                "start": offset,
                "limit": PAGE_SIZE,
                "startDate": start.isoformat(),
                "endDate": end.isoformat(),
            }
            page = self._json_list(params)
            found += page
            if len(page) < PAGE_SIZE:
                return found
            offset += PAGE_SIZE

    def _json_list(self, params: dict[str, Any]) -> list[Any]:
        """One list page; an answer that is not a JSON array is retried, then GarminError."""
        attempt = 0
        while True:
            response = self.get(LIST_PATH, params)
            if response.status_code != 200:
                raise GarminError(
                    f"{LIST_PATH}: HTTP {response.status_code} for {params['startDate']}..{params['endDate']}"
                )
            try:
                body = json.loads(response.content) if response.content.strip() else []
            except ValueError:
                body = None
            if isinstance(body, list):
                return body
            attempt = self._backoff(attempt, LIST_PATH, "not a JSON list of activities")

    def download(self, activity_id: int) -> bytes:
        """The activity's original-file ZIP; NoFile when Garmin has none for it."""
        path = DOWNLOAD_PATH.format(int(activity_id))
        response = self.get(path, accept=ZIP)
        if response.status_code in (204, 404, 410) or (response.status_code == 200 and not response.content):
            empty = ", empty" if response.status_code == 200 else ""
            raise NoFile(f"no original file (HTTP {response.status_code}{empty})")
        if response.status_code != 200:
            raise NoFile(f"the download was refused (HTTP {response.status_code})")
        return response.content
