"""Strava OAuth tokens on disk, per Strava athlete id, readable by the owner only.

The file is `$CROSSTRAIN_STRAVA_TOKENS`, else `$XDG_DATA_HOME/crosstrain/strava_tokens.json` (beside
the default database), mode 0600 (a directory it creates gets 0700). It is rewritten atomically
(temp file + rename) so a sync killed mid-write never leaves a half file, and refreshed tokens
(Strava rotates refresh tokens) are saved the moment they arrive. Tokens never go to stdout, stderr or a log.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TypedDict

from ingest.errors import CrosstrainError
from ingest.secret_file import SecretFile, default_path


class Tokens(TypedDict):
    """One athlete's tokens as Strava's /oauth/token returns them, plus the name we store them under."""

    access_token: str
    refresh_token: str
    expires_at: int
    athlete: str


def default_tokens_path() -> Path:
    return default_path("CROSSTRAIN_STRAVA_TOKENS", "strava_tokens.json")


class TokenStore(SecretFile):
    """Load and save the tokens file; keys are Strava athlete ids as strings."""

    holds = "Strava tokens file"
    shape = "a JSON object of athletes"
    remedy = (
        "run `crosstrain strava connect` again for each athlete (it keeps a copy of the damaged file and "
        "starts a new one)"
    )

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path or default_tokens_path())

    def problem(self, key: str, entry: Any) -> str | None:
        if not str(key).isdigit():
            return "the key is not a Strava athlete id"
        if not isinstance(entry, dict):
            return "not an object"
        for name, kind in (("access_token", str), ("refresh_token", str), ("expires_at", int)):
            value = entry.get(name)
            if not isinstance(value, kind) or isinstance(value, bool):
                return f"no valid {name}"
        if not isinstance(entry.get("athlete", ""), str):
            return "the athlete name is not text"
        return None

    def get(self, strava_id: int) -> Tokens | None:
        return self.load().get(str(strava_id))

    def put(self, strava_id: int, tokens: Tokens) -> None:
        """Store (or replace) one athlete's tokens; a damaged file is kept aside as `<name>.damaged`
        and a new file started, keeping the entries that were still whole."""
        try:
            data = self.load()
        except CrosstrainError:
            data = self._salvage()
        data[str(strava_id)] = tokens
        self.write(data)

    def _salvage(self) -> dict[str, Tokens]:
        """The whole entries of a damaged file, after copying the file aside (mode 0600)."""
        try:
            raw = self.path.read_bytes()
        except OSError:
            return {}
        aside = self.path.with_name(self.path.name + ".damaged")
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
        try:
            data = json.loads(raw)
        except ValueError:
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if self.problem(k, v) is None}

    def remove(self, strava_id: int | str) -> bool:  # type: ignore[override]
        """Forget one athlete's tokens (the file goes when it holds no other); whether there were any."""
        return super().remove(str(strava_id))
