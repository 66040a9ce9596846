"""Strava: connect an athlete (OAuth) and sync their activities into the store.

The library entry points the CLI and the dashboard share: `authorize_url`, `new_state`,
`RedirectCatcher`, `exchange_code` (connect) and `sync` (with a progress callback).
"""

from ingest.strava.client import StravaApp, StravaError
from ingest.strava.oauth import Connected, RedirectCatcher, authorize_url, exchange_code, new_state
from ingest.strava.ratelimit import RateLimitStop
from ingest.strava.sync import AthleteResult, Progress, SyncResult, sync

__all__ = [
    "AthleteResult",
    "Connected",
    "Progress",
    "RateLimitStop",
    "RedirectCatcher",
    "StravaApp",
    "StravaError",
    "SyncResult",
    "authorize_url",
    "exchange_code",
    "new_state",
    "sync",
]
