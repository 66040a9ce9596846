"""Garmin Connect through Garmin's Personal API: a key the athlete makes, exchanged for a token; sync
by date windows, each activity's original file through the activity-files importer.

Entry points the CLI and the dashboard share: `connect(db_path, api_key, athlete, key_days=None)`,
`disconnect(db_path, athlete)`, `sync(db_path, settings, athlete=None, full=False, since=None,
progress=callback)`. `GARMIN_API_URL` changes the host (tests point it at tests/garmin_server.py).
"""

from ingest.garmin.client import KEY_PAGE, GarminError, KeyRefused
from ingest.garmin.sync import AthleteResult, Connected, Progress, SyncResult, connect, disconnect, sync

__all__ = [
    "KEY_PAGE",
    "AthleteResult",
    "Connected",
    "GarminError",
    "KeyRefused",
    "Progress",
    "SyncResult",
    "connect",
    "disconnect",
    "sync",
]
