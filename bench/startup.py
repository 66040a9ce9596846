"""Benchmark: what a short `crosstrain` command costs before and around its own work (issue 22).

Each command runs as a user runs it (`python -m crosstrain ...` in a subprocess, CPU seconds of the
process and its workers from wait4) with this checkout's code and with a baseline commit's code
(`git archive` under bench/.data/baseline-<sha>, as bench/files.py; default: the merge-base with
main), in turns, round after round, so that a change in the machine's load falls on both alike;
medians count. Each command's output (stdout and stderr) must be the same for both codes: the
bench says so per command and stops when it is not.

The commands: a 1-row CSV import into a new database and into an existing one, one FIT file, the
10 shared activity files (decoded in the import's own process), `athletes`, `report --json`,
`report` (its tables drawn) and `activities list --json` on the synthetic sample data (`crosstrain
demo --no-serve`), and the command list (`--help`).

    .venv/bin/python bench/startup.py [--repeat N] [--baseline REF|none]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.files import REAL, baseline_code, byte_compiled  # noqa: E402

DATA = ROOT / "bench" / ".data" / "startup"
AS_OF = "2026-12-01"
ATHLETE = "Bea Balanced (synthetic)"


def run(code: Path, args: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (the command and its decode workers) and the output of `crosstrain args`."""
    env = os.environ | {"PYTHONPATH": str(code)}
    with tempfile.TemporaryFile("w+") as out:
        t0 = time.perf_counter()
        command = [sys.executable, "-m", "crosstrain", *args]
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=code)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        out.seek(0)
        text = out.read()
    code_ = os.waitstatus_to_exitcode(status)
    if code_ not in (0, 1):  # 1: a row or file refused, which some of these inputs are meant to be
        sys.exit(f"crosstrain {' '.join(args)} failed ({code}): {text[-800:]}")
    return wall, usage.ru_utime + usage.ru_stime, f"exit {code_}\n{text}".replace(str(DATA), "<data>")


def fresh(db: Path) -> Path:
    """`db` removed (a new database for the next import)."""
    db.unlink(missing_ok=True)
    Path(f"{db}.wal").unlink(missing_ok=True)
    return db


def commands(demo: Path, work: Path) -> dict[str, Callable[[], list[str]]]:
    """Name -> a function giving the command's arguments (after making its database ready)."""
    one_row = work / "one_row.csv"
    one_row.write_text("date,type,duration,distance_km\n2026-11-30,Run,1800,5.2\n")
    fit = REAL / "garmin_fr965_multisport_strength+run+strength_20555050352.fit"
    shared = work / "shared_files"
    if not shared.exists():
        shared.mkdir()
        for p in sorted(REAL.iterdir()):
            if p.suffix.lower() in (".fit", ".gpx", ".tcx"):
                shutil.copy(p, shared / p.name)
    kept, new = work / "kept.duckdb", work / "new.duckdb"

    def imported(path: Path, db: Path = new) -> Callable[[], list[str]]:
        return lambda: ["--db", str(fresh(db)), "import", "--athlete", "Runner", str(path)]

    def into_existing() -> list[str]:
        shutil.copy(demo, fresh(kept))
        return ["--db", str(kept), "import", "--athlete", "Runner", str(one_row)]

    on_demo = ["--db", str(demo)]
    return {
        "import 1 CSV row, new database": imported(one_row),
        "import 1 CSV row, existing database": into_existing,
        "import 1 FIT file, new database": imported(fit),
        "import 10 shared files, new database": imported(shared),
        "athletes": lambda: [*on_demo, "athletes"],
        "report --json": lambda: [*on_demo, "report", "--athlete", ATHLETE, "--as-of", AS_OF, "--json"],
        "report (its tables)": lambda: [*on_demo, "report", "--athlete", ATHLETE, "--as-of", AS_OF],
        "activities list --json": lambda: [*on_demo, "activities", "list", "--athlete", ATHLETE, "--json"],
        "--help": lambda: ["--help"],
    }


# The activity ids an output names: they follow the order of the writes, which a code may change (a
# file's sessions numbered in start order since h-folder4), not what was imported.
IDS = re.compile(r"\bids [0-9][0-9, ]*")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds; medians count")
    parser.add_argument("--baseline", default="merge-base", help="commit to compare with, or none")
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    base = baseline_code(args.baseline)
    codes = {"this code": ROOT} | ({f"baseline {base.name[9:]}": base} if base else {})
    byte_compiled(list(codes.values()))
    demo = DATA / "demo.duckdb"
    if not demo.exists():  # the synthetic sample athletes (their data end on the day it was made)
        run(ROOT, ["--db", str(DATA / "unused.duckdb"), "demo", "--demo-db", str(demo), "--no-serve"])
    cmds = commands(demo, DATA)
    walls: dict[tuple[str, str], list[float]] = {}
    cpus: dict[tuple[str, str], list[float]] = {}
    for round_ in range(args.repeat + 1):  # round 0 warms the file cache and is not counted
        for name, argv in cmds.items():
            outputs = {}
            for code_name, code in codes.items():
                wall, cpu, outputs[code_name] = run(code, argv())
                if round_:
                    walls.setdefault((name, code_name), []).append(wall)
                    cpus.setdefault((name, code_name), []).append(cpu)
            if len({IDS.sub("ids #", text) for text in outputs.values()}) > 1:
                for code_name, text in outputs.items():
                    print(f"--- {code_name}:\n{text}")
                sys.exit(f"{name}: the codes' outputs differ")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"medians of {args.repeat} rounds, codes in turns; load average {load} on {os.cpu_count()} cores")
    print("outputs (stdout, stderr, exit code) identical in every round, activity ids aside: yes")
    head = f"{'command':38s} {'code':18s} {'wall':>8s} {'CPU':>8s}"
    print(head + ("   vs baseline: wall   CPU" if base else ""))
    for name in cmds:
        first = None
        for code_name in codes:
            wall = statistics.median(walls[(name, code_name)])
            cpu = statistics.median(cpus[(name, code_name)])
            first = first or (wall, cpu)
            print(f"{name:38s} {code_name:18s} {wall * 1000:6.0f} ms {cpu * 1000:6.0f} ms")
        if base:
            b_wall = statistics.median(walls[(name, list(codes)[1])])
            b_cpu = statistics.median(cpus[(name, list(codes)[1])])
            print(f"{'':38s} {'this / baseline':18s} {first[0] / b_wall:7.2f}x  {first[1] / b_cpu:7.2f}x")


if __name__ == "__main__":
    main()
