"""Real training calendars from public repositories, read by `crosstrain plan import` and `plan check`.

Documentation, not a test: the calendars are other people's files, so they stay outside the project
(downloaded into /work/realdata/<owner+repo>/, not committed). The tests read calendars we wrote in the
same shapes (tests/fixtures/plans, tests/fixtures/README.md says which mirrors which). This script
imports each real calendar into a fresh database, prints the sessions by kind, the skipped and
rejected events and the plan check's findings, and says when a command printed a traceback. A calendar
that is missing is listed as such.

    .venv/bin/python bench/real_calendars.py [--data /work/realdata]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.database.db import connect  # noqa: E402

# raxdne/training's season plan writes sessions as its author's codes (its README's legend)
RAXDNE_CODES = {
    "RB": "easy run",
    "RR": "recovery run",
    "RC": "race run",
    "FB": "strength",
    "BB": "easy ride",
    "BR": "recovery ride",
    "BI": "intervals ride",
}

# (repository @ commit of the snapshot read, path in it, folder under --data, --as-of, [plan_keywords])
CALENDARS: list[tuple[str, str, str, str, dict[str, str]]] = [
    (
        "matthewbeckler/training_plan_to_ics @444b2abe",
        "training_plan.ics",
        "matthewbeckler+training_plan_to_ics",
        "2018-05-01",
        {},
    ),
    (
        "alexteal/runplan-calendar-inator @3487580a",
        "marathon.ics",
        "alexteal+runplan-calendar-inator",
        "2023-10-01",
        {},
    ),
    (
        "alexteal/runplan-calendar-inator @3487580a",
        "plan.ics",
        "alexteal+runplan-calendar-inator",
        "2023-09-01",
        {},
    ),
    (
        "alexteal/runplan-calendar-inator @3487580a",
        "running_plan.ics",
        "alexteal+runplan-calendar-inator",
        "2023-10-30",
        {},
    ),
    ("Armaan-Mangat/race-plan @1aeddb98", "plan.ics", "Armaan-Mangat+race-plan", "2025-07-01", {}),
    ("lennee/strava-mcp @1fb85755", "training_plan.ics", "lennee+strava-mcp", "2026-02-01", {}),
    ("duarteocarmo/tandarunner @70033650", "training_plan.ics", "duarteocarmo+tandarunner", "2026-03-01", {}),
    ("bendecoste/running-scheduler @ef6a6291", "plan.ics", "bendecoste+running-scheduler", "2019-01-01", {}),
    ("raxdne/training @42cb3dee", "demo/Season2021.ics", "raxdne+training", "2021-01-01", RAXDNE_CODES),
    ("raxdne/training @42cb3dee", "demo/TriathlonPlan.ics", "raxdne+training", "2022-03-01", {}),
    ("raxdne/training @42cb3dee", "demo/SimplePlan.ics", "raxdne+training", "2021-01-01", {}),
    (
        "schmiewliski-cycling/mytrainingapp-calendar @bebe7294",
        "training_plan.ics",
        "schmiewliski-cycling+mytrainingapp-calendar",
        "2026-02-01",
        {},
    ),
    ("mmichelli/training @7f3ecd52", "plan.ics", "mmichelli+training", "2026-05-01", {}),
    ("erichmahringer/training @77bca6aa", "plan.ics", "erichmahringer+training", "2025-10-15", {}),
]

SKIPPED = re.compile(r"(\d+) skipped \(([^)]*)\)")
REJECTED = re.compile(r"(\d+) rejected")


def crosstrain(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """One CLI call in its own process, with the settings and data folders inside `home`."""
    env = os.environ | {"XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    env.pop("CROSSTRAIN_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "crosstrain", "--db", str(home / "plan.duckdb"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
        check=False,
    )


def read_one(path: Path, as_of: str, keywords: dict[str, str]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        if keywords:
            config = home / "config" / "crosstrain" / "config.toml"
            config.parent.mkdir(parents=True)
            body = "".join(f'{k} = "{v}"\n' for k, v in keywords.items())
            config.write_text("[plan_keywords]\n" + body, encoding="utf-8")
        imported = crosstrain(["plan", "import", str(path), "--athlete", "Ann", "--as-of", as_of], home)
        out = imported.stdout + imported.stderr
        summary = next((line for line in out.splitlines() if "planned sessions" in line), "")
        kinds = "-"
        if (home / "plan.duckdb").exists():
            with connect(home / "plan.duckdb", read_only=True) as con:
                rows = con.execute(
                    "select category, count(*) from planned_sessions group by 1 order by 2 desc, 1"
                ).fetchall()
            kinds = ", ".join(f"{category} {n}" for category, n in rows) or "none"
        skipped = SKIPPED.search(summary)
        rejected = REJECTED.search(summary)
        day_limit = sum("max_sessions_per_day" in line for line in out.splitlines())
        checked = crosstrain(["plan", "check", "--athlete", "Ann", "--as-of", as_of, "--json"], home)
        if checked.returncode == 0:
            severities = Counter(f["severity"] for f in json.loads(checked.stdout)["findings"])
            findings = ", ".join(f"{n} {s}" for s, n in sorted(severities.items())) or "none"
        elif kinds in ("none", "-"):
            findings = "nothing stored, nothing to check"
        else:
            findings = (checked.stdout + checked.stderr).strip().splitlines()[-1]
        tracebacks = sum("Traceback" in p.stdout + p.stderr for p in (imported, checked))
        return {
            "kinds": kinds,
            "skipped": f"{skipped.group(1)} ({skipped.group(2)})" if skipped else "0",
            "rejected": (rejected.group(1) if rejected else "?")
            + (f" ({day_limit} days over the per-day limit)" if day_limit else ""),
            "check": findings,
            "traceback": "yes" if tracebacks else "no",
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/realdata"))
    args = parser.parse_args()
    print("| repository | file | sessions by kind | skipped | rejected | plan check findings | traceback |")
    print("|---|---|---|---|---|---|---|")
    failed = 0
    for repo, inner, folder, as_of, keywords in CALENDARS:
        path = args.data / folder / Path(inner).name
        if not path.exists():
            print(f"| {repo} | {inner} | (not downloaded: {path}) | | | | |")
            continue
        got = read_one(path, as_of, keywords)
        failed += got["traceback"] == "yes"
        cells = [repo, inner, got["kinds"], got["skipped"], got["rejected"], got["check"], got["traceback"]]
        print("| " + " | ".join(cells) + " |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
