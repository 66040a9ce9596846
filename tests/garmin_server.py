"""A Garmin Connect Personal API server for tests and benchmarks, on 127.0.0.1 at a random port.

What it follows, and where each shape comes from (read 2026-12 from public material; "assumed" where
nothing published says):
- Key exchange: `POST /personalapitoken-service/personal-api/personal-api-key/token` with header
  `Authorization: ApiKey <key>`; the body is the access token, a JWT, as text (Garmin's page
  developer.garmin.com/gc-developer-program/personal/personal-api shows the curl call; Garmin's own
  client `garmin-connect-personal-api-python` 1.0.0 reads `response.text` and the JWT's `exp`). About
  24 hours (gcpapi-sync: "the 24-hour token exchange"). A refused key answers 401 (gcpapi-sync maps
  401/403 of the exchange to "expired, deleted or mistyped"). No refresh tokens: the key is exchanged again.
- Activity list: `GET /activitylist-service/activities/search/activities` with `start`, `limit`,
  `startDate`, `endDate` (local calendar dates, inclusive), `Authorization: Bearer`; a JSON array of
  SummarizedActivityDTO, newest first (gcpapi-sync's ActivityFilters: sort `startLocal`, default
  `desc`). Field names and units from the models gcpapi-sync 0.1.20261022 generates from Garmin's
  OpenAPI document (activityId, activityName, startTimeLocal and startTimeGMT as "yyyy-MM-dd HH:mm:ss",
  activityType {typeId, typeKey, parentTypeId}, distance m, duration/elapsedDuration/movingDuration s,
  elevationGain m, averageHR, maxHR, ...). A page over 45 answers HTTP 500 (gcpapi-sync: "activity
  searches fail with HTTP 500 for pages over about 45 activities"). The date-range cap (`range_cap`,
  28 days by default, answered 400) is ASSUMED for this endpoint: Garmin documents none for it; other
  Personal API endpoints refuse ranges over 28 or 31 days with 400 (gcpapi-sync, mcp-garmin-connect).
- Download: `GET /download-service/files/activity/{activityId}` needs `Accept:
  application/x-zip-compressed` (or application/zip; gcpapi-sync: 406 for application/octet-stream) and
  answers a ZIP holding `<activityId>_ACTIVITY.fit` (gcpapi-sync's ActivityFile docs). Missing: 404.
- Rate limit: more than `burst` requests in flight at once answer 429 with `Retry-After` (reported for
  the Personal API: 12 parallel requests, 429, `Retry-After: 14`, mcp-garmin-connect 0.4.0's changelog;
  the burst size and wait here are the test's).
It counts every request and the most in flight at once, and plays scripted faults (Fault).
"""

from __future__ import annotations

import base64
import io
import json
import secrets
import socket
import threading
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN_PATH = "/personalapitoken-service/personal-api/personal-api-key/token"
LIST_PATH = "/activitylist-service/activities/search/activities"
DOWNLOAD_PREFIX = "/download-service/files/activity/"
# typeKey -> (typeId, parentTypeId) for the types the tests use (parent 17: a top-level type)
TYPE_IDS = {"running": (1, 17), "trail_running": (6, 1), "treadmill_running": (18, 1), "cycling": (2, 17),
            "indoor_cycling": (25, 2), "strength_training": (13, 29), "yoga": (163, 29), "pilates": (175, 29),
            "multi_sport": (89, 17), "walking": (9, 17), "other": (4, 17)}  # fmt: skip


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    at: float
    status: int = 0


@dataclass
class Fault:
    """`kind` for the next `times` requests of `where` ('token', 'list', 'download'), or of one activity.

    kinds: 429 (Retry-After `seconds`), 500, 503, slow (sleep `seconds`), drop (close the connection),
    malformed (not JSON), wrong_shape (a JSON object), not_zip, corrupt_fit, no_file (404), expire
    (the bearer token is refused once: 401), revoke (the key and its tokens stop working)."""

    kind: str
    where: str = "list"
    times: int = 1
    seconds: float = 0.0
    activity: int | None = None


@dataclass
class Activity:
    garmin_id: int
    summary: dict[str, Any]
    fit: bytes | None  # the original file; None: Garmin has no file for it

    @property
    def local_day(self) -> date:
        return datetime.fromisoformat(self.summary["startTimeLocal"]).date()


@dataclass
class Athlete:
    key: str
    activities: dict[int, Activity] = field(default_factory=dict)


def summary(
    garmin_id: int,
    start_utc: datetime,
    start_local: datetime,
    type_key: str,
    seconds: float,
    distance_m: float | None,
    name: str,
    avg_hr: float | None = None,
    max_hr: float | None = None,
    start_point: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """A SummarizedActivityDTO as the list returns it (fields from gcpapi-sync's generated models)."""
    type_id, parent = TYPE_IDS.get(type_key, (4, 17))
    return {
        "activityId": garmin_id,
        "activityName": name,
        "description": None,
        "startTimeLocal": start_local.strftime("%Y-%m-%d %H:%M:%S"),
        "startTimeGMT": start_utc.strftime("%Y-%m-%d %H:%M:%S"),
        "activityType": {"typeId": type_id, "typeKey": type_key, "parentTypeId": parent},
        "eventType": {"typeId": 9, "typeKey": "uncategorized", "sortOrder": 10},
        "distance": distance_m,
        "duration": seconds,
        "elapsedDuration": seconds,
        "movingDuration": seconds,
        "elevationGain": None,
        "elevationLoss": None,
        "averageSpeed": round(distance_m / seconds, 3) if distance_m and seconds else None,
        "averageHR": avg_hr,
        "maxHR": max_hr,
        "calories": round(seconds / 6, 1),
        "startLatitude": start_point[0] if start_point else None,
        "startLongitude": start_point[1] if start_point else None,
        "ownerId": 81234567,
        "ownerDisplayName": "owner",
        "hasPolyline": bool(distance_m),
        "isParent": False,
        "parentId": None,
        "lapCount": 1,
        "manufacturer": "GARMIN",
    }


class FakeGarmin:
    """The server; `with FakeGarmin() as g: key = g.add_athlete(); g.add_activity(key, ...)`."""

    def __init__(self, range_cap: int = 28, max_page: int = 45, burst: int = 4, retry_after: float = 1.0,
                 token_lifetime_s: int = 86400, delay_s: float = 0.0) -> None:  # fmt: skip
        self.range_cap, self.max_page, self.burst, self.retry_after = range_cap, max_page, burst, retry_after
        self.token_lifetime_s, self.delay_s = token_lifetime_s, delay_s
        self.athletes: dict[str, Athlete] = {}
        self.tokens: dict[str, tuple[str, float]] = {}  # token -> (key, expires)
        self.revoked: set[str] = set()
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self._next_id = 20_000_000_000
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def setup(self) -> None:
                super().setup()  # headers and body are two writes: without this, Nagle costs 40 ms each
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_POST(self) -> None:  # noqa: N802
                server._handle(self, "POST")

            def do_GET(self) -> None:  # noqa: N802
                server._handle(self, "GET")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeGarmin:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- data ---------------------------------------------------------------------------------------

    def add_athlete(self) -> str:
        key = "gpak_" + secrets.token_urlsafe(24)
        self.athletes[key] = Athlete(key)
        return key

    def add_activity(
        self, key: str, summary_fields: dict[str, Any] | None = None, fit: bytes | None = None, **kw: Any
    ) -> int:
        """An activity of the athlete with `key`: `summary(...)`'s fields from `kw`, or a raw dict."""
        with self.lock:
            self._next_id += 1
            gid = self._next_id
        if summary_fields is None:
            raw = summary(gid, **kw)
        else:
            raw = dict(summary_fields)
            gid = raw.get("activityId", gid) if isinstance(raw.get("activityId"), int) else gid
        self.athletes[key].activities[gid] = Activity(gid, raw, fit)
        return gid

    def fail(
        self,
        kind: str,
        where: str = "list",
        times: int = 1,
        seconds: float = 0.0,
        activity: int | None = None,
    ) -> None:
        self.faults.append(Fault(kind, where, times, seconds, activity))

    def requests(self, where: str | None = None) -> list[Seen]:
        prefix = {"token": TOKEN_PATH, "list": LIST_PATH, "download": DOWNLOAD_PREFIX}.get(where or "", "")
        return [s for s in self.seen if s.path.startswith(prefix)]

    # -- handling -----------------------------------------------------------------------------------

    def _fault(self, where: str, activity: int | None) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.times > 0 and f.where == where and (f.activity is None or f.activity == activity):
                    f.times -= 1
                    return f
        return None

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        url = urlsplit(h.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        seen = Seen(method, url.path, query, time.monotonic())
        with self.lock:
            self.seen.append(seen)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            crowded = self.in_flight > self.burst
        try:
            if crowded:
                self._send(
                    h,
                    seen,
                    429,
                    b'{"message":"Too Many Requests"}',
                    headers={"Retry-After": f"{self.retry_after:g}"},
                )
                return
            if self.delay_s:
                time.sleep(self.delay_s)
            if method == "POST" and url.path == TOKEN_PATH:
                self._token(h, seen)
            elif method == "GET" and url.path == LIST_PATH:
                self._list(h, seen, query)
            elif method == "GET" and url.path.startswith(DOWNLOAD_PREFIX):
                self._download(h, seen, url.path[len(DOWNLOAD_PREFIX) :])
            else:
                self._send(h, seen, 404, b'{"message":"Not Found"}')
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self.lock:
                self.in_flight -= 1

    def _common_fault(self, h: BaseHTTPRequestHandler, seen: Seen, f: Fault | None) -> bool:
        """Play the faults every endpoint shares; True when the answer was sent."""
        if f is None:
            return False
        if f.kind == "429":
            self._send(h, seen, 429, b"{}", headers={"Retry-After": f"{f.seconds:g}"})
        elif f.kind in ("500", "503"):
            self._send(h, seen, int(f.kind), b'{"message":"Internal Server Error"}')
        elif f.kind == "slow":
            time.sleep(f.seconds)
            return False
        elif f.kind == "drop":
            seen.status = -1
            h.close_connection = True
            h.connection.shutdown(2)
        else:
            return False
        return True

    def _token(self, h: BaseHTTPRequestHandler, seen: Seen) -> None:
        if self._common_fault(h, seen, self._fault("token", None)):
            return
        auth = h.headers.get("Authorization", "")
        key = auth.removeprefix("ApiKey ").strip() if auth.startswith("ApiKey ") else ""
        if key not in self.athletes or key in self.revoked:
            self._send(h, seen, 401, b'{"message":"Unauthorized"}')
            return
        exp = time.time() + self.token_lifetime_s
        payload = base64.urlsafe_b64encode(json.dumps({"exp": int(exp), "sub": "81234567"}).encode()).rstrip(
            b"="
        )
        token = f"eyJhbGciOiJSUzI1NiJ9.{payload.decode()}.{secrets.token_urlsafe(16)}"
        with self.lock:
            self.tokens[token] = (key, exp)
        self._send(h, seen, 200, token.encode(), content_type="text/plain")

    def _athlete(self, h: BaseHTTPRequestHandler, seen: Seen) -> Athlete | None:
        auth = h.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        found = self.tokens.get(token)
        if found is None or found[1] < time.time() or found[0] in self.revoked:
            self._send(h, seen, 401, b'{"message":"Unauthorized"}')
            return None
        return self.athletes[found[0]]

    def _list(self, h: BaseHTTPRequestHandler, seen: Seen, q: dict[str, str]) -> None:
        fault = self._fault("list", None)
        if self._common_fault(h, seen, fault):
            return
        if fault is not None and fault.kind in ("expire", "revoke"):
            self._expire_or_revoke(h, fault)
        athlete = self._athlete(h, seen)
        if athlete is None:
            return
        try:
            start, end = date.fromisoformat(q["startDate"]), date.fromisoformat(q["endDate"])
            offset, limit = int(q.get("start", "0")), int(q.get("limit", "99"))
        except (KeyError, ValueError):
            self._send(h, seen, 400, b"")
            return
        if end < start or (end - start).days + 1 > self.range_cap:
            self._send(h, seen, 400, b"")
            return
        if limit > self.max_page:
            self._send(h, seen, 500, b'{"message":"Internal Server Error"}')
            return
        chosen = sorted(
            (a for a in athlete.activities.values() if start <= a.local_day <= end),
            key=lambda a: a.summary.get("startTimeLocal") or "",
            reverse=True,
        )[offset : offset + limit]
        if fault is not None and fault.kind == "malformed":
            self._send(h, seen, 200, b'[{"activityId": 1, "activityName": "cut sho')
            return
        if fault is not None and fault.kind == "wrong_shape":
            self._send(h, seen, 200, b'{"error": "unexpected"}')
            return
        self._send(h, seen, 200, json.dumps([a.summary for a in chosen]).encode())

    def _expire_or_revoke(self, h: BaseHTTPRequestHandler, fault: Fault) -> None:
        token = h.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        with self.lock:
            found = self.tokens.pop(token, None)
            if fault.kind == "revoke" and found:
                self.revoked.add(found[0])

    def _download(self, h: BaseHTTPRequestHandler, seen: Seen, tail: str) -> None:
        gid = int(tail) if tail.isdigit() else None
        fault = self._fault("download", gid)
        if self._common_fault(h, seen, fault):
            return
        if fault is not None and fault.kind in ("expire", "revoke"):
            self._expire_or_revoke(h, fault)
        athlete = self._athlete(h, seen)
        if athlete is None:
            return
        accept = h.headers.get("Accept", "")
        if "application/x-zip-compressed" not in accept and "application/zip" not in accept:
            self._send(h, seen, 406, b"")
            return
        activity = athlete.activities.get(gid or -1)
        if activity is None or activity.fit is None or (fault is not None and fault.kind == "no_file"):
            self._send(h, seen, 404, b'{"message":"Not Found"}')
            return
        fit = activity.fit
        if fault is not None and fault.kind == "not_zip":
            self._send(h, seen, 200, b"<html>maintenance</html>", content_type="application/x-zip-compressed")
            return
        if fault is not None and fault.kind == "corrupt_fit":
            fit = fit[: len(fit) // 3]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(f"{activity.garmin_id}_ACTIVITY.fit", fit)
        self._send(h, seen, 200, buf.getvalue(), content_type="application/x-zip-compressed")

    def _send(
        self,
        h: BaseHTTPRequestHandler,
        seen: Seen,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        seen.status = status
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)


def local(start_utc: datetime, offset_h: float) -> datetime:
    return start_utc + timedelta(hours=offset_h)
