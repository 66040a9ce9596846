"""Strava's rate limits, read from response headers, and when the next window opens.

Strava sends `X-RateLimit-Limit`/`X-RateLimit-Usage` (all requests) and `X-ReadRateLimit-Limit`/
`X-ReadRateLimit-Usage` (reads), each "15-minute,daily". The 15-minute windows start at the quarter
hours (:00, :15, :30, :45) and the daily window at midnight UTC
(https://developers.strava.com/docs/rate-limits/).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ingest.errors import CrosstrainError

HEADER_PAIRS = (
    ("X-RateLimit-Limit", "X-RateLimit-Usage"),
    ("X-ReadRateLimit-Limit", "X-ReadRateLimit-Usage"),
)
DAY_S = 86400


def window_s() -> float:
    """Length of the short window: 900 s; `CROSSTRAIN_RATE_WINDOW_S` shortens it for tests."""
    return float(os.environ.get("CROSSTRAIN_RATE_WINDOW_S", "900"))


class RateLimitStop(CrosstrainError):
    """A rate limit is used up and the caller chose not to wait (`--no-wait`)."""

    def __init__(self, reason: str, until: datetime, saved: str | None = None) -> None:
        done = f"; {saved}" if saved else ""
        super().__init__(f"{reason}{done}: run `crosstrain strava sync` again after {until_text(until)}")
        self.reason, self.until = reason, until


@dataclass(frozen=True)
class Exhausted:
    """A used-up limit: which one, its usage, and when the next window opens."""

    what: str  # "15-minute" or "daily"
    usage: str  # e.g. "100/100"
    until: datetime

    def describe(self) -> str:
        return f"Strava's {self.what} rate limit is used up ({self.usage})"


def next_window(now: datetime, daily: bool) -> datetime:
    """Start of the next 15-minute window (or of the next UTC day when `daily`)."""
    epoch = now.timestamp()
    step = DAY_S if daily else window_s()
    return datetime.fromtimestamp((epoch // step + 1) * step, UTC)


def _pair(value: str | None) -> tuple[int, int] | None:
    try:
        short, day = (int(part) for part in (value or "").split(","))
    except ValueError:
        return None
    return short, day


@dataclass
class RateLimits:
    """The latest usage and limits Strava reported, shared by every request of a sync run."""

    usage: dict[str, tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=dict)

    def update(self, headers: Mapping[str, str]) -> None:
        """Remember the usage of every limit the response reports."""
        for limit_name, usage_name in HEADER_PAIRS:
            limit, usage = _pair(headers.get(limit_name)), _pair(headers.get(usage_name))
            if limit and usage:
                self.usage[limit_name] = (usage, limit)

    def exhausted(self, now: datetime | None = None, after_429: bool = False) -> Exhausted | None:
        """The limit that blocks the next request, if any; a 429 means at least the short window."""
        now = now or datetime.now(UTC)
        short_hit = day_hit = None
        for (used_short, used_day), (lim_short, lim_day) in self.usage.values():
            if lim_day and used_day >= lim_day:
                day_hit = f"{used_day}/{lim_day}"
            elif lim_short and used_short >= lim_short:
                short_hit = f"{used_short}/{lim_short}"
        if day_hit:
            return Exhausted("daily", day_hit, next_window(now, daily=True))
        if short_hit or after_429:
            return Exhausted("15-minute", short_hit or "429 Too Many Requests", next_window(now, daily=False))
        return None

    def reset(self) -> None:
        """Forget the usage once its window has passed; the next response reports the new figures."""
        self.usage.clear()


def until_text(until: datetime) -> str:
    """`01:15 UTC`, with the date when it is not today."""
    today = datetime.now(UTC).date()
    fmt = "%H:%M:%S UTC" if until.date() == today else "%Y-%m-%d %H:%M UTC"
    return until.strftime(fmt)


def seconds_until(until: datetime) -> float:
    return max(0.0, (until - datetime.now(UTC)).total_seconds())
