"""Benchmark: `crosstrain strava sync` of 10,000 activities against the local Strava-compatible server.

Prints requests used against the floor (ceil(N/200) + 1 for a first sync, 1 for a sync with nothing
new), the sync's time and activities per second against a baseline measured in the same run (the same
pages fetched with plain `requests` and nothing stored), and the sync process's peak memory against
the baseline of the same command doing no work (`crosstrain --help`).

    .venv/bin/python bench/strava_sync.py [--activities 10000]
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from strava_server import CLIENT_ID, CLIENT_SECRET, FakeStrava  # noqa: E402

CROSSTRAIN = str(Path(sys.executable).with_name("crosstrain"))


def run_measured(env: dict[str, str], *args: str) -> tuple[float, float]:
    """Run `crosstrain ARGS`; returns (seconds, the child's own peak RSS in MiB from os.wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [CROSSTRAIN, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"crosstrain {' '.join(args)} failed")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=10_000)
    n = parser.parse_args().activities
    tmp = Path(tempfile.mkdtemp(prefix="bench-strava-"))
    with FakeStrava(limits=(100_000, 1_000_000), read_limits=(100_000, 1_000_000)) as server:
        code = server.add_athlete(1001, "Bench", "Runner", activities=n)
        env = dict(os.environ)
        env.update(
            STRAVA_CLIENT_ID=str(CLIENT_ID),
            STRAVA_CLIENT_SECRET=CLIENT_SECRET,
            STRAVA_API_URL=server.url,
            CROSSTRAIN_DB=str(tmp / "bench.duckdb"),
            XDG_DATA_HOME=str(tmp / "data"),
        )
        subprocess.run(
            [CROSSTRAIN, "strava", "connect", "--code", code], env=env, check=True, capture_output=True
        )
        token = server.access and next(iter(server.access))

        # baseline: the same pages with plain requests, nothing parsed into a database
        start = time.perf_counter()
        with requests.Session() as http:
            page, fetched = 1, 0
            while True:
                got = http.get(
                    f"{server.url}/api/v3/athlete/activities",
                    params={"after": 0, "page": page, "per_page": 200},
                    headers={"Authorization": f"Bearer {token}"},
                ).json()
                fetched += len(got)
                if len(got) < 200:
                    break
                page += 1
        http_s = time.perf_counter() - start
        assert fetched == n

        _, idle_mib = run_measured(env, "--help")
        server.reset_counts()
        first_s, first_mib = run_measured(env, "strava", "sync")
        first_requests = len(server.api_requests())
        server.reset_counts()
        second_s, _ = run_measured(env, "strava", "sync")
        second_requests = len(server.api_requests())

    floor_first, floor_second = math.ceil(n / 200) + 1, 1
    print(f"Strava sync of {n:,} activities against the local server ({server.url})")
    for label, used, floor in (
        ("first", first_requests, floor_first),
        ("second", second_requests, floor_second),
    ):
        print(f"  requests, {label} sync: {used} / floor {floor} = {used / floor:.2f}")
    print(f"  first sync:  {first_s:.2f} s, {n / first_s:,.0f} activities/s")
    print(f"  baseline:    {http_s:.2f} s, {n / http_s:,.0f} activities/s (same pages, plain HTTP, no DB)")
    print(f"  ratio:       {first_s / http_s:.1f}x the baseline's time")
    print(f"  second sync: {second_s:.2f} s (process start-up included)")
    print(f"  peak memory: {first_mib:.0f} MiB (sync process); `crosstrain --help` {idle_mib:.0f} MiB")
    print(f"  ratio:       {first_mib / idle_mib:.2f}x")


if __name__ == "__main__":
    main()
