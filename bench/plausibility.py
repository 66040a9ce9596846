"""Benchmark: what the plausibility rules cost the one write path, on 1,000,000 staged activities.

Stages N plausible activities (every rule passes, the common case) in a fresh database, then times,
best of `--repeat` runs each: `plausibility.reject` alone, `store.write_activities`
(which calls it), and as the baseline a bare copy of the staged table (`create table as select *`).

    .venv/bin/python bench/plausibility.py [--rows N] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # ahead of bench/, whose ingest.py would shadow the package

from ingest import categories  # noqa: E402
from ingest.database import db, plausibility, store  # noqa: E402

STAGE = """
create or replace temp table src as
select 1 as athlete_id, 'generic' as source, i::varchar as source_id, null::bigint as strava_id,
       timestamp '2016-01-01' + to_minutes(i * 3) as start_at,
       timestamp '2016-01-01 01:00' + to_minutes(i * 3) as start_local, true as has_time,
       ['Run', 'Ride', 'Yoga', 'WeightTraining', 'Workout'][1 + i % 5] as sport_type, 'Session ' || i as name,
       null::varchar as description, (1200 + i % 5400)::double as moving_s,
       (1300 + i % 5400)::double as elapsed_s, (1200 + i % 5400) * (2 + i % 3) as distance_m,
       (i % 300)::double as elevation_gain_m, case when i % 3 = 1 then 120 + i % 50 end::double as avg_hr,
       case when i % 3 = 1 then 160 + i % 30 end::double as max_hr,
       case when i % 3 = 0 then 1 + i % 10 end::double as rpe, null::double as relative_effort,
       null::json as raw
from range(?) t(i)
"""


def best(con: duckdb.DuckDBPyConnection, repeat: int, step) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        con.execute("create or replace temp table st as select * from src")
        con.execute("begin transaction")
        start = time.perf_counter()
        out = step()
        times.append(time.perf_counter() - start)
        con.execute("rollback")
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "bench.duckdb"))
        db.migrate(con)
        con.execute("set TimeZone = 'UTC'")
        con.execute("insert into athletes (name) values ('Bench')")
        con.execute(STAGE, [args.rows])
        categories.register(con, {})
        copy_s, _ = best(con, args.repeat, lambda: con.execute("create table copied as select * from st"))
        reject_s, rejected = best(con, args.repeat, lambda: plausibility.reject(con, "st", None))
        write_s, _ = best(con, args.repeat, lambda: store.write_activities(con, "st", None, {}))
    n = args.rows
    print(f"{n:,} staged activities, {rejected} rejected; best of {args.repeat}")
    print(f"bare copy of the staged rows:          {copy_s:6.2f} s")
    print(f"plausibility.reject:                   {reject_s:6.2f} s  ({reject_s / copy_s:.2f}x the copy)")
    print(
        f"store.write_activities (incl. reject): {write_s:6.2f} s  (reject is {reject_s / write_s:.0%} of it)"
    )


if __name__ == "__main__":
    main()
