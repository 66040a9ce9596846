"""`compare` on DuckDB against the same SQL on Apache Spark local[2], in one run (bench/README.md).

10,000 synthetic athletes x 2 years (bench/synth.py, about 6 million activities), exported with
`crosstrain export --parquet`. Each engine runs in its own child process; the parent samples the RSS
of that process and its children (Spark's JVM) every 0.1 s for the peak. Prints time, activities per
second, the ratio Spark / DuckDB, both peaks, and whether the two JSON answers are equal.

    python bench/spark.py [--athletes 10000] [--years 2] [--master local[2]]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synth import AS_OF, DATA, build_db  # noqa: E402


def _child(engine: str, db: str, source: str, master: str, out: str) -> None:
    """Run `compare` once on `engine` and write {seconds, json} to `out`."""
    import queries
    from ingest.database.db import connect

    t0 = time.perf_counter()
    if engine == "duckdb":
        with connect(db, read_only=True) as con:
            result = queries.compare(con, AS_OF, {})
    else:
        from queries.spark import open_source

        with open_source(source, master, {"spark.driver.memory": "2g"}) as backend:
            result = queries.compare(backend, AS_OF, {})
    Path(out).write_text(json.dumps({"seconds": time.perf_counter() - t0, "result": result}))


def _measure(args: list[str], out: Path) -> tuple[dict, float]:
    """Run a child and return its output and the peak RSS (MB) of it and its descendants."""
    import psutil

    proc = subprocess.Popen([sys.executable, __file__, *args, "--out", str(out)])
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                rss = parent.memory_info().rss + sum(
                    c.memory_info().rss for c in parent.children(recursive=True)
                )
                peak = max(peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    code = proc.wait()
    done.set()
    thread.join()
    if code:
        raise SystemExit(f"child {args[:2]} failed with {code}")
    return json.loads(out.read_text()), peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--athletes", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--child", choices=["duckdb", "spark"])
    parser.add_argument("--db")
    parser.add_argument("--source")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.db, args.source, args.master, args.out)
        return

    import duckdb

    from ingest.database.db import connect
    from queries.export import export_parquet

    t0 = time.perf_counter()
    db = build_db(DATA / f"synth-{args.athletes}x{args.years}y.duckdb", args.athletes, args.years)
    rows = duckdb.connect(str(db), read_only=True).execute("select count(*) from activities").fetchone()[0]
    built = time.perf_counter() - t0
    print(f"{args.athletes} athletes x {args.years} years: {rows:,} activities ({built:.0f} s)")
    source = DATA / f"synth-{args.athletes}x{args.years}y.parquet"
    t0 = time.perf_counter()
    with connect(db, read_only=True) as con:
        export_parquet(con, source)
    print(f"export --parquet: {time.perf_counter() - t0:.1f} s")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    common = ["--db", str(db), "--source", str(source), "--master", args.master]
    duck, duck_mb = _measure(["--child", "duckdb", *common], DATA / "spark-bench-duckdb.json")
    spark, spark_mb = _measure(["--child", "spark", *common], DATA / "spark-bench-spark.json")
    for name, run, mb in (("duckdb", duck, duck_mb), (f"spark {args.master}", spark, spark_mb)):
        s = run["seconds"]
        print(f"compare on {name:16}: {s:8.1f} s  {rows / s:12,.0f} activities/s  peak RSS {mb:6.0f} MB")
    ratio = spark["seconds"] / duck["seconds"]
    print(f"ratio spark / duckdb: {ratio:.1f}x time, {spark_mb / duck_mb:.1f}x memory")
    print(f"same JSON: {duck['result'] == spark['result']}")


if __name__ == "__main__":
    main()
