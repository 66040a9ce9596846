"""The thresholds in force, for the charts' reference lines and the hints beside the numbers.

The warnings come from these same numbers, so a user who changes a threshold sees the chart move with
the warning. The report dict carries them under `thresholds` (queries/ puts them there); for a report
without them they are derived from the settings the dashboard started with, through queries/params.py.
"""

from __future__ import annotations

from typing import Any

from queries.params import resolve

# What the charts need, and where each comes from among the settings' [thresholds] keys.
FROM_SETTINGS = {
    "support_share_target": "support_share_low",
    "monotony_warn": "monotony_warn",
    "monotony_high": "monotony_high",
    "acwr_low": "acwr_low",
    "acwr_high": "acwr_high",
}


def in_force(report: dict[str, Any] | None, settings: dict[str, Any]) -> dict[str, float]:
    """`support_share_target`, `monotony_warn`, `monotony_high`, `acwr_low`, `acwr_high`: the
    report's own `thresholds` where it has them, else the settings' (defaults overlaid by the file)."""
    given = (report or {}).get("thresholds") or {}
    missing = [k for k in FROM_SETTINGS if given.get(k) is None]
    derived = resolve(settings).thresholds if missing else {}
    return {
        k: float(given[k]) if k not in missing else float(derived[FROM_SETTINGS[k]]) for k in FROM_SETTINGS
    }
