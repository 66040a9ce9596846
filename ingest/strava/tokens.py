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


class Tokens(TypedDict):
    """One athlete's tokens as Strava's /oauth/token returns them, plus the name we store them under."""

    access_token: str
    refresh_token: str
    expires_at: int
    athlete: str


def _entry_problem(key: Any, entry: Any) -> str | None:
    """What is wrong with one athlete's entry, or None."""
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


def default_tokens_path() -> Path:
    if env := os.environ.get("CROSSTRAIN_STRAVA_TOKENS"):
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "crosstrain" / "strava_tokens.json"


class TokenStore:
    """Load and save the tokens file; keys are Strava athlete ids as strings."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_tokens_path()

    def load(self) -> dict[str, Tokens]:
        """Every athlete's tokens; a damaged file (hand-edited, truncated) is one CrosstrainError
        naming the file and how to reconnect."""
        if not self.path.exists():
            return {}
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise self._damaged(f"cannot read it as JSON: {type(exc).__name__}") from None
        if not isinstance(data, dict):
            raise self._damaged("not a JSON object of athletes")
        for key, entry in data.items():
            if problem := _entry_problem(key, entry):
                raise self._damaged(f"entry '{key[:20]}': {problem}")
        return data

    def _damaged(self, why: str) -> CrosstrainError:
        return CrosstrainError(
            f"{self.path}: the Strava tokens file is damaged ({why}); run `crosstrain strava connect` "
            "again for each athlete (it keeps a copy of the damaged file and starts a new one)"
        )

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
        self._write(data)

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
        return {k: v for k, v in data.items() if _entry_problem(k, v) is None}

    def remove(self, strava_id: int) -> bool:
        """Forget one athlete's tokens (the file goes when it holds no other); whether there were any."""
        data = self.load()
        if data.pop(str(strava_id), None) is None:
            return False
        if data:
            self._write(data)
        else:
            self.path.unlink(missing_ok=True)
        return True

    def _write(self, data: dict[str, Tokens]) -> None:
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
