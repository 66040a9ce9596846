"""Benchmark: `crosstrain garmin sync` of 300 activities against the local Personal API server.

Prints the requests used against the floor (one list request per date window plus one download per
new activity; the connect's key exchange apart), the sync's time, and the same files imported with
`crosstrain import` (the decoding both share) as the baseline; then a second sync (the floor: one list
request per window the look-back covers, nothing downloaded).

    .venv/bin/python bench/garmin_sync.py [--activities 300]

The files are FIT files written like a watch's (tests/garmin_helpers.generated_fits: 20-30 minute runs
with GPS and heart rate at 1 Hz, strength sessions with sets), one a day ending today.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=300)
    n = parser.parse_args().activities
    tmp = Path(tempfile.mkdtemp(prefix="bench-garmin-"))
    t = time.perf_counter()
    fits = generated_fits(n, day0(n - 1), seed=300)
    print(f"{n} FIT files written in {time.perf_counter() - t:.1f} s ({sum(map(len, fits)) / 2**20:.1f} MiB)")
    with FakeGarmin() as server:
        key = server.add_athlete()
        for fit in fits:
            add_fit(server, key, fit)
        env = dict(os.environ)
        env.update(
            GARMIN_API_URL=server.url,
            CROSSTRAIN_DB=str(tmp / "bench.duckdb"),
            XDG_DATA_HOME=str(tmp / "data"),
            CROSSTRAIN_GARMIN_KEY=key,
        )
        subprocess.run(
            [CROSSTRAIN, "garmin", "connect", "--athlete", "Bench"], env=env, check=True, capture_output=True
        )
        since = day0(n - 1).date()
        windows = math.ceil(((date.today() + timedelta(days=1)) - since).days / WINDOW_DAYS + 1e-9)
        server.seen.clear()
        print("first sync:")
        first = timed(env, "garmin", "sync", "--since", str(since))
        used = len(server.seen)
        floor = windows + n
        print(f"  requests {used} / floor {floor} ({windows} windows + {n} downloads) = {used / floor:.2f}")
        print(
            f"  {first:.1f} s, {n / first:.1f} activities/s; most in flight at once: {server.max_in_flight}"
        )
        server.seen.clear()
        print("second sync (nothing new):")
        second = timed(env, "garmin", "sync")
        again_floor = math.ceil((LOOKBACK_DAYS + 2) / WINDOW_DAYS)
        again = len(server.seen)
        print(f"  requests {again} / floor {again_floor} = {again / again_floor:.2f}; {second:.1f} s")

    folder = tmp / "files"
    folder.mkdir()
    for i, fit in enumerate(fits):
        (folder / f"{i:04d}.fit").write_bytes(fit)
    env["CROSSTRAIN_DB"] = str(tmp / "direct.duckdb")
    print("baseline, the same files with `crosstrain import`:")
    direct = timed(env, "import", str(folder), "--athlete", "Bench")
    print(f"  {direct:.1f} s; the sync takes {first / direct:.2f}x the import's time")


if __name__ == "__main__":
    main()
