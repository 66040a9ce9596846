"""Write Strava bulk-export activities.csv files for tests, with the real 99-column header."""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import FIXTURES


def header() -> list[str]:
    """The header of our Strava fixture (the real export's, duplicated names included)."""
    with (FIXTURES / "strava_activities.csv").open(encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def write_strava_csv(path: Path, activities: list[dict]) -> Path:
    """One row per dict: id, date ("Jan 5, 2024, 6:30:00 AM", UTC), name, type, seconds (elapsed and
    moving), km, optional hr (average) and rpe. Other columns stay empty, as in a real export."""
    names = header()
    at = {}
    for i, name in enumerate(names):
        at.setdefault(name, []).append(i)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(names)
        for a in activities:
            row = [""] * len(names)
            row[at["Activity ID"][0]] = str(a["id"])
            row[at["Activity Date"][0]] = a["date"]
            row[at["Activity Name"][0]] = a["name"]
            row[at["Activity Type"][0]] = a["type"]
            row[at["Elapsed Time"][0]] = str(a["seconds"])
            row[at["Elapsed Time"][1]] = f"{a['seconds']:.1f}"
            row[at["Moving Time"][0]] = f"{a['seconds']:.1f}"
            row[at["Distance"][0]] = f"{a.get('km', 0):.2f}"
            row[at["Distance"][1]] = f"{a.get('km', 0) * 1000:.1f}"
            if a.get("hr") is not None:
                row[at["Average Heart Rate"][0]] = f"{a['hr']:.1f}"
            if a.get("rpe") is not None:
                row[at["Perceived Exertion"][0]] = f"{a['rpe']:.1f}"
            out.writerow(row)
    return path
