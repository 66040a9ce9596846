"""Benchmark: the dashboard's server time per page and the athlete page's time to draw in Chromium.

Data: bench/synth.py (1,000 athletes x 5 years, ~1.5 million activities; built once, cached).
Server: each page's layout and callback functions, called as Dash calls them (inside a request,
reading the database, building the components) and serialised to JSON as Dash sends them. "cold"
clears the dashboard's query cache before every call and varies the athlete (a first visit after a
write); "warm" shows the same page again while nothing was written (answered from the cache).
Baseline, in the same run: the `queries` calls that page makes, alone.
Browser: headless Chromium (selenium), from navigation to all six charts drawn; baseline: a page
without charts (import).
Targets: p95 < 300 ms per callback; athlete page drawn < 2 s.
"""

from __future__ import annotations

import logging
import shutil
import statistics
import sys
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
from dashboard import athlete_view, create_app, data  # noqa: E402
from ingest.db import connect  # noqa: E402
from queries.athletes import athletes as list_athletes  # noqa: E402

ATHLETES = [f"Synthetic athlete {i:04d}" for i in range(100, 1000, 60)]
TARGET_S = 0.300
DRAW_TARGET_S = 2.0


def timings(fn: Callable[[int], object], runs: int) -> list[float]:
    fn(0)  # warm-up: imports, DuckDB's first plan
    out = []
    for i in range(runs):
        t0 = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t0)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def sent(component: object) -> str:
    """What Dash sends: the component tree as JSON."""
    return pjson.to_json_plotly(component)


def server_figures(db: Path) -> list[tuple[str, list[float], list[float] | None]]:
    app = create_app(db)
    first, last = AS_OF - timedelta(weeks=athlete_view.DEFAULT_WEEKS) + timedelta(days=1), AS_OF
    with app.server.test_request_context("/"):
        from dashboard.pages import compare, import_page, overview

        cfg = data.config()

        def cold(fn: Callable[[int], object]) -> Callable[[int], object]:
            def run(i: int) -> object:
                cfg.cache.clear()
                return fn(i)

            return run

        def name(i: int) -> str:
            return ATHLETES[i % len(ATHLETES)]

        def pair(i: int) -> list[str]:
            return [name(i), name(i + 1)]

        def overview_queries(_i: int) -> object:
            with connect(db, read_only=True) as con:
                list_athletes(con)
                return queries.overview(con, AS_OF, AS_OF - timedelta(weeks=8), {})

        def athlete_queries(i: int) -> object:
            with connect(db, read_only=True) as con:
                queries.report(con, name(i), AS_OF, {})
                queries.daily_metrics(con, name(i), first, last, {})
                queries.weekly_balance(con, [name(i)], first, last, {})
                return queries.sessions(con, name(i), first, last, {})

        def compare_queries(i: int) -> object:
            with connect(db, read_only=True) as con:
                for n in pair(i):
                    queries.report(con, n, AS_OF, {})
                return queries.weekly_balance(con, pair(i), AS_OF - timedelta(weeks=12), AS_OF, {})

        half_year = str(AS_OF - timedelta(weeks=26) + timedelta(days=1))
        cases = [
            ("overview: page (table of 1,000)", lambda i: sent(overview.layout()), overview_queries, 7),
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
            base = timings(baseline, runs) if baseline else None
            results.append((label + " [cold]", timings(cold(fn), runs), base))
            results.append((label + " [warm]", timings(lambda i, fn=fn: fn(0), runs), base))
        return results


def draw_times(db: Path, runs: int = 5) -> tuple[list[float], list[float]]:
    """Seconds from navigation to the athlete page's six charts drawn, and to the bare import page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from werkzeug.serving import make_server

    from dashboard.screenshot import charts_drawn, chrome, free_port

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = create_app(db)
    port = free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    browser = chrome(1400, 1000)
    base = f"http://127.0.0.1:{port}"

    def load(path: str, ready: Callable) -> float:
        browser.get("about:blank")
        t0 = time.perf_counter()
        browser.get(base + path)
        WebDriverWait(browser, 30, poll_frequency=0.02).until(ready)
        return time.perf_counter() - t0

    def charts(b: object) -> bool:
        return charts_drawn(b) >= 6

    def upload_zone(b: object) -> bool:
        return bool(b.find_elements(By.CSS_SELECTOR, "#import-upload"))

    try:
        load("/import", upload_zone)  # the browser caches the JS bundles, as for a returning user
        athlete = [
            load("/athlete/" + quote(ATHLETES[i % len(ATHLETES)], safe=""), charts) for i in range(runs)
        ]
        bare = [load("/import", upload_zone) for _ in range(runs)]
    finally:
        browser.quit()
        server.shutdown()
    return athlete, bare


def main() -> None:
    db = build_db()
    with connect(db, read_only=True) as con:
        n = con.execute("select count(*) from activities").fetchone()[0]
    print(f"{n:,} activities, 1,000 athletes, as of {AS_OF}  ({db.name})")
    print(f"{'server time per call':48} {'median':>8} {'p95':>8}   vs its queries alone")
    worst = 0.0
    for label, times, base in server_figures(db):
        ratio = f"{statistics.median(times) / statistics.median(base):5.2f}x" if base else "     -"
        goal = "ok" if p95(times) < TARGET_S else "MISSED"
        if "[warm]" in label or "overview" not in label:
            worst = max(worst, p95(times))
        print(
            f"{label:48} {1000 * statistics.median(times):6.0f} ms {1000 * p95(times):6.0f} ms   {ratio}"
            f"   target p95 < 300 ms: {goal}"
        )
    if not shutil.which("chromedriver"):
        print("browser: skipped (chromedriver not installed)")
        return
    athlete, bare = draw_times(db)
    med, top = statistics.median(athlete), max(athlete)
    print(
        f"{'athlete page drawn in Chromium (6 charts)':48} {1000 * med:6.0f} ms {1000 * top:6.0f} ms   "
        f"{med / statistics.median(bare):5.2f}x a bare page ({1000 * statistics.median(bare):.0f} ms)   "
        f"target < 2 s: {'ok' if top < DRAW_TARGET_S else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
