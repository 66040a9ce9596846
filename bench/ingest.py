"""Benchmark: `crosstrain import` of a 1,000,000-row generic CSV against DuckDB's bare read_csv.

Generates the CSV with DuckDB COPY into bench/.data/ (1,000 athletes), imports it with the real CLI
in a subprocess into a fresh database (wall time, CPU seconds of all its threads, peak RSS), and
times `create table t as select * from read_csv(...)` of the same file into a fresh database file in
this process, and the floor: the same rows into a new crosstrain database's `activities` by one
insert (FLOOR: the schema's columns, a key per row; no rules, staging or double recordings), then
the session values of those rows stored (what every import ends with: queries/session_values.py). A
one-row file imported the same way shows the fixed part of the import's time (Python and the CLI
starting, a new database created). `--baseline REF` imports the same file with commit REF's code
(`git archive` under bench/.data/baseline-<sha>, as bench/files.py; default: none), and each
`--compare NAME=DIR` with another checkout's code (`PYTHONPATH=DIR python -m crosstrain`, e.g. a
`git worktree` of an older commit); every code's modules are byte-compiled first, as a user's Python
has them (bench/files.py's `byte_compiled`); all are run in turn, round after round, so that a busy
machine slows each alike, and the medians count. Targets: the import within 3x of the bare read
(issues 9 and 22), peak memory under 1 GB (issue 22).

    .venv/bin/python bench/ingest.py [--rows N] [--repeat N] [--baseline REF] [--compare NAME=DIR ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / ".data"
sys.path.insert(0, str(ROOT))  # this checkout's packages, not this file, under `ingest`

from bench.files import baseline_code, byte_compiled  # noqa: E402

GENERATE = """
copy (
    select strftime(timestamp '2016-01-01 05:00' + to_minutes((i // 1000) * 420 + (i % 1000) % 600),
                    '%Y-%m-%dT%H:%M:%S') as date,
           ['Run', 'Run', 'Run', 'Trail Run', 'WeightTraining', 'Pilates', 'Yoga', 'Ride', 'Swim',
            'Workout'][1 + (i * 7919) % 10] as type,
           1200 + (i * 31) % 5400 as duration,
           -- runs at 3-6 min/km: plausible (ingest/database/plausibility.py), so every row is imported
           case when (i * 7919) % 10 < 4
                then round((1200 + (i * 31) % 5400) / (180 + (i * 13) % 180), 2) end as distance_km,
           case when i % 3 = 0 then 1 + i % 10 end as rpe,
           'Session ' || i as name,
           'Athlete ' || lpad((i % 1000)::varchar, 4, '0') as athlete,
           case when i % 3 = 1 then 120 + i % 50 end as avg_hr,
           case when i % 3 = 1 then 160 + i % 30 end as max_hr
    from range(?) t(i)
) to '{path}' (header, delimiter ',')
"""


def generate(path: Path, rows: int) -> None:
    con = duckdb.connect()
    con.execute(GENERATE.format(path=path), [rows])
    con.close()


def remove(*dbs: Path) -> None:
    for db in dbs:
        db.unlink(missing_ok=True)
        Path(f"{db}.wal").unlink(missing_ok=True)


def run_import(source: Path, csv_path: Path, db: Path) -> tuple[float, float, float, str]:
    """Wall and CPU seconds and peak RSS (MB) of `crosstrain import` run from the checkout `source`, and
    its output (the child's own resource use, from wait4: each checkout's peak apart)."""
    remove(db)
    env = os.environ | {"PYTHONPATH": str(source)}
    command = [sys.executable, "-m", "crosstrain", "--db", str(db), "import", str(csv_path)]
    with tempfile.TemporaryFile("w+") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, text=True, env=env, cwd=source)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().strip()
    if proc.returncode != 0:
        sys.exit(f"import from {source} failed: {text[:500]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def run_bare(csv_path: Path, db: Path, rows: int) -> tuple[float, float]:
    """Wall and CPU seconds of DuckDB's bare read_csv of the file into a table of a fresh database."""
    remove(db)
    con = duckdb.connect(str(db))
    t0, c0 = time.perf_counter(), time.process_time()
    con.execute("create table t as select * from read_csv(?)", [str(csv_path)])
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert con.execute("select count(*) from t").fetchone()[0] == rows
    con.close()
    return wall, cpu


# The least an import can do with the file: its rows into crosstrain's `activities` (every column of
# the schema, ids from a sequence, a key per row, the athletes made) in one insert, no parsing rules,
# no staging, no double recordings: what any import of these rows pays at least.
FLOOR = """
insert into activities (activity_id, athlete_id, source, source_id, strava_id, start_at, start_local,
    has_time, sport_type, category, name, description, moving_s, elapsed_s, distance_m,
    elevation_gain_m, avg_hr, max_hr, rpe, relative_effort, raw, import_id, updated_at, twin_of,
    excluded, start_timezone, excluded_reason)
select nextval('_floor_ids'), a.athlete_id, 'generic',
       md5(concat_ws('|', r.date, r.type, r.duration, r.name)), null, r.date::timestamp,
       r.date::timestamp, true, r.type, case when r.type in ('Run', 'Trail Run') then 'run' else 'other' end,
       r.name, null, r.duration::double, r.duration::double, r.distance_km * 1000, null, r.avg_hr,
       r.max_hr, r.rpe, null, null, null, now() at time zone 'UTC', null, false, null, null
from read_csv(?) r join athletes a on a.name = r.athlete
"""


def run_floor(csv_path: Path, db: Path, rows: int) -> tuple[float, float]:
    """Wall and CPU seconds of FLOOR into a new crosstrain database (made first, not timed)."""
    from ingest.database.db import connect

    remove(db)
    with connect(db) as con:
        t0, c0 = time.perf_counter(), time.process_time()
        con.execute("begin transaction")
        con.execute("create temp sequence _floor_ids start 1")
        con.execute("insert into athletes (name) select distinct athlete from read_csv(?)", [str(csv_path)])
        con.execute(FLOOR, [str(csv_path)])
        con.execute("commit")
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert con.execute("select count(*) from activities").fetchone()[0] == rows
    return wall, cpu


def run_values(db: Path) -> tuple[float, float]:
    """Wall and CPU seconds of storing the session values of the floor's rows (queries/session_values.py's
    `refresh`, as every import ends), on the floor's database, in this process."""
    from ingest.database.db import connect
    from queries.session_values import refresh

    with connect(db) as con:
        t0, c0 = time.perf_counter(), time.process_time()
        athletes = refresh(con, {})
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert athletes == 1000, athletes
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians count")
    parser.add_argument("--baseline", default="none", help="a commit to time too (merge-base: with main)")
    parser.add_argument(
        "--compare", action="append", default=[], metavar="NAME=DIR", help="another checkout to time"
    )
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    csv_path = DATA / f"generic_{args.rows}.csv"
    base = baseline_code(args.baseline)
    sources = (
        {"this checkout": ROOT}
        | ({f"baseline {base.name[9:]}": base} if base else {})
        | {name: Path(d).resolve() for name, d in (c.split("=", 1) for c in args.compare)}
    )
    byte_compiled(list(sources.values()))

    t0 = time.perf_counter()
    generate(csv_path, args.rows)
    one_row = DATA / "generic_1.csv"
    with csv_path.open() as lines:
        one_row.write_text(next(lines) + next(lines))
    size_mb = csv_path.stat().st_size / 1e6
    print(f"generated {args.rows:,} rows ({size_mb:.0f} MB) in {time.perf_counter() - t0:.1f} s")

    walls: dict[str, list[float]] = {name: [] for name in [*sources, "bare", "floor", "values", "one row"]}
    cpus: dict[str, list[float]] = {name: [] for name in walls}
    peaks: dict[str, float] = dict.fromkeys(sources, 0.0)
    output = ""
    for _ in range(args.repeat):  # round after round: the machine is shared, so single runs are noisy
        for name, source in sources.items():
            wall, cpu, peak, out = run_import(source, csv_path, DATA / "import.duckdb")
            peaks[name] = max(peaks[name], peak)
            walls[name].append(wall)
            cpus[name].append(cpu)
            output = output or out
        wall, cpu = run_bare(csv_path, DATA / "bare.duckdb", args.rows)
        walls["bare"].append(wall)
        cpus["bare"].append(cpu)
        wall, cpu = run_floor(csv_path, DATA / "floor.duckdb", args.rows)
        walls["floor"].append(wall)
        cpus["floor"].append(cpu)
        wall, cpu = run_values(DATA / "floor.duckdb")
        walls["values"].append(wall)
        cpus["values"].append(cpu)
        wall, cpu, _, _ = run_import(ROOT, one_row, DATA / "import.duckdb")
        walls["one row"].append(wall)
        cpus["one row"].append(cpu)
    print(output)
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores shared: wall times move)")

    bare_wall, bare_cpu = statistics.median(walls["bare"]), statistics.median(cpus["bare"])
    heading = f"median of {args.repeat} runs"
    print(f"{heading:34} {'wall':>7} {'ratio':>6} {'CPU':>7} {'ratio':>6} {'peak':>8}  each run's wall")
    for name in walls:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        label = {
            "bare": "bare read_csv into a table",
            "floor": "floor: one insert into activities",
            "values": "session values of the floor's rows",
            "one row": "import of 1 row (start-up)",
        }.get(name, f"import: {name}")
        runs = ", ".join(f"{t:.2f}" for t in walls[name])
        peak = f"{peaks[name]:5.0f} MB" if name in peaks else " " * 8
        ratios = f"{wall / bare_wall:5.2f}x {cpu:6.2f}s {cpu / bare_cpu:5.2f}x"
        print(f"{label:34} {wall:6.2f}s {ratios} {peak}  {runs}")
    # What the command costs at least: its start, the rows stored, their session values stored.
    least = {
        what: sum(statistics.median(times[name]) for name in ("one row", "floor", "values"))
        for what, times in (("wall", walls), ("CPU", cpus))
    }
    print(
        f"{'1 row + floor + values (least)':34} {least['wall']:6.2f}s "
        f"{least['wall'] / bare_wall:5.2f}x {least['CPU']:6.2f}s {least['CPU'] / bare_cpu:5.2f}x"
    )
    ratio = statistics.median(walls["this checkout"]) / bare_wall
    rate = args.rows / statistics.median(walls["this checkout"])
    print(f"import / bare read (wall):  {ratio:6.2f}x (target <= 3x); {rate:,.0f} rows/s")
    print(f"peak RSS of this checkout:  {peaks['this checkout']:6.0f} MB (target < 1024 MB, issue 22)")


if __name__ == "__main__":
    main()
