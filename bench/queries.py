"""Benchmark: `compare` over every athlete and `report` for one, against the floor measured in the same
run (one DuckDB aggregate scan over the activities table).

Data: bench/synth.py (1,000 athletes x 5 years, ~1.5 million activities; built once, cached).
Targets on a 2-core machine: report < 100 ms, compare < 3 s.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import queries  # noqa: E402
from bench.synth import AS_OF, build_db  # noqa: E402
from bench.timing import measure  # noqa: E402
from ingest.database.db import connect  # noqa: E402

FLOOR_SQL = """select athlete_id, count(*), sum(moving_s), sum(distance_m), max(start_local)
               from activities group by athlete_id"""


def main() -> None:
    db = build_db()
    athlete = "Synthetic athlete 0500"
    with connect(db, read_only=True) as con:
        n = con.execute("select count(*) from activities").fetchone()[0]
        floor = measure(lambda _: con.execute(FLOOR_SQL).fetchall(), 7)
        compare = measure(lambda _: queries.compare(con, AS_OF, {}), 5)
        report = measure(lambda _: queries.report(con, athlete, AS_OF, {}), 15)
        year = measure(
            lambda _: queries.daily_metrics(con, athlete, AS_OF - timedelta(days=364), AS_OF, {}), 15
        )
        weekly = measure(
            lambda _: queries.weekly_balance(
                con, [athlete, "Synthetic athlete 0501"], AS_OF - timedelta(days=364), AS_OF, {}
            ),
            15,
        )
    load = os.getloadavg()[0]
    print(f"{n:,} activities, 1,000 athletes, as of {AS_OF}  ({db.name}; load average {load:.1f})")
    print(f"{'':46} {'wall':>8}    {'ratio':>6}  {'cpu':>8}")
    print(
        f"{'floor: one aggregate scan of activities':46} {1000 * floor.median:8.1f} ms {1:6.1f}x "
        f"{1000 * floor.cpu_median:8.1f} ms"
    )
    for label, timing, target in (
        ("compare (all athletes)", compare, 3.0),
        ("report (one athlete)", report, 0.1),
        ("daily_metrics (one athlete, 365 days)", year, None),
        ("weekly_balance (two athletes, 53 weeks)", weekly, None),
    ):
        t, cpu = timing.median, timing.cpu_median
        goal = f"  target < {1000 * target:.0f} ms: {'ok' if t < target else 'MISSED'}" if target else ""
        print(f"{label:46} {1000 * t:8.1f} ms {t / floor.median:6.1f}x {1000 * cpu:8.1f} ms{goal}")


if __name__ == "__main__":
    main()
