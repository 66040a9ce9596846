"""A Strava-compatible HTTP server for tests and benchmarks, on 127.0.0.1 at a random port.

Serves `POST /oauth/token` (authorization_code and refresh_token grants), `GET /api/v3/athlete` and
`GET /api/v3/athlete/activities` (before/after/page/per_page) with the JSON shapes of Strava's API
reference (stravalib ships the swagger examples in stravalib/tests/resources/), sends the
`X-RateLimit-*`/`X-ReadRateLimit-*` headers, counts every request, and plays scripted faults:
429 bursts, 5xx, slow answers, malformed JSON, empty bodies, JSON of the wrong shape, token answers
without an access token, 403 for an inactive application, dropped connections, tokens expiring
mid-sync. Access tokens are accepted only in the `Authorization: Bearer` header, as Strava requires.

    with FakeStrava() as server:
        code = server.add_athlete(1001, "Ana", "Runner", activities=450)
        ...  # STRAVA_API_URL=server.url
"""

from __future__ import annotations

import functools
import itertools
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

CLIENT_ID = 4242
CLIENT_SECRET = "test-client-secret-5f2a9c"
# (sport_type, type) pairs as Strava sends them; "Skijoring" stands for a type crosstrain does not know.
SPORTS = [
    ("Run", "Run"),
    ("Run", "Run"),
    ("TrailRun", "Run"),
    ("WeightTraining", "WeightTraining"),
    ("Pilates", "Workout"),
    ("Yoga", "Yoga"),
    ("Ride", "Ride"),
    ("Run", "Run"),
]
CATEGORY = {"Run": "run", "TrailRun": "run", "WeightTraining": "strength", "Pilates": "pilates",
            "Yoga": "mobility", "Ride": "cross", "Skijoring": "other"}  # fmt: skip
EPOCH0 = datetime(2020, 1, 1, 6, 0, tzinfo=UTC)


@dataclass
class Seen:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    status: int = 0
    athlete: int | None = None  # whose access token the request carried

    @property
    def page(self) -> int | None:
        return int(self.query.get("page", "1")) if self.path == "/api/v3/athlete/activities" else None


@dataclass
class Fault:
    """A scripted fault: `kind` for the next `times` matching requests (page None: any list page)."""

    kind: str  # "429", "500", "503", "slow", "malformed", "empty", "wrong_shape", "no_access_token",
    # "bad_athlete", "inactive", "forbidden", "drop", "expire", "exhaust", "exhaust_daily"
    page: int | None = None
    times: int = 1
    seconds: float = 0.0
    path: str = "/api/v3/athlete/activities"
    athlete: int | None = None  # only requests with this athlete's token (None: any)


def summary_activity(
    activity_id: int, athlete_id: int, start: datetime, sport: tuple[str, str], n: int
) -> dict:
    """A SummaryActivity shaped like Strava's (swagger example of getLoggedInAthleteActivities)."""
    sport_type, kind = sport
    moving = 1800 + (n * 37) % 3600
    distance = 0.0 if sport_type in ("WeightTraining", "Pilates", "Yoga") else round(moving * 2.9, 1)
    local = start - timedelta(hours=8)
    return {
        "resource_state": 2,
        "athlete": {"id": athlete_id, "resource_state": 1},
        "name": f"{sport_type} #{n}",
        "distance": distance,
        "moving_time": moving,
        "elapsed_time": moving + 120,
        "total_elevation_gain": round((n * 7) % 200, 1),
        "type": kind,
        "sport_type": sport_type,
        "workout_type": None,
        "id": activity_id,
        "external_id": f"garmin_push_{activity_id}",
        "upload_id": activity_id * 10,
        "start_date": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "start_date_local": local.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "timezone": "(GMT-08:00) America/Los_Angeles",
        "utc_offset": -28800,
        "start_latlng": None,
        "end_latlng": None,
        "location_city": None,
        "location_state": None,
        "location_country": "United States",
        "achievement_count": 0,
        "kudos_count": n % 5,
        "comment_count": 0,
        "athlete_count": 1,
        "photo_count": 0,
        "map": {"id": f"a{activity_id}", "summary_polyline": None, "resource_state": 2},
        "trainer": False,
        "commute": False,
        "manual": False,
        "private": n % 9 == 0,
        "flagged": False,
        "gear_id": None,
        "from_accepted_tag": False,
        "average_speed": round(distance / moving, 3) if distance else 0.0,
        "max_speed": 5.5,
        "has_heartrate": True,
        "average_heartrate": 120.0 + n % 40,
        "max_heartrate": 165.0 + n % 20,
        "pr_count": 0,
        "total_photo_count": 0,
        "has_kudoed": False,
        "suffer_score": float(20 + n % 90),
    }


class FakeStrava:
    """The server and its state; use as a context manager (starts a thread, stops on exit)."""

    def __init__(self, token_ttl_s: int = 6 * 3600, limits: tuple[int, int] = (200, 2000),
                 read_limits: tuple[int, int] = (100, 1000)) -> None:  # fmt: skip
        self.token_ttl_s = token_ttl_s
        self.limits, self.read_limits = limits, read_limits
        self.athletes: dict[int, dict[str, Any]] = {}
        self.activities: dict[int, list[dict[str, Any]]] = {}
        self.codes: dict[str, int] = {}
        self.access: dict[str, tuple[int, float]] = {}
        self.refresh: dict[str, int] = {}
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self.changed = threading.Condition()
        self._ids = itertools.count(9_000_000_001)
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.fake = self
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    # --- set-up --------------------------------------------------------------------------------
    def add_athlete(self, athlete_id: int, firstname: str, lastname: str, activities: int = 0) -> str:
        """Create an athlete with `activities` activities; returns an authorization code for it."""
        self.athletes[athlete_id] = {
            "id": athlete_id, "username": f"{firstname.lower()}{athlete_id}", "resource_state": 2,
            "firstname": firstname, "lastname": lastname, "bio": "", "city": "Portland", "state": "OR",
            "country": "United States", "sex": "F", "premium": False, "summit": False,
            "created_at": "2019-03-01T10:00:00Z", "updated_at": "2024-01-01T10:00:00Z", "badge_type_id": 0,
            "weight": None, "profile_medium": "avatar/athlete/medium.png",
            "profile": "avatar/athlete/large.png",
            "friend": None, "follower": None,
        }  # fmt: skip
        self.activities[athlete_id] = []
        self.add_activities(athlete_id, activities)
        return self.issue_code(athlete_id)

    def add_activities(self, athlete_id: int, n: int, sport: tuple[str, str] | None = None) -> list[int]:
        """Append `n` activities, 8 hours apart, after the athlete's newest; returns their ids. Starts a
        test planted past 2100 (a watch's wrong clock, a fuzzed 9999-12-31) are not the newest."""
        acts = self.activities[athlete_id]
        starts = [s for s in (_start(a) for a in acts) if s < FAR_FUTURE]
        newest = datetime.fromtimestamp(max(starts, default=EPOCH0.timestamp() - 8 * 3600), UTC)
        ids = []
        for i in range(n):
            k = len(acts)
            activity_id = next(self._ids)
            start = newest + timedelta(hours=8 * (i + 1))
            acts.append(summary_activity(activity_id, athlete_id, start, sport or SPORTS[k % len(SPORTS)], k))
            ids.append(activity_id)
        return ids

    def issue_code(self, athlete_id: int) -> str:
        code = secrets.token_hex(12)
        self.codes[code] = athlete_id
        return code

    def delete_activity(self, athlete_id: int, activity_id: int) -> None:
        self.activities[athlete_id] = [a for a in self.activities[athlete_id] if a["id"] != activity_id]

    def fault(self, kind: str, page: int | None = None, times: int = 1, seconds: float = 0.0,
              path: str = "/api/v3/athlete/activities", athlete: int | None = None) -> None:  # fmt: skip
        with self.changed:
            self.faults.append(Fault(kind, page, times, seconds, path, athlete))

    def revoke(self, athlete_id: int) -> None:
        """The athlete revoked crosstrain's access on Strava: every token of theirs is refused."""
        with self.changed:
            self.access = {t: v for t, v in self.access.items() if v[0] != athlete_id}
            self.refresh = {t: a for t, a in self.refresh.items() if a != athlete_id}

    def expire_tokens(self) -> None:
        """Make every access token expired, as if hours had passed."""
        with self.changed:
            self.access = {t: (a, 0.0) for t, (a, _) in self.access.items()}

    # --- observation ---------------------------------------------------------------------------
    def list_requests(self) -> list[Seen]:
        return [s for s in self.seen if s.path == "/api/v3/athlete/activities"]

    def api_requests(self) -> list[Seen]:
        return [s for s in self.seen if s.path.startswith("/api/")]

    def reset_counts(self) -> None:
        with self.changed:
            self.seen.clear()

    def wait_for(self, predicate: Callable[[list[Seen]], bool], timeout: float = 20) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self.seen), timeout)

    # --- lifecycle -----------------------------------------------------------------------------
    def __enter__(self) -> FakeStrava:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- request handling (called by the handler) ---------------------------------------------
    def take_fault(self, seen: Seen) -> Fault | None:
        with self.changed:
            for f in self.faults:
                if (
                    f.times > 0
                    and f.path == seen.path
                    and (f.page is None or f.page == seen.page)
                    and (f.athlete is None or f.athlete == seen.athlete)
                ):
                    f.times -= 1
                    return f
        return None

    def rate_headers(self, exhausted: str | None = None) -> dict[str, str]:
        used = len(self.api_requests())
        short, day = self.limits
        rshort, rday = self.read_limits
        u_short, u_day = min(used, short), min(used, day)
        r_short, r_day = min(used, rshort), min(used, rday)
        if exhausted == "short":
            r_short = rshort
        elif exhausted == "daily":
            r_day = rday
        return {
            "X-RateLimit-Limit": f"{short},{day}",
            "X-RateLimit-Usage": f"{u_short},{u_day}",
            "X-ReadRateLimit-Limit": f"{rshort},{rday}",
            "X-ReadRateLimit-Usage": f"{r_short},{r_day}",
        }

    def token_grant(self, form: dict[str, str]) -> tuple[int, Any]:
        if form.get("client_id") != str(CLIENT_ID) or form.get("client_secret") != CLIENT_SECRET:
            return 401, _error("Bad Request", "Application", "client_id", "invalid")
        grant = form.get("grant_type")
        with self.changed:
            if grant == "authorization_code":
                athlete_id = self.codes.pop(form.get("code", ""), None)
                if athlete_id is None:
                    return 400, _error("Bad Request", "AuthorizationCode", "code", "invalid")
            elif grant == "refresh_token":
                athlete_id = self.refresh.pop(form.get("refresh_token", ""), None)
                if athlete_id is None:
                    return 400, _error("Bad Request", "RefreshToken", "refresh_token", "invalid")
            else:
                return 400, _error("Bad Request", "Application", "grant_type", "invalid")
            access, refresh = "acc-" + secrets.token_hex(16), "ref-" + secrets.token_hex(16)
            expires_at = int(time.time()) + self.token_ttl_s
            self.access[access] = (athlete_id, expires_at)
            self.refresh[refresh] = athlete_id
        body: dict[str, Any] = {"token_type": "Bearer", "expires_at": expires_at,
                                "expires_in": self.token_ttl_s, "refresh_token": refresh,
                                "access_token": access}  # fmt: skip
        if grant == "authorization_code":
            body["athlete"] = self.athletes[athlete_id]
        return 200, body

    def authorised(self, header: str | None) -> int | None:
        if not (header or "").startswith("Bearer "):
            return None
        token = (header or "").removeprefix("Bearer ")
        found = self.access.get(token)
        if found is None or found[1] < time.time():
            return None
        return found[0]

    def list_activities(self, athlete_id: int, query: dict[str, str]) -> list[dict[str, Any]]:
        """Strava's paging: `after` lists oldest first, otherwise newest first; per_page at most 200."""
        acts = self.activities[athlete_id]
        after, before = query.get("after"), query.get("before")
        if after is not None:
            acts = [a for a in acts if _start(a) > int(after)]
        if before is not None:
            acts = [a for a in acts if _start(a) < int(before)]
        acts = sorted(acts, key=_start, reverse=after is None)
        per_page = min(int(query.get("per_page", "30")), 200)
        page = int(query.get("page", "1"))
        return acts[(page - 1) * per_page : page * per_page]


@functools.cache
def _parse(start_date: str) -> float:
    return datetime.strptime(start_date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()


FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC).timestamp()


def _start(activity: dict[str, Any]) -> float:
    """Start as epoch seconds (cached: the benchmark lists 10,000 activities 51 times); 0 when a test
    planted a start that is not a date."""
    try:
        return _parse(activity["start_date"])
    except (TypeError, ValueError, KeyError):
        return 0.0


def _error(message: str, resource: str, field_name: str, code: str) -> dict[str, Any]:
    return {"message": message, "errors": [{"resource": resource, "field": field_name, "code": code}]}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeStrava

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out close their socket; not worth a traceback


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def _handle(self, method: str) -> None:
        fake = self.server.fake
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length).decode() if length else ""
        form = {k: v[0] for k, v in parse_qs(raw_body).items()}
        seen = Seen(method, parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}, form)
        seen.athlete = fake.authorised(self.headers.get("Authorization"))
        with fake.changed:
            fake.seen.append(seen)
            fake.changed.notify_all()
        fault = fake.take_fault(seen)
        exhausted = None
        if fault is not None:
            if fault.kind == "slow":
                time.sleep(fault.seconds)
            elif fault.kind in ("429",):
                return self._send(seen, 429, _error("Rate Limit Exceeded", "Application", "rate limit",
                                                    "exceeded"), fake.rate_headers("short"))  # fmt: skip
            elif fault.kind in ("500", "503"):
                return self._send(seen, int(fault.kind), {"message": "Internal Server Error"}, {})
            elif fault.kind == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return None
            elif fault.kind == "malformed":
                return self._send_raw(seen, 200, b'[{"id": 1, "name": "trunc', fake.rate_headers())
            elif fault.kind == "empty":
                return self._send_raw(seen, 200, b"", fake.rate_headers())
            elif fault.kind == "wrong_shape":
                return self._send(seen, 200, {"activities": []}, fake.rate_headers())
            elif fault.kind == "no_access_token":  # before the grant: the code stays usable
                body = {"token_type": "Bearer", "expires_at": int(time.time()) + 3600, "refresh_token": "x"}
                return self._send(seen, 200, body, {})
            elif fault.kind == "inactive":  # Strava's answer for an application set "Inactive"
                body = {"message": "Forbidden", "errors": [{"resource": "Application", "field": "Status",
                                                            "code": "Inactive"}]}  # fmt: skip
                return self._send(seen, 403, body, {})
            elif fault.kind == "forbidden":
                return self._send(seen, 403, {"message": "Forbidden", "errors": []}, {})
            elif fault.kind == "expire":
                fake.expire_tokens()
            elif fault.kind == "exhaust":
                exhausted = "short"
            elif fault.kind == "exhaust_daily":
                exhausted = "daily"
        if parts.path == "/oauth/token" and method == "POST":
            status, body = fake.token_grant(form)
            if fault is not None and fault.kind == "bad_athlete" and "athlete" in body:
                body["athlete"] = {"id": "abc", "firstname": ["not", "text"], "resource_state": "x"}
            return self._send(seen, status, body, {})
        if not parts.path.startswith("/api/v3/"):
            return self._send(seen, 404, _error("Record Not Found", "resource", "path", "invalid"), {})
        headers = fake.rate_headers(exhausted)
        athlete_id = fake.authorised(self.headers.get("Authorization"))
        if athlete_id is None:
            return self._send(seen, 401, _error("Authorization Error", "Athlete", "access_token", "invalid"),
                              headers)  # fmt: skip
        if parts.path == "/api/v3/athlete":
            return self._send(seen, 200, fake.athletes[athlete_id], headers)
        if parts.path == "/api/v3/athlete/activities":
            return self._send(seen, 200, fake.list_activities(athlete_id, seen.query), headers)
        return self._send(seen, 404, _error("Record Not Found", "resource", "path", "invalid"), headers)

    def _send(self, seen: Seen, status: int, body: Any, headers: dict[str, str]) -> None:
        self._send_raw(seen, status, json.dumps(body).encode(), headers)

    def _send_raw(self, seen: Seen, status: int, data: bytes, headers: dict[str, str]) -> None:
        seen.status = status
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True
