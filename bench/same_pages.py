"""Check: the dashboard's pages answer what a baseline commit's answer, one at a time and many at once.

Each tree's `crosstrain dashboard` (its own process; the baseline a `git archive` of `--rev`, as
bench/clients.py serves it) is asked for Dash's page callback (what the browser gets: the whole page
with its figures and table) of the coach overview and of athlete pages: every athlete's default page
and a few with a date range. This checkout is asked twice: one request at a time, and all pages
at once from 20 threads against a fresh server (so athlete pages are computed together:
dashboard/data.py Batches). The answers are parsed as JSON and compared with the baseline's: equal
values whatever the key order or number formatting; a float that differs is counted with how far
(relative), anything else is a difference named by its place.

Data: the bench database (bench/synth.py, 300 athletes) and the demo's sample athletes (`crosstrain
demo --no-serve`, data ending today), built by this checkout and served to both (the baseline must
read this checkout's schema).

    .venv/bin/python bench/same_pages.py [--rev c2c725e] [--athletes 60]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.clients import TIMEOUT_S, Server, free_port, page_callback  # noqa: E402
from bench.draw import tree_of  # noqa: E402
from bench.synth import AS_OF, build_db  # noqa: E402


def answers(db: Path, root: Path | None, paths: list[str], at_once: int) -> dict[str, object]:
    """Each path's page callback answer (parsed), from a fresh server; `at_once` requests in flight."""
    server = Server(db, free_port(), root)
    try:
        body = page_callback(requests.get(server.base + "/_dash-dependencies", timeout=TIMEOUT_S).json())

        def ask(path: str) -> object:
            request = json.loads(json.dumps(body))
            for i in request["inputs"]:
                if i["property"] == "pathname":
                    i["value"] = path.split("?")[0]
                elif i["property"] == "search":
                    i["value"] = "?" + path.split("?")[1] if "?" in path else ""
            with requests.Session() as s:
                # as a browser does: the HTML first (it starts the page early: app.start_pages_early)
                s.get(server.base + path, timeout=TIMEOUT_S).raise_for_status()
                answer = s.post(server.base + "/_dash-update-component", json=request, timeout=TIMEOUT_S)
            answer.raise_for_status()
            return answer.json()

        with ThreadPoolExecutor(at_once) as pool:
            return dict(zip(paths, pool.map(ask, paths), strict=True))
    finally:
        server.stop()


FLOATS = [0]  # floats compared, in all


def compare(a: object, b: object, where: str, floats: list[float], other: list[str]) -> None:
    """Walk both answers: floats that differ go to `floats` (relative difference), the rest to `other`."""
    if isinstance(a, float):
        FLOATS[0] += 1
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            other.append(f"{where}: keys {sorted(a.keys() ^ b.keys())[:5]}")
        for k in a.keys() & b.keys():
            compare(a[k], b[k], f"{where}.{k}", floats, other)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            other.append(f"{where}: {len(a)} against {len(b)} items")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            compare(x, y, f"{where}[{i}]", floats, other)
    elif isinstance(a, float) and isinstance(b, int | float) and not isinstance(b, bool) and a != b:
        scale = max(abs(a), abs(b))
        if math.isfinite(scale) and abs(a - b) <= 1e-9 * scale:
            floats.append(abs(a - b) / scale)
        else:
            other.append(f"{where}: {a!r} against {b!r}")
    elif a != b:
        other.append(f"{where}: {str(a)[:60]!r} against {str(b)[:60]!r}")


def verdict(label: str, base: dict[str, object], now: dict[str, object]) -> bool:
    floats: list[float] = []
    other: list[str] = []
    same = 0
    FLOATS[0] = 0
    for path in base:
        f: list[float] = []
        o: list[str] = []
        compare(base[path], now[path], path, f, o)
        same += not f and not o
        floats += f
        other += o
    print(
        f"  {label:38} {len(base):4} pages: {same} equal; floats differing {len(floats)}"
        + (f" (at most {max(floats):.1e} relative)" if floats else "")
        + f" of {FLOATS[0]}; other differences {len(other)}"
    )
    for line in other[:5]:
        print(f"    {line}")
    return not other


def pages(db: Path, athletes: int) -> list[str]:
    """The overview, each of the first `athletes` athletes' default page, three with a date range, the
    athlete page without a name (the riskiest athlete's), an unknown athlete's, compare and plan."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.execute("select name from athletes order by name").fetchall()]
    found = ["/"] + ["/athlete/" + quote(n, safe="") for n in names[:athletes]]
    for n in names[:3]:
        found.append(f"/athlete/{quote(n, safe='')}?start={AS_OF.replace(month=6)}&end={AS_OF}")
    pair = "&".join("athlete=" + quote(n, safe="") for n in names[:2])
    return [*found, "/athlete", "/athlete/nobody%20here", f"/compare?{pair}&as_of={AS_OF}", "/plan"]


def demo_db(root: Path | None, into: Path) -> Path:
    """The demo's sample athletes as that tree's `crosstrain demo --no-serve` loads them."""
    run = [sys.executable, "-c", "from crosstrain.cli import main; main()"]
    env_path = {"PYTHONPATH": str(root or ROOT)}
    db = into / "demo.duckdb"
    args = ["--db", str(into / "user.duckdb"), "demo", "--demo-db", str(db), "--no-serve"]
    env = os.environ | env_path
    subprocess.run([*run, *args], check=True, capture_output=True, env=env, cwd=root or ROOT)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="c2c725e", help="the baseline commit")
    parser.add_argument("--athletes", type=int, default=60, help="athlete pages of the bench database")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        base_root = tree_of(args.rev, Path(tmp))
        (Path(tmp) / "now").mkdir()
        # The same files for both trees: two builds of one database can store the rows in another
        # order (DuckDB inserts in parallel), and a sum then adds them in another order.
        data = {
            "bench database (300 athletes)": build_db(athletes=300),
            "demo's sample athletes": demo_db(None, Path(tmp) / "now"),
        }
        for label, db in data.items():
            db_now = db_base = db
            paths = pages(db_now, args.athletes)
            print(f"{label}: {len(paths)} pages (the overview, athlete pages), {args.rev} against now")
            base = answers(db_base, base_root, paths, 1)
            ok &= verdict("one at a time", base, answers(db_now, None, paths, 1))
            ok &= verdict("20 at once (fresh server)", base, answers(db_now, None, paths, 20))
    print("same pages: yes" if ok else "same pages: NO")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
