"""Per-athlete secrets (Strava's OAuth tokens, Garmin's Personal API keys) in a JSON file that only its
owner reads: mode 0600 in a 0700 directory, rewritten atomically (temp file + rename) so a sync killed
mid-write never leaves half a file, and every entry checked when read, so a hand-edited or cut file is
one line naming it and the way back. The secrets never go to stdout, stderr or a log."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ingest.errors import CrosstrainError


def default_path(variable: str, name: str) -> Path:
    """`$variable`, else `$XDG_DATA_HOME/crosstrain/<name>` (beside the default database)."""
    if env := os.environ.get(variable):
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "crosstrain" / name


class SecretFile:
    """The file's entries by key. Subclasses say what the file holds, how a damaged one is mended and
    what makes an entry whole."""

    holds = "secrets file"  # "the <holds> is damaged"
    shape = "a JSON object"  # what the whole file must be
    remedy = "delete it and connect again"  # what to do about a damaged file

    def __init__(self, path: Path) -> None:
        self.path = path

    def problem(self, key: str, entry: Any) -> str | None:
        """What is wrong with one entry, or None."""
        raise NotImplementedError

    def load(self) -> dict[str, Any]:
        """Every entry; a damaged file is one CrosstrainError naming the file and the remedy."""
        if not self.path.exists():
            return {}
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise self.damaged(f"cannot read it as JSON: {type(exc).__name__}") from None
        if not isinstance(data, dict):
            raise self.damaged(f"not {self.shape}")
        for key, entry in data.items():
            if problem := self.problem(key, entry):
                raise self.damaged(f"entry '{str(key)[:20]}': {problem}")
        return data

    def damaged(self, why: str) -> CrosstrainError:
        return CrosstrainError(f"{self.path}: the {self.holds} is damaged ({why}); {self.remedy}")

    def remove(self, key: str) -> bool:
        """Forget one entry (the file goes when it holds no other); whether there was one."""
        data = self.load()
        if data.pop(key, None) is None:
            return False
        if data:
            self.write(data)
        else:
            self.path.unlink(missing_ok=True)
        return True

    def write(self, data: dict[str, Any]) -> None:
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
