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
        if not self.path.exists():
            return {}
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CrosstrainError(
                f"{self.path}: cannot read the Strava tokens ({type(exc).__name__}); "
                "run `crosstrain strava connect` again"
            ) from None
        if not isinstance(data, dict):
            raise CrosstrainError(f"{self.path}: not a tokens file; run `crosstrain strava connect` again")
        return data

    def get(self, strava_id: int) -> Tokens | None:
        return self.load().get(str(strava_id))

    def put(self, strava_id: int, tokens: Tokens) -> None:
        """Store (or replace) one athlete's tokens."""
        data = self.load()
        data[str(strava_id)] = tokens
        self._write(data)

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
