"""Benchmark: `plan check` and `plan suggest` for one athlete, and the coach overview's plan column for
every athlete, against baselines measured in the same run (`report` for the same athlete; the
overview's own queries.overview).

Data: bench/synth.py (1,000 athletes x 5 years, ~1.5 million activities) plus 8 planned weeks for every
athlete (generated in SQL into planned_sessions), and the stored checks the overview reads
(queries.plan.check of every 50th athlete, stored for it and the next 49). Targets on a 2-core
machine: plan check < 150 ms, plan suggest < 500 ms, the overview's plan column within the overview's
own target (300 ms p95).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import queries  # noqa: E402
from bench.synth import AS_OF, DATA, build_db  # noqa: E402
from bench.timing import measure  # noqa: E402
from ingest.database.db import connect  # noqa: E402
from ingest.plans.importer import store_check  # noqa: E402
from queries import plan, plan_done, plan_suggest  # noqa: E402

WEEKS = 8
CHECK_EVERY = 50
# Per athlete and planned day: a weekly pattern (Mon easy, Tue intervals, Wed tempo, Thu rest, Fri easy,
# Sat ride, Sun long run) growing 8% a week; every third athlete also plans a Thursday hip session.
PLAN = """
insert into planned_sessions (athlete_id, start_local, has_time, sport_type, category, name, moving_s,
                              distance_m, source, source_file)
with days as (
    select a.athlete_id, cast($as_of as date) + cast(d.n as integer) as day, d.n,
           power(1.08, floor((d.n - 1) / 7)) as growth
    from athletes a, (select cast(range as integer) as n from range(1, 7 * $weeks + 1)) d
),
sessions as (
    select *,
        case isodow(day)
            when 1 then 'Easy run' when 2 then 'Intervals 6 x 800 m' when 3 then 'Tempo run'
            when 5 then 'Easy run' when 6 then 'Ride' when 7 then 'Long run'
            when 4 then case when athlete_id % 3 = 0 then 'Hip strength' end
        end as name
    from days
)
select athlete_id, day, false,
       case when name = 'Ride' then 'Ride' when name = 'Hip strength' then 'Strength' else 'Run' end,
       case when name = 'Ride' then 'cross' when name = 'Hip strength' then 'strength' else 'run' end,
       name,
       60 * case name when 'Long run' then 90 when 'Ride' then 120 when 'Hip strength' then 30 else 45 end
          * case when name like '%run%' then growth else 1 end,
       case when name like '%run%' or name like 'Intervals%'
            then 1000 * case name when 'Long run' then 16 else 9 end * growth end,
       'bench', 'bench'
from sessions where name is not null
"""


def plan_db() -> Path:
    """The synthetic database with every athlete's 8-week plan and its stored check (built once)."""
    path = DATA / f"plan-1000x5y-{WEEKS}w.duckdb"
    if path.exists():
        return path
    building = path.with_suffix(".building")
    shutil.copy(build_db(), building)
    t0 = time.perf_counter()
    with connect(building) as con:
        con.execute(PLAN, {"as_of": AS_OF, "weeks": WEEKS})
        names = [r[0] for r in con.execute("select name from athletes order by name").fetchall()]
        # The overview reads one stored check per athlete; computing 1,000 checks would take minutes on a
        # busy machine, so every CHECK_EVERY-th athlete's check is computed and stored for the next ones
        # too (the column's read time depends on the rows, not on whose findings they hold).
        found = None
        for i, name in enumerate(names):
            [athlete_id] = queries.engine.athlete_ids(con, [name])
            if i % CHECK_EVERY == 0:
                found = plan.check(con, name, AS_OF, {})
            store_check(con, athlete_id, AS_OF, found)
        print(f"  stored {len(names)} plan checks in {time.perf_counter() - t0:.0f} s", flush=True)
        con.execute("checkpoint")
    building.rename(path)
    return path


def overview_column(con: object) -> dict[str, str]:
    """What the overview page adds for its plan column (dashboard/pages/overview.plan_column)."""
    return {name: plan_done.findings_text(c) for name, c in plan_done.stored_checks(con).items()}


def main() -> None:
    db = plan_db()
    athlete = "Synthetic athlete 0500"
    with connect(db, read_only=True) as con:
        n = con.execute("select count(*) from activities").fetchone()[0]
        planned = con.execute("select count(*) from planned_sessions").fetchone()[0]
        report = measure(lambda _: queries.report(con, athlete, AS_OF, {}), 15)
        check = measure(lambda _: plan.check(con, athlete, AS_OF, {}), 15)
        suggest = measure(lambda _: plan_suggest.suggest(con, athlete, None, AS_OF, {}), 7)
        steps = len(plan_suggest.suggest(con, athlete, None, AS_OF, {}).changes)
        first = AS_OF - timedelta(weeks=8) + timedelta(days=1)
        overview = measure(lambda _: queries.overview(con, AS_OF, first, {}), 7)
        column = measure(lambda _: overview_column(con), 15)
    load = os.getloadavg()[0]
    print(
        f"{n:,} activities and {planned:,} planned sessions, 1,000 athletes x {WEEKS} planned weeks, "
        f"as of {AS_OF} (load average {load:.1f})"
    )
    print(f"{'':44} {'median':>9} {'p95':>9} {'cpu':>9}  ratio")
    rows = (
        ("report (one athlete): baseline", report, None, report),
        ("plan check (one athlete, 56 days)", check, 0.150, report),
        (f"plan suggest (one athlete, {steps} changes)", suggest, 0.500, report),
        ("queries.overview (1,000 athletes): baseline", overview, None, overview),
        ("overview plan column (1,000 athletes)", column, 0.300, overview),
    )
    for label, timing, target, base in rows:
        median, p95, cpu = timing.median, timing.p95, timing.cpu_median
        goal = ""
        if target:
            measured = p95 if "column" in label else median
            goal = f"  target {'p95 ' if 'column' in label else ''}< {1000 * target:.0f} ms: "
            goal += "ok" if measured < target else "MISSED"
        print(
            f"{label:44} {1000 * median:7.1f} ms {1000 * p95:6.1f} ms {1000 * cpu:6.1f} ms "
            f"{median / base.median:5.2f}x{goal}"
        )


if __name__ == "__main__":
    main()
