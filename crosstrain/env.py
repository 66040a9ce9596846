"""What every command gets from the `crosstrain` group: the database and the settings file.

Command modules import this, never `crosstrain.cli`, so the arrows go one way: cli -> commands -> env.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.settings import load_settings


@dataclass
class Env:
    """What every command gets: where the database and the settings file are."""

    db: Path
    config: Path

    def settings(self) -> dict[str, Any]:
        return load_settings(self.config)
