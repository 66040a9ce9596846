"""Strava: connect an athlete (OAuth) and sync their activities into the store.

The library entry points the CLI and the dashboard share:
- connect: `new_state()`, `authorize_url(app, redirect_uri, state)` (redirect_uri on 127.0.0.1 or
  localhost, any port: Strava checks only the callback domain), then either `RedirectCatcher` (a
  local one-shot server, as the CLI does) or the caller's own route checks `state` and calls
  `exchange_code(db_path, code, scope=...)`;
- `sync(db_path, settings, athlete=None, full=False, wait=True, progress=callback)`.

Importing this package imports stravalib (about a second); the CLI does so only inside its commands.
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
