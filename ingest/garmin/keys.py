"""Garmin Personal API keys and their access tokens on disk, readable by the owner only.

The file is `$CROSSTRAIN_GARMIN_KEYS`, else `$XDG_DATA_HOME/crosstrain/garmin_keys.json` (beside the
default database), mode 0600 in a 0700 directory, rewritten atomically (temp file + rename) so a
sync killed mid-write never leaves half a file. Entries are keyed by a random link id that the
database's `garmin_links` table ties to an athlete (so renames and merges keep the link). Keys and
tokens never go to stdout, stderr or a log; `repr` of an entry hides them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from ingest.secret_file import SecretFile, default_path


class KeyEntry(TypedDict):
    """One athlete's key, its current access token, and what we know of their lifetimes."""

    api_key: str
    access_token: str
    token_expires_at: int  # epoch seconds (the token's JWT `exp`)
    key_expires_on: str | None  # YYYY-MM-DD, from the lifetime the user chose; None when not told
    athlete: str  # the athlete's name when connected (for messages only)


def default_keys_path() -> Path:
    return default_path("CROSSTRAIN_GARMIN_KEYS", "garmin_keys.json")


class KeyStore(SecretFile):
    """Load and save the keys file."""

    holds = "Garmin keys file"
    remedy = "delete it and run `crosstrain garmin connect` again for each athlete"

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path or default_keys_path())

    def problem(self, key: str, entry: Any) -> str | None:
        if not isinstance(entry, dict):
            return "not an object"
        for name, kind in (("api_key", str), ("access_token", str), ("token_expires_at", int)):
            value = entry.get(name)
            if not isinstance(value, kind) or isinstance(value, bool):
                return f"no valid {name}"
        return None

    def get(self, link_id: str) -> KeyEntry | None:
        return self.load().get(link_id)

    def put(self, link_id: str, entry: KeyEntry) -> None:
        data = self.load()
        data[link_id] = entry
        self.write(data)
