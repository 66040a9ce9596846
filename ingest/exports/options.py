"""What the user said on the command line for an import, in a module without DuckDB: `crosstrain
import` starts decoding activity files before it loads DuckDB and the write path."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ImportOptions:
    """What the user said on the command line."""

    athlete: str | None = None
    format: str = "auto"
    timezone: str | None = None
    units: str | None = None  # 'metric' | 'imperial'; None: from the file's evidence
    date_order: str | None = None  # 'dmy' | 'mdy'; None: from the file's evidence
