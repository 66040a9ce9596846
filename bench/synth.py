"""Synthetic benchmark data: `build_db(path, athletes=1000, years=5)` -> a migrated crosstrain database.

About 0.82 activities per athlete-day (1,000 athletes x 5 years ~ 1.5 million), generated in one
DuckDB SQL statement from deterministic hashes, so every build is identical. Athletes differ in how
much support work they do (some never), so every warning fires somewhere. Rows go straight into
`activities` with their category set (the bench measures reading, not the write path); then each
session's values are stored (queries/session_values.py), as every import ends.

Reused by the dashboard bench: `from bench.synth import build_db, AS_OF`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.database.db import connect  # noqa: E402
from queries.session_values import refresh  # noqa: E402

DATA = Path(__file__).resolve().parent / ".data"
AS_OF = date(2026, 11, 22)  # the last day of generated data

GENERATE = """
insert into athletes (name, timezone)
select printf('Synthetic athlete %04d', i), 'Europe/Berlin'
from range(1, $athletes + 1) t(i);

insert into activities (athlete_id, source, source_id, start_at, start_local, sport_type, category, name,
                        moving_s, elapsed_s, distance_m, avg_hr, max_hr, rpe, activity_id)
with days as (
    select a.athlete_id, a.i, cast($end as date) - cast(d.n as integer) as day,
           -- per-athlete profile: how often they do support work (0 = never)
           (hash(a.i * 7919) % 100) / 100.0 as support_rate,
           (hash(a.i * 104729 + d.n) % 1000000) / 1000000.0 as u,
           (hash(a.i * 15485863 + d.n * 31) % 1000000) / 1000000.0 as v,
           (hash(a.i * 32452843 + d.n * 17) % 1000000) / 1000000.0 as w
    from (select athlete_id, cast(athlete_id as bigint) as i from athletes) a,
         (select cast(range as bigint) as n from range(0, $days)) d
),
typed as (
    select *,
        case
            when u < 0.55 then 'Run'
            when u < 0.55 + 0.22 * support_rate then
                case when v < 0.5 then 'WeightTraining' when v < 0.8 then 'Pilates' else 'Yoga' end
            when u < 0.82 then case when v < 0.5 then 'Ride' else 'Swim' end
        end as sport_type
    from days
)
select
    athlete_id, 'bench', printf('%d-%s', athlete_id, day), start_local - interval 1 hour, start_local,
    sport_type,
    case sport_type when 'Run' then 'run' when 'WeightTraining' then 'strength' when 'Pilates' then 'pilates'
         when 'Yoga' then 'mobility' else 'cross' end,
    case when sport_type = 'Run' and v < 0.1 then 'Intervals 6x800' when sport_type = 'Run' then 'Easy run'
         else sport_type end,
    minutes * 60, minutes * 66,
    case when sport_type = 'Run' then minutes / (4.5 + 2 * w) * 1000
         when sport_type = 'Ride' then minutes * 450 end,
    case when v < 0.5 then 120 + 50 * w end,
    case when v < 0.5 then 185 end,
    case when w > 0.7 then 2 + round(7 * v) end,
    row_number() over ()
from (
    select *, day + interval 6 hour + cast(floor(w * 14) as integer) * interval 1 hour as start_local,
           25 + 70 * w as minutes
    from typed where sport_type is not null
) s;
"""


def build_db(path: Path | str | None = None, athletes: int = 1000, years: int = 5) -> Path:
    """The benchmark database (built once, then cached under bench/.data/; a cached file made before a
    later migration is migrated when found)."""
    path = Path(path) if path else DATA / f"synth-{athletes}x{years}y.duckdb"
    if path.exists():
        with connect(path) as con:
            refresh(con, {})  # a file made before the stored session values: they are made once
            return path
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    with connect(building) as con:
        con.execute("begin transaction")
        for statement in GENERATE.split(";"):
            if statement.strip():
                params = {"athletes": athletes, "days": years * 365, "end": AS_OF}
                used = {k: v for k, v in params.items() if f"${k}" in statement}
                con.execute(statement, used)
        con.execute("commit")
        refresh(con, {})  # each session's values, stored as an import stores them
        con.execute("checkpoint")
    building.rename(path)
    return path


def build_db_of(tree: Path, athletes: int = 1000, years: int = 5) -> Path:
    """The bench database as the code in `tree` (an earlier commit's files) builds it, under that tree's
    own bench/.data: an earlier commit refuses a database a later schema wrote."""
    code = f"from bench.synth import build_db; print(build_db(athletes={athletes}, years={years}))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tree,
        env=os.environ | {"PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    import time

    t0 = time.perf_counter()
    db = build_db()
    print(f"{db} ready in {time.perf_counter() - t0:.1f} s")
