"""Benchmark: the athlete page drawn in Chromium, this checkout against an earlier commit in the same run.

Each tree's dashboard is served by waitress in its own process (as `crosstrain dashboard` serves it)
over the bench database (bench/synth.py, 1,000 athletes x 5 years). One headless Chromium loads the
athlete page from each in turn (ABBA order, another athlete each round, so every load is a first view
of that athlete for both servers), after one load of the import page each so the scripts are cached
as for a returning user. For each load the page itself reports (Performance API), in ms from
navigation: scripts run (DOMContentLoaded), the page's callback sent, the server's time on it
(request to first byte), and the time from its answer to all six charts drawn.

.venv/bin/python bench/draw.py [--rev HEAD~1] [--runs 8]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Set by the page when the sixth chart has drawn its traces (or its "no data" note).
MARK_DRAWN = """
window.__drawn = null;
new MutationObserver(() => {
  if (window.__drawn === null && Array.from(document.querySelectorAll('.js-plotly-plot'))
      .filter(p => p.querySelector('.cartesianlayer .trace, .annotation')).length >= 6)
    window.__drawn = performance.now();
}).observe(document, {subtree: true, childList: true});
"""
TIMES = """
const nav = performance.getEntriesByType('navigation')[0];
const cb = performance.getEntriesByType('resource').find(r => r.name.includes('_dash-update-component'));
return [window.__drawn, nav.domContentLoadedEventEnd, cb ? cb.startTime : null,
        cb ? cb.responseStart - cb.requestStart : null, cb ? window.__drawn - cb.responseEnd : null];
"""
COLUMNS = ("drawn", "scripts run", "callback sent", "server", "answer to drawn")


def serve(root: str, port: int, db: str) -> None:
    """The dashboard of the tree at `root`, as `crosstrain dashboard` serves it (this process only)."""
    sys.path.insert(0, root)
    import waitress

    from dashboard import create_app

    logging.getLogger("waitress").setLevel(logging.ERROR)
    waitress.serve(create_app(db).server, host="127.0.0.1", port=port, threads=8)


def tree_of(rev: str, into: Path) -> Path:
    """The files of commit `rev` (git archive), to serve the dashboard as it was."""
    archive = into / "tree.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(ROOT), "archive", rev], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(root: Path, db: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(root), str(port), str(db)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"the dashboard of {root} did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="HEAD~1", help="the earlier commit to compare with")
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--serve", nargs=3, metavar=("ROOT", "PORT", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.serve[2])
        return
    if not shutil.which("chromedriver"):
        raise SystemExit("chromedriver is not installed (make browser)")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from bench.dashboard import ATHLETES
    from bench.synth import build_db, build_db_of
    from dashboard.screenshot import charts_drawn, chrome

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so the servers below are stopped
    db = build_db()
    label = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", args.rev], capture_output=True, text=True, check=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this checkout": ROOT, f"{args.rev} ({label})": tree_of(args.rev, Path(tmp))}
        dbs = {name: db if root == ROOT else build_db_of(root) for name, root in trees.items()}
        servers = {name: start(root, dbs[name]) for name, root in trees.items()}
        browser = chrome(1400, 1000)
        times: dict[str, list[list[float]]] = {name: [] for name in trees}
        try:
            browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": MARK_DRAWN})
            for _, port in servers.values():
                browser.get(f"http://127.0.0.1:{port}/import")
                WebDriverWait(browser, 60).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#import-upload"))
            order = list(servers.items())
            for run in range(args.runs):
                for name, (_, port) in order if run % 2 == 0 else order[::-1]:
                    browser.get("about:blank")
                    browser.get(
                        f"http://127.0.0.1:{port}/athlete/" + quote(ATHLETES[run % len(ATHLETES)], safe="")
                    )
                    WebDriverWait(browser, 60, poll_frequency=0.02).until(lambda b: charts_drawn(b) >= 6)
                    times[name].append(browser.execute_script(TIMES))
        finally:
            browser.quit()
            for process, _ in servers.values():
                process.terminate()
                process.wait(10)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"athlete page in Chromium, {args.runs} loads each, alternating; load average {load} (2 cores)")
    print(f"{'median ms from navigation':26}" + "".join(f"{c:>17}" for c in COLUMNS))
    for name, rows in times.items():
        medians = [
            statistics.median(x for x in column if x is not None) for column in zip(*rows, strict=True)
        ]
        print(f"{name:26}" + "".join(f"{m:17.0f}" for m in medians))
    mine, theirs = (statistics.median(r[0] for r in rows) for rows in times.values())
    print(f"drawn: {mine / theirs:.2f}x the earlier commit's (target < 800 ms on a quiet machine)")


if __name__ == "__main__":
    main()
