"""Benchmark: many people browsing the dashboard at once, over real HTTP on 127.0.0.1.

The server is `crosstrain dashboard` itself (waitress, in its own process) over a synthetic database
(bench/synth.py, 300 athletes x 5 years by default). Each client is a thread with its own keep-alive
session that, until the time is up, opens the coach overview or an athlete page (in turn; the athlete
drawn at random from every athlete) as a browser does once the scripts are cached: the page's HTML,
`_dash-layout`, `_dash-dependencies`, then the callback that returns the page's content. A page's time
is that whole sequence. An error is a failed connection, a timeout (30 s), a status other than 200 or
content without what the page must show (the overview table; the athlete's name).

Baselines, in the same run: one client alone against the same server; with --rev, an earlier commit's
server timed the same way right after (its own process, the same database). The server's CPU is its
process's and its children's (the analytics worker, dashboard/worker.py), from /proc. Loops are
bounded: each client stops starting pages when the time is up and every request has a timeout.
Targets (issue 22): 20 clients, p95 < 1 s for both pages, 0 errors.

.venv/bin/python bench/clients.py [--clients 20] [--seconds 30] [--athletes 300] [--rev ed51f14]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.draw import tree_of  # noqa: E402
from bench.synth import build_db, build_db_of  # noqa: E402
from bench.timing import p95  # noqa: E402

TIMEOUT_S = 30.0
TARGET_P95_S = 1.0
PAGES = ("overview", "athlete")


@dataclass
class Tally:
    """Seconds per page load that succeeded, and what went wrong with the others."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, seconds: float | None, error: str | None = None) -> None:
        with self.lock:
            if error is None:
                self.times[page].append(seconds)
            else:
                self.errors[page].append(error)


class Server:
    """`crosstrain --db DB dashboard --port PORT` in its own process, until `stop`: the crosstrain of
    tree `root` (an earlier commit's files, `bench.draw.tree_of`), by default this checkout's (not the
    one the environment's `crosstrain` script imports: in another git worktree, that is the editable
    install's tree)."""

    def __init__(self, db: Path, port: int, root: Path | None = None) -> None:
        self.base = f"http://127.0.0.1:{port}"
        tree = str(root or ROOT)
        run = f"import sys; sys.path.insert(0, {tree!r}); from crosstrain.cli import main; main()"
        crosstrain = [sys.executable, "-c", run]
        # stderr to a file, not a pipe nobody reads: waitress warns of its queue depth on every request
        # under load, and a full pipe (64 KB) blocked the server's event loop for good (requests then
        # timed out after 30 s: the "errors" of runs before 2026-12-07 07:50).
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [*crosstrain, "--db", str(db), "dashboard", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"the dashboard stopped: {self.log.read().decode()[-500:]}")
            try:
                if requests.get(self.base + "/_dash-layout", timeout=5).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("the dashboard did not answer within 60 s")

    def cpu_s(self) -> float:
        """The server's CPU seconds so far, its child processes' included (the analytics worker,
        dashboard/worker.py): Linux /proc, 0 elsewhere."""
        return sum(cpu_of(pid) for pid in tree_of_pids(self.process.pid))

    def main_cpu_s(self) -> float:
        """The server process's own CPU seconds (without its analytics worker)."""
        return cpu_of(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) of process `pid` so far; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_of_pids(pid: int) -> list[int]:
    """`pid` and its descendants that are running now (/proc/PID/task/TID/children)."""
    found, todo = [], [pid]
    while todo:
        at = todo.pop()
        found.append(at)
        for task in Path(f"/proc/{at}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                continue
    return found


def allocators_of(pid: int) -> str:
    """Which allocator each of the server's processes runs with (dashboard/worker.py starts its
    analytics worker with jemalloc or mimalloc when one is at hand): from /proc/PID/maps."""
    found = []
    for at in tree_of_pids(pid):
        try:
            maps = Path(f"/proc/{at}/maps").read_text()
        except OSError:
            continue
        names = {line.rsplit("/", 1)[-1] for line in maps.splitlines() if "malloc" in line.rsplit("/", 1)[-1]}
        found.append(", ".join(sorted(names)) or "glibc")
    return "; ".join(found)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_callback(deps: list[dict]) -> dict:
    """The request body of Dash's page-routing callback (its pathname filled in per page)."""
    router = next(d for d in deps if "_pages_content.children" in d["output"])
    outputs = [
        dict(zip(("id", "property"), o.rsplit(".", 1), strict=True))
        for o in router["output"].strip(".").split("...")
    ]
    return {
        "output": router["output"],
        "outputs": outputs,
        "inputs": [{**i, "value": None} for i in router["inputs"]],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [{**s, "value": None} for s in router.get("state", [])],
    }


def visit(session: requests.Session, base: str, body: dict, path: str, must_show: str) -> None:
    """One page as a browser opens it (scripts cached); raises on anything a user would see fail."""
    for url in (base + path, base + "/_dash-layout", base + "/_dash-dependencies"):
        session.get(url, timeout=TIMEOUT_S).raise_for_status()
    request = json.loads(json.dumps(body))
    for i in request["inputs"]:
        if i["property"] == "pathname":
            i["value"] = path
        elif i["property"] == "search":
            i["value"] = ""
    answer = session.post(base + "/_dash-update-component", json=request, timeout=TIMEOUT_S)
    answer.raise_for_status()
    if must_show not in answer.text:
        raise ValueError(f"{path}: the answer lacks {must_show!r}")


def client(base: str, body: dict, names: list[str], seed: int, until: float, tally: Tally) -> None:
    """Overview and athlete pages in turn until `until` (monotonic time)."""
    rng = random.Random(seed)
    session = requests.Session()
    turn = seed % 2
    while time.monotonic() < until:
        page = PAGES[turn % 2]
        turn += 1
        if page == "overview":
            path, must_show = "/", "overview-table"
        else:
            name = rng.choice(names)
            path, must_show = "/athlete/" + quote(name, safe=""), json.dumps(name)[1:-1]
        t0 = time.perf_counter()
        try:
            visit(session, base, body, path, must_show)
        except (requests.RequestException, ValueError) as exc:
            tally.add(page, None, f"{type(exc).__name__}: {str(exc)[:120]}")
            continue
        tally.add(page, time.perf_counter() - t0)
    session.close()


def run(base: str, body: dict, names: list[str], clients: int, seconds: float) -> Tally:
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(base, body, names, i, until, tally), daemon=True)
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 2 * TIMEOUT_S)
    return tally


def report(label: str, tally: Tally, cpu_s: float, target: bool, main_s: float | None = None) -> None:
    loads = sum(len(t) for t in tally.times.values())
    split = ""
    if main_s is not None and cpu_s - main_s > 0.05:
        split = f" (its own process {1000 * main_s / max(loads, 1):.0f} ms, its analytics worker the rest)"
    print(
        f"{label}: the server's CPU {cpu_s:.1f} s, {1000 * cpu_s / max(loads, 1):.0f} ms per page load{split}"
    )
    for page in PAGES:
        times, errors = tally.times.get(page, []), tally.errors.get(page, [])
        if not times:
            print(f"{label:22} {page:9} no page loaded; {len(errors)} errors: {errors[:3]}")
            continue
        med, top = statistics.median(times), p95(times)
        goal = ""
        if target:
            ok = top < TARGET_P95_S and not errors
            goal = f"   target p95 < 1 s, 0 errors: {'ok' if ok else 'MISSED'}"
        print(
            f"{label:22} {page:9} {len(times):5} loads {1000 * med:7.0f} ms {1000 * top:7.0f} ms "
            f"{len(errors):6}{goal}"
        )
        for e in sorted(set(errors))[:3]:
            print(f"{'':33} error: {e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--baseline-seconds", type=float, default=15.0)
    parser.add_argument("--athletes", type=int, default=300)
    parser.add_argument("--rev", help="an earlier commit, served and timed the same way after this one")
    args = parser.parse_args()
    db = build_db(athletes=args.athletes)
    names = [f"Synthetic athlete {i:04d}" for i in range(1, args.athletes + 1)]
    print(f"{args.athletes} athletes x 5 years ({db.name})")
    with tempfile.TemporaryDirectory() as tmp:
        trees: dict[str, Path | None] = {"this checkout": None}
        if args.rev:
            trees[args.rev] = tree_of(args.rev, Path(tmp))
        for name, root in trees.items():
            # an earlier commit serves a database its own code built (it refuses a later schema)
            served = db if root is None else build_db_of(root, athletes=args.athletes)
            serve_and_time(name, served, root, names, args)


def serve_and_time(
    name: str, db: Path, root: Path | None, names: list[str], args: argparse.Namespace
) -> None:
    """One server (this checkout's, or the tree at `root`): one client alone, then all of them."""
    server = Server(db, free_port(), root)
    try:
        body = page_callback(requests.get(server.base + "/_dash-dependencies", timeout=TIMEOUT_S).json())
        print(f"== {name}: `crosstrain dashboard` on {server.base}")
        print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores, shared)")
        # Untimed: the first overview computes every athlete's row, once per dashboard process; the
        # first athlete page waits for the analytics worker to have started (dashboard/worker.py).
        with requests.Session() as warm:
            visit(warm, server.base, body, "/", "overview-table")
            last = names[-1]
            visit(warm, server.base, body, "/athlete/" + quote(last, safe=""), json.dumps(last)[1:-1])
        print(f"allocator of each of the server's processes: {allocators_of(server.process.pid)}")
        print(f"{'':22} {'page':9} {'':5} {'':5} {'median':>10} {'p95':>10} {'errors':>6}")
        for clients, seconds in ((1, args.baseline_seconds), (args.clients, args.seconds)):
            label = f"{clients} clients at once" if clients > 1 else "1 client (baseline)"
            cpu, main_cpu = server.cpu_s(), server.main_cpu_s()
            tally = run(server.base, body, names, clients, seconds)
            report(label, tally, server.cpu_s() - cpu, clients > 1, server.main_cpu_s() - main_cpu)
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
