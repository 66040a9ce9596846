"""Fuzz every format crosstrain reads with seeded mutations of its files, and count what breaks.

    .venv/bin/python bench/fuzz.py --count 10000            # the issue-20 run (README: Reliability)
    .venv/bin/python bench/fuzz.py --seed 7 --start 204 --count 1   # one case again

The cases are tests/fuzz_corpus.py's (CSV, FIT, GPX, TCX, ICS, zip, gz in turn; bases written by us,
our mirrors of the real exports in tests/fixtures/mirrors/, plus ../shared/formats' real exports when
beside the checkout; case i of seed s is the same bytes wherever that folder is equally present or
absent), imported as a user would (the CLI, in-process)
into a database holding a reference athlete, each next to a good file of its own. Worker processes
run the cases; this process watches them: a case using more than --timeout CPU seconds (its worker
and the worker's decode processes, from /proc), or blocked for 10 x --timeout seconds of wall time, is
a hang (its worker is killed and a new one carries on), and each worker's resident memory is read
from /proc every 0.2 s (peak per case). Prints the counts: tracebacks, hangs, partial writes, lost rows, peak
memory; and the failures. Calendar cases include the recurrences that exploded the reader (--no-bombs
leaves them out).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # before bench/, whose ingest.py would shadow the package
# A hang: a case using more than --timeout CPU seconds (the import's own work, whatever else the machine
# runs), or blocked past WALL_FACTOR x --timeout seconds of wall time.
WALL_FACTOR = 10
KILL_RSS = 3 * 1024**3  # a worker past this is stopped to protect the machine (counted over 1 GB)
GiB = 1024**3


def worker(args: argparse.Namespace) -> None:
    """Run cases start..stop-1, one JSON line each (and a line as each begins)."""
    import fuzz_corpus as fc

    work = Path(tempfile.mkdtemp(prefix="crosstrain-fuzz-"))
    db = work / "fuzz.duckdb"
    fc.reference_db(db)
    for i in range(args.start, args.stop):
        case = fc.make_case(args.seed, i, bombs=args.bombs)  # building the case is not the import's time
        print(json.dumps({"begin": i}), flush=True)
        out = fc.run_case(case, work, db)
        print(
            json.dumps(
                {"i": i, "fmt": case.fmt, "how": case.how[:160], "seconds": round(out.seconds, 2),
                 "traceback": out.traceback, "partial": out.partial, "lost": out.lost}
            ),
            flush=True,
        )  # fmt: skip


def rss(pid: int) -> int:
    """Resident bytes of `pid` and its children (decode workers)."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by `pid` and its live children (decode workers)."""
    ticks = 0
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of proc(5)
        except (OSError, IndexError, ValueError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Watched:
    """One worker process and what it reports."""

    def __init__(self, args: argparse.Namespace, start: int, stop: int) -> None:
        cmd = [sys.executable, __file__, "--worker", "--seed", str(args.seed), "--start", str(start),
               "--stop", str(stop)] + ([] if args.bombs else ["--no-bombs"])  # fmt: skip
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.current: int | None = None
        self.began = time.monotonic()
        self.cpu0 = 0.0
        self.peak = 0
        self.stop = stop
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def kill(self) -> None:
        for p in [self.proc.pid, *_children(self.proc.pid)]:
            with contextlib.suppress(OSError):
                os.kill(p, 9)
        self.proc.wait()


def run(args: argparse.Namespace) -> dict:
    """Run the cases on --workers workers; returns the counts."""
    stop = args.start + args.count
    chunks = [(a, min(stop, a + args.count // args.workers + 1))
              for a in range(args.start, stop, args.count // args.workers + 1)]  # fmt: skip
    watched = [Watched(args, a, b) for a, b in chunks]
    counts: Counter[str] = Counter()
    failures: list[dict] = []
    peak = (0, None)
    slowest = (0.0, None, 0.0)  # (CPU seconds, case, wall seconds) of the costliest case
    began = time.monotonic()
    last_print = began
    while watched:
        for w in list(watched):
            now = time.monotonic()
            if w.current is not None:
                w.peak = max(w.peak, rss(w.proc.pid))
                cpu = cpu_seconds(w.proc.pid) - w.cpu0
                hung = cpu > args.timeout or now - w.began > WALL_FACTOR * args.timeout
                if w.peak > KILL_RSS or hung:
                    what = "hang" if hung else "memory"
                    counts[what + "s"] += 1
                    counts["cases"] += 1
                    failures.append({"i": w.current, "kind": what, "seconds": round(now - w.began, 1),
                                     "cpu_seconds": round(cpu, 1), "peak_mb": w.peak // 2**20})  # fmt: skip
                    peak = max(peak, (w.peak, w.current), key=lambda x: x[0])
                    w.kill()
                    watched.remove(w)
                    if w.current + 1 < w.stop:
                        watched.append(Watched(args, w.current + 1, w.stop))
                    continue
            try:
                line = w.lines.get(timeout=0.2 / max(1, len(watched)))
            except queue.Empty:
                continue
            if line is None:
                watched.remove(w)
                if w.current is not None:  # the worker died inside a case
                    counts["crashes"] += 1
                    failures.append({"i": w.current, "kind": "worker died", "rc": w.proc.wait()})
                    if w.current + 1 < w.stop:
                        watched.append(Watched(args, w.current + 1, w.stop))
                continue
            event = json.loads(line)
            if "begin" in event:
                w.current, w.began, w.peak = event["begin"], time.monotonic(), rss(w.proc.pid)
                w.cpu0 = cpu_seconds(w.proc.pid)
                continue
            cpu = cpu_seconds(w.proc.pid) - w.cpu0
            slowest = max(slowest, (round(cpu, 1), event["i"], event["seconds"]))
            w.current = None
            counts["cases"] += 1
            counts[event["fmt"]] += 1
            peak = max(peak, (w.peak, event["i"]), key=lambda x: x[0])
            if w.peak > GiB:
                counts["over_1_gb"] += 1
                failures.append({**event, "kind": "over 1 GB", "peak_mb": w.peak // 2**20})
            for kind in ("traceback", "partial", "lost"):
                if event[kind]:
                    counts[kind] += 1
                    failures.append({**event, "kind": kind})
            if cpu > args.timeout or event["seconds"] > WALL_FACTOR * args.timeout:
                counts["hangs"] += 1
                failures.append({**event, "kind": "hang", "cpu_seconds": round(cpu, 1)})
        if time.monotonic() - last_print > 60:
            last_print = time.monotonic()
            print(
                f"... {counts['cases']} cases, {time.monotonic() - began:.0f} s", file=sys.stderr, flush=True
            )
            if args.out:  # what a long run reached so far
                so_far = _summary(args, counts, failures, peak, slowest, began)
                args.out.write_text(json.dumps(so_far, indent=1))
    return _summary(args, counts, failures, peak, slowest, began)


def _summary(
    args: argparse.Namespace,
    counts: Counter[str],
    failures: list[dict],
    peak: tuple,
    slowest: tuple,
    began: float,
) -> dict:
    return {
        "seed": args.seed,
        "cases": counts["cases"],
        "by_format": {f: counts[f] for f in ("csv", "fit", "gpx", "tcx", "ics", "zip", "gz")},
        "tracebacks": counts["traceback"],
        "hangs_over_timeout": counts["hangs"],
        "partial_writes": counts["partial"],
        "lost_rows": counts["lost"],
        "workers_died": counts["crashes"],
        "cases_over_1_gb": counts["over_1_gb"] + counts["memorys"],
        "peak_memory_mb": peak[0] // 2**20,
        "peak_memory_case": peak[1],
        "slowest_case": {"cpu_seconds": slowest[0], "case": slowest[1], "wall_seconds": slowest[2]},
        "load_average": os.getloadavg(),
        "seconds": round(time.monotonic() - began),
        "failures": failures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--stop", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30.0, help="CPU seconds: a hang")
    parser.add_argument("--no-bombs", dest="bombs", action="store_false", help="leave calendar bombs out")
    parser.add_argument("--out", type=Path, help="also write the result as JSON here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    args.workers = max(1, min(args.workers, args.count))
    result = run(args)
    if args.out:
        args.out.write_text(json.dumps(result, indent=1))
    shown = {k: v for k, v in result.items() if k != "failures"}
    print(json.dumps(shown, indent=1))
    for f in result["failures"][:30]:
        print(json.dumps(f)[:400])


if __name__ == "__main__":
    main()
