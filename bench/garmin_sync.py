"""Benchmark: `crosstrain garmin sync` of 300 activities against the local Personal API server.

Prints the requests used against the floor (one list request per date window plus one download per
new activity; the connect's key exchange apart), the sync's time, and the same files imported with
`crosstrain import` (the decoding both share) as the baseline; then a second sync (the floor: one list
request per window the look-back covers, nothing downloaded).

    .venv/bin/python bench/garmin_sync.py [--activities 300] [--athletes 2]

Then it compares `activities list --json` and `report --json` of the synced database with the
direct import's, per athlete.

The files are FIT files written like a watch's (tests/garmin_helpers.generated_fits: 20-30 minute runs
with GPS and heart rate at 1 Hz, strength sessions with sets), one a day ending today.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# bench/ingest.py would hide the ingest package: the project's root first, then the tests' helpers
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from garmin_helpers import add_fit, day0, generated_fits  # noqa: E402
from garmin_server import FakeGarmin  # noqa: E402

from ingest.garmin.client import WINDOW_DAYS  # noqa: E402
from ingest.garmin.sync import LOOKBACK_DAYS  # noqa: E402

CROSSTRAIN = str(Path(sys.executable).with_name("crosstrain"))


def timed(env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([CROSSTRAIN, *args], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"crosstrain {' '.join(args)} failed: {done.stderr}")
    print("  " + done.stdout.strip().replace("\n", "\n  "))
    return time.perf_counter() - start


def compared(env: dict[str, str], synced: Path, direct: Path, athlete: str) -> bool:
    """Whether `activities list --json` (less ids and names: the sync takes Garmin's title) and
    `report --json` read the same from the synced and the directly imported database."""

    def out(db: Path, *args: str) -> Any:
        done = subprocess.run(
            [CROSSTRAIN, *args], env={**env, "CROSSTRAIN_DB": str(db)}, capture_output=True, text=True
        )
        return json.loads(done.stdout)

    def listing(db: Path) -> list[dict]:
        rows = out(db, "activities", "list", "--athlete", athlete, "--json")
        for r in rows:
            r.pop("id"), r.pop("name")
            r["twin_of"] = r["twin_of"] is not None
        return sorted(rows, key=lambda r: (r["start_local"], r["type"]))

    report = ("report", "--athlete", athlete, "--json")
    return listing(synced) == listing(direct) and out(synced, *report) == out(direct, *report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=300, help="per athlete")
    parser.add_argument("--athletes", type=int, default=2)
    args = parser.parse_args()
    n, names = args.activities, [f"Bench {i + 1}" for i in range(args.athletes)]
    tmp = Path(tempfile.mkdtemp(prefix="bench-garmin-"))
    t = time.perf_counter()
    fits = {name: generated_fits(n, day0(n - 1), seed=300 + i) for i, name in enumerate(names)}
    size = sum(len(f) for files in fits.values() for f in files) / 2**20
    took = time.perf_counter() - t
    print(f"{n} FIT files for each of {len(names)} athletes written in {took:.1f} s ({size:.1f} MiB)")
    synced = tmp / "bench.duckdb"
    with FakeGarmin() as server:
        env = dict(os.environ)
        env.update(GARMIN_API_URL=server.url, CROSSTRAIN_DB=str(synced), XDG_DATA_HOME=str(tmp / "data"))
        for name in names:
            key = server.add_athlete()
            for fit in fits[name]:
                add_fit(server, key, fit)
            subprocess.run(
                [CROSSTRAIN, "garmin", "connect", "--athlete", name],
                env={**env, "CROSSTRAIN_GARMIN_KEY": key},
                check=True,
                capture_output=True,
            )
        since = day0(n - 1).date()
        windows = math.ceil(((date.today() + timedelta(days=1)) - since).days / WINDOW_DAYS + 1e-9)
        server.seen.clear()
        print("first sync:")
        first = timed(env, "garmin", "sync", "--since", str(since))
        used = len(server.seen)
        floor = len(names) * (windows + n)
        print(
            f"  requests {used} / floor {floor} ({len(names)} x ({windows} windows + {n} downloads)) "
            f"= {used / floor:.2f}"
        )
        total = n * len(names)
        rate = total / first
        print(f"  {first:.1f} s, {rate:.1f} activities/s; most in flight at once: {server.max_in_flight}")
        server.seen.clear()
        print("second sync (nothing new):")
        second = timed(env, "garmin", "sync")
        again_floor = len(names) * math.ceil((LOOKBACK_DAYS + 2) / WINDOW_DAYS)
        again = len(server.seen)
        print(f"  requests {again} / floor {again_floor} = {again / again_floor:.2f}; {second:.1f} s")

    direct_db = tmp / "direct.duckdb"
    print("baseline, the same files with `crosstrain import`:")
    direct = 0.0
    for name in names:
        folder = tmp / name
        folder.mkdir()
        for i, fit in enumerate(fits[name]):
            (folder / f"{i:04d}.fit").write_bytes(fit)
        direct += timed({**env, "CROSSTRAIN_DB": str(direct_db)}, "import", str(folder), "--athlete", name)
    print(f"  {direct:.1f} s; the sync takes {first / direct:.2f}x the import's time")
    for name in names:
        same = compared(env, synced, direct_db, name)
        print(f"  {name}: activities list and report {'the same as' if same else 'DIFFER from'} the import's")


if __name__ == "__main__":
    main()
