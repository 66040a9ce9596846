"""Rate-limit windows and headers (https://developers.strava.com/docs/rate-limits/)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.strava.ratelimit import RateLimits, next_window


@pytest.mark.parametrize(
    ("now", "daily", "expected"),
    [
        ("2026-11-23T01:07:30", False, "2026-11-23T01:15:00"),
        ("2026-11-23T01:15:00", False, "2026-11-23T01:30:00"),
        ("2026-11-23T23:59:59", False, "2026-11-24T00:00:00"),
        ("2026-11-23T01:07:30", True, "2026-11-24T00:00:00"),
    ],
)
def test_windows_open_at_quarter_hours_and_utc_midnight(now: str, daily: bool, expected: str) -> None:
    at = datetime.fromisoformat(now).replace(tzinfo=UTC)
    assert next_window(at, daily) == datetime.fromisoformat(expected).replace(tzinfo=UTC)


def test_the_tightest_used_up_limit_decides() -> None:
    limits = RateLimits()
    now = datetime(2026, 11, 23, 1, 7, tzinfo=UTC)
    limits.update({"X-RateLimit-Limit": "200,2000", "X-RateLimit-Usage": "50,300"})
    limits.update({"X-ReadRateLimit-Limit": "100,1000", "X-ReadRateLimit-Usage": "99,300"})
    assert limits.exhausted(now) is None
    limits.update({"X-ReadRateLimit-Limit": "100,1000", "X-ReadRateLimit-Usage": "100,300"})
    hit = limits.exhausted(now)
    assert (hit.what, hit.usage, hit.until.minute) == ("15-minute", "100/100", 15)
    limits.update({"X-RateLimit-Limit": "200,2000", "X-RateLimit-Usage": "60,2000"})
    assert limits.exhausted(now).what == "daily"
    limits.reset()
    assert limits.exhausted(now) is None
    assert limits.exhausted(now, after_429=True).what == "15-minute"  # a bare 429 waits a window
    limits.update({"X-RateLimit-Limit": "garbage", "X-RateLimit-Usage": "1,2"})
    assert limits.exhausted(now) is None
