"""Benchmark: the dashboard's server time per page and the athlete page's time to draw in Chromium.

Data: bench/synth.py (1,000 athletes x 5 years, ~1.5 million activities; built once, cached).
Server: each page's layout and callback functions, called as Dash calls them (inside a request,
reading the database, building the components) and serialised to JSON as Dash sends them. "cold"
clears everything the dashboard keeps before every call and varies the athlete (a first visit in a new
dashboard process); "warm" shows the same page again while nothing was written (answered from the
cache); "after a write" first writes to one athlete (a correction through ingest, on a copy of the
database), then shows the page: the coach overview's target case, where it recomputes that athlete only.
Baseline, in the same run: the `queries` calls that page makes, alone.
Browser: headless Chromium (selenium) against the app served by waitress (as `crosstrain dashboard`
serves it), from navigation to all six charts drawn, as WebDriver's wall clock sees it (its own round
trips and polling included) and as the page times itself (Performance API, from navigation start:
bench/draw.py's figure); baseline: a page without charts (import).
Targets: p95 < 300 ms per callback; athlete page drawn < 0.8 s median (issue 22; bench/draw.py compares
it with an earlier commit).

`--rev REV`: instead, the cold pages (athlete page, date range, compare page, overview: layout or
callback and its JSON, as above) of this checkout and of commit REV (`git archive`), each tree in its
own process, the two taking turns `--rounds` times (a change in the machine's load falls on both),
on the same database file; wall and CPU time (the process's, all threads) per page.
`--rev REV --served`: the pages as `crosstrain dashboard` serves them instead (bench/clients.py's
Server: waitress, the athlete pages' analytics in the worker process), both trees' servers up on the
same file, Dash's page callback asked over HTTP for an athlete page as of today, one as of the file's
last day and a compare page, each a first visit (another athlete every time; the athlete list and the
overview kept, as a running dashboard has them), and the coach overview as of a day that server was
never asked for (its kept answer is for one day: a new day, cold, with the server's start-up frozen
out of the collector as `crosstrain dashboard` does), the servers taking turns page by page; wall time
per page and the server's CPU (its worker's included: /proc, in clock ticks, so read the mean).

    .venv/bin/python bench/dashboard.py [--rev b561b1d --rounds 4 --runs 5 [--served]]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import plotly.io.json as pjson  # noqa: E402

import queries  # noqa: E402
from bench.synth import AS_OF, build_db  # noqa: E402
from bench.timing import Timing, measure  # noqa: E402
from dashboard import athlete_view, create_app, data  # noqa: E402
from ingest.database.corrections import set_activities  # noqa: E402
from ingest.database.db import connect  # noqa: E402
from queries.athletes import names as athlete_names  # noqa: E402
from queries.overview_cache import OverviewCache  # noqa: E402
from queries.unlabelled import unlabelled  # noqa: E402

ATHLETES = [f"Synthetic athlete {i:04d}" for i in range(100, 1000, 60)]
TARGET_S = 0.300
DRAW_TARGET_S = 0.8  # median


def sent(component: object) -> str:
    """What Dash sends: the component tree as JSON."""
    return pjson.to_json_plotly(component)


def overview_queries(db: Path) -> object:
    """What the overview page asks `queries` for, computed afresh."""
    with connect(db, read_only=True) as con:
        athlete_names(con)
        return queries.overview(con, AS_OF, AS_OF - timedelta(weeks=8), {})


def server_figures(db: Path) -> list[tuple[str, Timing, Timing | None]]:
    app = create_app(db)
    first, last = AS_OF - timedelta(weeks=athlete_view.DEFAULT_WEEKS) + timedelta(days=1), AS_OF
    with app.server.test_request_context("/"):
        from dashboard.pages import compare, import_page, overview

        cfg = data.config()

        def cold(fn: Callable[[int], object]) -> Callable[[int], object]:
            def run(i: int) -> object:
                cfg.cache.clear()
                cfg.overview = OverviewCache()
                return fn(i)

            return run

        def name(i: int) -> str:
            return ATHLETES[i % len(ATHLETES)]

        def pair(i: int) -> list[str]:
            return [name(i), name(i + 1)]

        def athlete_queries(i: int) -> object:
            with connect(db, read_only=True) as con:
                queries.report(con, name(i), AS_OF, {})
                queries.daily_metrics(con, name(i), first, last, {})
                queries.weekly_balance(con, [name(i)], first, last, {})
                unlabelled(con, name(i))
                return queries.sessions(con, name(i), first, last, {})

        def compare_queries(i: int) -> object:
            with connect(db, read_only=True) as con:
                for n in pair(i):
                    queries.report(con, n, AS_OF, {})
                return queries.weekly_balance(con, pair(i), AS_OF - timedelta(weeks=12), AS_OF, {})

        half_year = str(AS_OF - timedelta(weeks=26) + timedelta(days=1))
        cases = [
            (
                "overview: page (table of 1,000)",
                lambda i: sent(overview.layout()),
                lambda i: overview_queries(db),
                7,
            ),
            (
                "athlete: page (with its charts)",
                lambda i: sent(athlete_view.layout(name(i))),
                athlete_queries,
                15,
            ),
            (
                "athlete: date range changed (callback)",
                lambda i: sent(athlete_view.render(name(i), half_year, str(last))),
                athlete_queries,
                15,
            ),
            (
                "compare: page (two athletes)",
                lambda i: sent(compare.layout(athlete=pair(i))),
                compare_queries,
                15,
            ),
            (
                "compare: selection changed (callback)",
                lambda i: sent(compare.render(pair(i + 3), str(AS_OF))),
                compare_queries,
                15,
            ),
            ("import: page", lambda i: sent(import_page.layout()), None, 15),
        ]
        results = []
        for label, fn, baseline, runs in cases:
            base = measure(baseline, runs) if baseline else None
            results.append((label + " [cold]", measure(cold(fn), runs), base))
            results.append((label + " [warm]", measure(lambda i, fn=fn: fn(0), runs), base))
    # another app for the copy, outside this one's request (Dash registers pages per app)
    overview_base = results[0][2]
    results.insert(2, (cases[0][0] + " [after a write]", overview_after_writes(db, 15), overview_base))
    return results


def overview_after_writes(db: Path, runs: int) -> Timing:
    """The overview page right after a write to one athlete (each run another athlete), on a copy."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(shutil.copy(db, Path(tmp) / db.name))
        with connect(copy) as con:  # migrated here, not inside a timed call
            latest = [
                r[0]
                for r in con.execute(
                    """select max(a.activity_id) from activities a join athletes t using (athlete_id)
                       where t.name in (select unnest(?::varchar[])) group by a.athlete_id order by 1""",
                    [ATHLETES],
                ).fetchall()
            ]
        app = create_app(copy)
        with app.server.test_request_context("/"):
            from dashboard.pages import overview

            cfg = data.config()

            def write(i: int) -> None:
                with data.writing(cfg) as path, connect(path) as con:
                    set_activities(con, [latest[i % len(latest)]], rpe=float(2 + i % 7))

            return measure(lambda i: sent(overview.layout()), runs, before=write)


# Set by the page when the import page's upload zone is there (the bare page's "drawn").
MARK_BARE = """
window.__bare = null;
new MutationObserver(() => {
  if (window.__bare === null && document.querySelector('#import-upload')) window.__bare = performance.now();
}).observe(document, {subtree: true, childList: true});
"""


def draw_times(db: Path, runs: int = 5) -> tuple[list[float], list[float], list[float], list[float]]:
    """Seconds from navigation to the athlete page's six charts drawn, and to the bare import page:
    as the harness sees them (WebDriver's wall clock, its own round trips included), and as the page
    itself times them (Performance API, from navigation start; bench/draw.py's figure)."""
    import waitress
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from bench.draw import MARK_DRAWN
    from dashboard.screenshot import charts_drawn, chrome

    logging.getLogger("waitress").setLevel(logging.ERROR)
    server = waitress.create_server(create_app(db).server, host="127.0.0.1", port=0, threads=8)
    threading.Thread(target=server.run, daemon=True).start()  # served as `crosstrain dashboard` does
    browser = chrome(1400, 1000)
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": MARK_DRAWN + MARK_BARE})
    base = f"http://127.0.0.1:{server.effective_port}"

    def load(path: str, ready: Callable, mark: str) -> tuple[float, float]:
        browser.get("about:blank")
        t0 = time.perf_counter()
        browser.get(base + path)
        WebDriverWait(browser, 30, poll_frequency=0.02).until(ready)
        wall = time.perf_counter() - t0
        WebDriverWait(browser, 5, poll_frequency=0.02).until(lambda b: b.execute_script(f"return {mark}"))
        return wall, browser.execute_script(f"return {mark}") / 1000

    def charts(b: object) -> bool:
        return charts_drawn(b) >= 6

    def upload_zone(b: object) -> bool:
        return bool(b.find_elements(By.CSS_SELECTOR, "#import-upload"))

    try:
        load(
            "/import", upload_zone, "window.__bare"
        )  # the browser caches the JS bundles, as for a returning user
        athlete = [
            load("/athlete/" + quote(ATHLETES[i % len(ATHLETES)], safe=""), charts, "window.__drawn")
            for i in range(runs)
        ]
        bare = [load("/import", upload_zone, "window.__bare") for _ in range(runs)]
    finally:
        browser.quit()
        server.close()
    return [a[0] for a in athlete], [b[0] for b in bare], [a[1] for a in athlete], [b[1] for b in bare]


# One tree's cold pages, run in that tree (PYTHONPATH): `runs` pages of each kind, another athlete each
# time (from `offset`), after one untimed page of each; prints {page: [[wall...], [cpu...]]} as JSON.
COLD_PAGES = """
import json, sys, time
from datetime import date, timedelta
from pathlib import Path
import plotly.io.json as pjson
from dashboard import athlete_view, create_app, data
from queries.overview_cache import OverviewCache
db, runs, offset, names = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[5:]
as_of = date.fromisoformat(sys.argv[4])
app = create_app(db)
with app.server.test_request_context("/"):
    from dashboard.pages import compare, overview
    cfg = data.config()
    name = lambda i: names[(i + offset) % len(names)]
    half_year = str(as_of - timedelta(weeks=26) + timedelta(days=1))
    pages = {
        "athlete: page (with its charts)": lambda i: athlete_view.layout(name(i)),
        # as of the file's last day: an active athlete's page (as of today, since the bench file ends
        # on AS_OF, every athlete is inactive and the page shows their last active weeks)
        "athlete: page, an active athlete": (
            lambda i: athlete_view.layout(name(i), as_of=str(as_of))
        ),
        "athlete: date range changed (callback)": (
            lambda i: athlete_view.render(name(i), half_year, str(as_of))
        ),
        "compare: page (two athletes)": lambda i: compare.layout(athlete=[name(i), name(i + 1)]),
        "overview: page (table of 1,000)": lambda i: overview.layout(),
    }
    found = {}
    for i in range(-1, runs):
        for page, fn in pages.items():
            cfg.cache.clear()
            cfg.overview = OverviewCache()
            t0, c0 = time.perf_counter(), time.process_time()
            pjson.to_json_plotly(fn(i))
            if i >= 0:
                found.setdefault(page, [[], []])
                found[page][0].append(time.perf_counter() - t0)
                found[page][1].append(time.process_time() - c0)
print(json.dumps(found))
"""


def in_turns(db: Path, rev: str, rounds: int, runs: int) -> None:
    """The cold pages of this checkout and of `rev`, each tree in its own process, taking turns."""
    from bench.draw import tree_of

    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this checkout": ROOT, rev: tree_of(rev, Path(tmp))}
        found: dict[str, dict[str, Timing]] = {t: {} for t in trees}
        for r in range(rounds):
            for label in list(trees) if r % 2 == 0 else list(trees)[::-1]:
                child = [sys.executable, "-c", COLD_PAGES, str(db), str(runs), str(r * runs), str(AS_OF)]
                env = {**os.environ, "PYTHONPATH": str(trees[label])}
                out = subprocess.run(
                    [*child, *ATHLETES], cwd=trees[label], env=env, capture_output=True, text=True, check=True
                )
                for page, (wall, cpu) in json.loads(out.stdout.strip().splitlines()[-1]).items():
                    t = found[label].setdefault(page, Timing([], []))
                    t.wall.extend(wall)
                    t.cpu.extend(cpu)
    print(f"cold pages, {rounds} rounds of {runs} each, taking turns; load average {os.getloadavg()[0]:.1f}")
    print(f"{'':56} {'median':>8} {'p95':>8} {'CPU med':>9}")
    for page in found["this checkout"]:
        for label in trees:
            t = found[label][page]
            ratio = t.cpu_median / found[rev][page].cpu_median
            print(
                f"{page[:38] + ', ' + label:56} {1000 * t.median:6.0f} ms {1000 * t.p95:6.0f} ms "
                f"{1000 * t.cpu_median:6.0f} ms" + (f"   CPU {ratio:4.2f}x {rev}'s" if label != rev else "")
            )


def served_in_turns(db: Path, rev: str, rounds: int, runs: int) -> None:
    """The cold pages as `crosstrain dashboard` serves them, this checkout's server and `rev`'s taking
    turns page by page (see the module's docstring)."""
    import requests

    from bench.clients import Server, free_port, page_callback
    from bench.draw import tree_of

    def paths(i: int) -> dict[str, str]:
        a, b, c = (quote(f"Synthetic athlete {(7 + 3 * i + k) % 1000:04d}", safe="") for k in range(3))
        return {
            "athlete: page as of today (inactive)": f"/athlete/{a}",
            "athlete: page as of the file's last day (active)": f"/athlete/{b}?as_of={AS_OF}",
            "compare: page (two athletes)": f"/compare?athlete={c}&athlete={a}",
            # a day no earlier ask of this server used: the overview's kept answer is for one day only
            "overview: page, a day not asked before (cold)": f"/?as_of={AS_OF - timedelta(days=1 + i)}",
        }

    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this checkout": ROOT, rev: tree_of(rev, Path(tmp))}
        servers = {label: Server(db, free_port(), root) for label, root in trees.items()}
        try:
            bodies = {
                label: page_callback(requests.get(s.base + "/_dash-dependencies", timeout=60).json())
                for label, s in servers.items()
            }

            def ask(label: str, path: str) -> tuple[float, float]:
                server, request = servers[label], json.loads(json.dumps(bodies[label]))
                for i in request["inputs"]:
                    if i["property"] == "pathname":
                        i["value"] = path.split("?")[0]
                    elif i["property"] == "search":
                        i["value"] = "?" + path.split("?")[1] if "?" in path else ""
                cpu, t0 = server.cpu_s(), time.perf_counter()
                answer = requests.post(server.base + "/_dash-update-component", json=request, timeout=60)
                answer.raise_for_status()
                return time.perf_counter() - t0, server.cpu_s() - cpu

            for label in servers:  # untimed: the overview (the athlete list with it), the worker's start
                ask(label, "/")
                ask(label, "/athlete/" + quote("Synthetic athlete 0001", safe=""))
            found: dict[str, dict[str, Timing]] = {t: {} for t in trees}
            for i in range(rounds * runs):
                for page, path in paths(i).items():
                    for label in list(trees) if i % 2 == 0 else list(trees)[::-1]:
                        wall, cpu = ask(label, path)
                        t = found[label].setdefault(page, Timing([], []))
                        t.wall.append(wall)
                        t.cpu.append(cpu)
        finally:
            for server in servers.values():
                server.stop()
    print(
        f"served pages, {rounds * runs} of each a server, taking turns; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'':64} {'median':>8} {'p95':>8} {'CPU mean':>9}")
    for page in found["this checkout"]:
        for label in trees:
            t, base = found[label][page], found[rev][page]
            mean = statistics.mean(t.cpu)
            ratio = f"   CPU {mean / statistics.mean(base.cpu):4.2f}x, median {t.median / base.median:4.2f}x"
            print(
                f"{page[:48] + ', ' + label:64} {1000 * t.median:6.0f} ms {1000 * t.p95:6.0f} ms "
                f"{1000 * mean:6.0f} ms" + (ratio if label != rev else "")
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", help="time the cold pages against this commit's, taking turns")
    parser.add_argument("--rounds", type=int, default=4, help="with --rev: turns of each tree")
    parser.add_argument("--runs", type=int, default=5, help="with --rev: pages of each kind per turn")
    parser.add_argument("--served", action="store_true", help="with --rev: as `crosstrain dashboard` serves")
    args = parser.parse_args()
    db = build_db()
    if args.rev and args.served:
        served_in_turns(db, args.rev, args.rounds, args.runs)
        return
    if args.rev:
        in_turns(db, args.rev, args.rounds, args.runs)
        return
    with connect(db, read_only=True) as con:
        n = con.execute("select count(*) from activities").fetchone()[0]
    print(
        f"{n:,} activities, 1,000 athletes, as of {AS_OF}  ({db.name}; load average {os.getloadavg()[0]:.1f})"
    )
    print(f"{'server time per call':56} {'median':>8} {'p95':>8}   vs its queries alone")
    for label, times, base in server_figures(db):
        ratio = f"{times.median / base.median:5.2f}x" if base else "     -"
        goal = "ok" if times.p95 < TARGET_S else "MISSED"
        print(
            f"{label:56} {1000 * times.median:6.0f} ms {1000 * times.p95:6.0f} ms   {ratio}"
            f"   target p95 < 300 ms: {goal}"
        )
    if not shutil.which("chromedriver"):
        print("browser: skipped (chromedriver not installed)")
        return
    athlete, bare, athlete_page, bare_page = draw_times(db)
    for label, mine, base in (
        ("athlete page drawn in Chromium (6 charts)", athlete, bare),
        ("  the same, as the page times it", athlete_page, bare_page),
    ):
        med, top = statistics.median(mine), max(mine)
        print(
            f"{label:48} {1000 * med:6.0f} ms {1000 * top:6.0f} ms   "
            f"{med / statistics.median(base):5.2f}x a bare page ({1000 * statistics.median(base):.0f} ms)   "
            f"target median < 0.8 s: {'ok' if med < DRAW_TARGET_S else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
