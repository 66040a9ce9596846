"""What every command gets from the `crosstrain` group: the database and the settings file.

Command modules import this, never `crosstrain.cli`, so the arrows go one way: cli -> commands -> env.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import CrosstrainError
from ingest.settings import load_settings


def file_state(db: Path) -> tuple:
    """Size and modification time of the database file and its write-ahead log: a commit changes it."""
    found = []
    for path in (db, db.with_name(db.name + ".wal")):
        try:
            st = path.stat()
            found.append((st.st_size, st.st_mtime_ns))
        except OSError:
            found.append(None)
    return tuple(found)


@dataclass
class Env:
    """What every command gets: where the database and the settings file are."""

    db: Path
    config: Path
    # the database file as the command found it (`store_values` compares)
    found: tuple = field(init=False, default=())

    def __post_init__(self) -> None:
        self.found = file_state(self.db)

    def settings(self) -> dict[str, Any]:
        return load_settings(self.config)

    def values_stored(self) -> None:
        """The command stored the session values itself, after its last write (`crosstrain import`, in
        its own connection): `store_values` has nothing left to do unless the file changes again."""
        self.found = file_state(self.db)

    def store_values(self, db: Path | None = None) -> None:
        """After a command that wrote the database `db` (default: --db, when its file changed): store
        the session values the write made stale (queries/session_values.py). Any command that writes
        activities ends here (crosstrain/cli.py; `demo` for its own database); a failure only leaves
        them stale, and the reports compute them."""
        if db is None and file_state(self.db) == self.found:
            return
        try:
            settings = self.settings()
        except CrosstrainError:
            return  # the command said so already; the values stay stale
        from queries.session_values import refresh_file  # only after a write: not at start-up

        refresh_file(db or self.db, settings)
