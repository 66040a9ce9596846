"""The user's settings file (TOML): category overrides, default intensities, warning thresholds, a
plan's own codes and limits (`[plan_keywords]`, read by ingest/plans/words.keyword_map; `[plan]`, by
ingest/plans/importer.window).

`$CROSSTRAIN_CONFIG`, else `$XDG_CONFIG_HOME/crosstrain/config.toml`. A missing file means defaults.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from ingest.errors import ConfigError


def config_path() -> Path:
    """Where the settings file is looked for."""
    if env := os.environ.get("CROSSTRAIN_CONFIG"):
        return Path(env).expanduser()
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "crosstrain" / "config.toml"


def default_db_path() -> Path:
    """`$CROSSTRAIN_DB`, else `$XDG_DATA_HOME/crosstrain/crosstrain.duckdb`: here, not in
    database/db.py, so that a command finds its database without importing DuckDB (`--help`, and an
    import whose decode workers start before DuckDB is loaded)."""
    if env := os.environ.get("CROSSTRAIN_DB"):
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "crosstrain" / "crosstrain.duckdb"


def load_settings(path: Path | None = None) -> dict[str, Any]:
    """The parsed settings file, or {} when there is none."""
    path = path or config_path()
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: cannot read settings: {exc}") from exc
