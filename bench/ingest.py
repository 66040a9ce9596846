"""Benchmark: `crosstrain import` of a 1,000,000-row generic CSV against DuckDB's bare read_csv.

Generates the CSV with DuckDB COPY into bench/.data/ (1,000 athletes), imports it with the real CLI
in a subprocess (wall time, peak RSS from getrusage(RUSAGE_CHILDREN)), then times
`create table t as select * from read_csv(...)` of the same file into a fresh database in this
process. Target: the import within 2x of the bare read, peak memory under 2 GB.

    .venv/bin/python bench/ingest.py [--rows N] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

DATA = Path(__file__).resolve().parent / ".data"

GENERATE = """
copy (
    select strftime(timestamp '2016-01-01 05:00' + to_minutes((i // 1000) * 420 + (i % 1000) % 600),
                    '%Y-%m-%dT%H:%M:%S') as date,
           ['Run', 'Run', 'Run', 'Trail Run', 'WeightTraining', 'Pilates', 'Yoga', 'Ride', 'Swim',
            'Workout'][1 + (i * 7919) % 10] as type,
           1200 + (i * 31) % 5400 as duration,
           case when (i * 7919) % 10 < 4 then round(3 + (i * 13) % 250 / 10.0, 2) end as distance_km,
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best counts")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    csv_path = DATA / f"generic_{args.rows}.csv"
    db_import, db_bare = DATA / "import.duckdb", DATA / "bare.duckdb"

    t0 = time.perf_counter()
    generate(csv_path, args.rows)
    size_mb = csv_path.stat().st_size / 1e6
    print(f"generated {args.rows:,} rows ({size_mb:.0f} MB) in {time.perf_counter() - t0:.1f} s")

    exe = shutil.which("crosstrain", path=str(Path(sys.executable).parent)) or "crosstrain"
    import_times, bare_times, import_cpu, bare_cpu = [], [], [], []
    for _ in range(args.repeat):  # best of N: the machine is shared, so single runs are noisy
        remove(db_import, db_bare)
        t0, c0 = time.perf_counter(), children_cpu()
        proc = subprocess.run(
            [exe, "--db", str(db_import), "import", str(csv_path)], capture_output=True, text=True
        )
        import_times.append(time.perf_counter() - t0)
        import_cpu.append(children_cpu() - c0)
        if proc.returncode != 0:
            sys.exit(f"import failed: {proc.stderr.strip()[:500]}")
        con = duckdb.connect(str(db_bare))
        t0, c0 = time.perf_counter(), time.process_time()
        con.execute("create table t as select * from read_csv(?)", [str(csv_path)])
        bare_times.append(time.perf_counter() - t0)
        bare_cpu.append(time.process_time() - c0)
        assert con.execute("select count(*) from t").fetchone()[0] == args.rows
        con.close()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(proc.stdout.strip())
    import_s, bare_s = min(import_times), min(bare_times)
    runs = ", ".join(f"{t:.2f}" for t in import_times), ", ".join(f"{t:.2f}" for t in bare_times)
    print(f"runs: import {runs[0]} s; bare read {runs[1]} s")

    ratio = import_s / bare_s
    print(f"bare read_csv into a table: {bare_s:6.2f} s  {args.rows / bare_s:>12,.0f} rows/s")
    print(f"crosstrain import:          {import_s:6.2f} s  {args.rows / import_s:>12,.0f} rows/s")
    print(f"ratio import / bare read:   {ratio:6.2f}x (target <= 2x)")
    print(f"peak RSS of the import:     {peak_mb:6.0f} MB (target < 2048 MB)")
    # CPU seconds (all threads) move less than wall time when other processes share the cores
    print(
        f"CPU: import {min(import_cpu):.2f} s, bare read {min(bare_cpu):.2f} s, "
        f"ratio {min(import_cpu) / min(bare_cpu):.2f}x"
    )


def children_cpu() -> float:
    """User + system CPU seconds of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
