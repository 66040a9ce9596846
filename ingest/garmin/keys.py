"""Garmin Personal API keys and their access tokens on disk, readable by the owner only.

The file is `$CROSSTRAIN_GARMIN_KEYS`, else `$XDG_DATA_HOME/crosstrain/garmin_keys.json` (beside the
default database), mode 0600 in a 0700 directory, rewritten atomically (temp file + rename) so a
sync killed mid-write never leaves half a file. Entries are keyed by a random link id that the
database's `garmin_links` table ties to an athlete (so renames and merges keep the link). Keys and
tokens never go to stdout, stderr or a log; `repr` of an entry hides them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TypedDict

from ingest.errors import CrosstrainError


class KeyEntry(TypedDict):
    """One athlete's key, its current access token, and what we know of their lifetimes."""

    api_key: str
    access_token: str
    token_expires_at: int  # epoch seconds (the token's JWT `exp`)
    key_expires_on: str | None  # YYYY-MM-DD, from the lifetime the user chose; None when not told
    athlete: str  # the athlete's name when connected (for messages only)


def default_keys_path() -> Path:
    if env := os.environ.get("CROSSTRAIN_GARMIN_KEYS"):
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "crosstrain" / "garmin_keys.json"


def _problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return "not an object"
    for name, kind in (("api_key", str), ("access_token", str), ("token_expires_at", int)):
        value = entry.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            return f"no valid {name}"
    return None


class KeyStore:
    """Load and save the keys file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_keys_path()

    def load(self) -> dict[str, KeyEntry]:
        if not self.path.exists():
            return {}
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise self._damaged(f"cannot read it as JSON: {type(exc).__name__}") from None
        if not isinstance(data, dict):
            raise self._damaged("not a JSON object")
        for key, entry in data.items():
            if problem := _problem(entry):
                raise self._damaged(f"entry '{str(key)[:20]}': {problem}")
        return data

    def _damaged(self, why: str) -> CrosstrainError:
        return CrosstrainError(
            f"{self.path}: the Garmin keys file is damaged ({why}); delete it and run "
            "`crosstrain garmin connect` again for each athlete"
        )

    def get(self, link_id: str) -> KeyEntry | None:
        return self.load().get(link_id)

    def put(self, link_id: str, entry: KeyEntry) -> None:
        data = self.load()
        data[link_id] = entry
        self._write(data)

    def remove(self, link_id: str) -> bool:
        data = self.load()
        if data.pop(link_id, None) is None:
            return False
        if data:
            self._write(data)
        else:
            self.path.unlink(missing_ok=True)
        return True

    def _write(self, data: dict[str, KeyEntry]) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
