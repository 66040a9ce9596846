"""Benchmark: one pass per page (issue 22 item 2). How many times each analytics step runs per athlete
page render, and the server time of the athlete page, `report` and the coach overview, cold.

Data: bench/synth.py (1,000 athletes x 5 years, built once, cached). Baseline in the same run: the
previous commit's athlete page, i.e. its four calls (report, daily metrics, weekly balance, sessions)
each on its own, as `athlete_view.athlete_data` made them before the steps were declared
(queries/engine.py STEPS): the same SQL, each call ordering and running its own steps.
"Cold" clears the dashboard's cache and the overview's kept rows before each call and varies the
athlete; every call opens a new read-only connection (as a page does).
Targets (issue 22): athlete page cold < 150 ms server time, report < 30 ms, overview cold p95 < 150 ms.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import queries  # noqa: E402
from bench.synth import AS_OF, build_db  # noqa: E402
from bench.timing import Timing, measure  # noqa: E402
from dashboard import athlete_view, create_app, data  # noqa: E402
from ingest.database.db import connect  # noqa: E402
from queries import engine  # noqa: E402
from queries.overview_cache import OverviewCache  # noqa: E402
from queries.unlabelled import unlabelled  # noqa: E402

ATHLETES = [f"Synthetic athlete {i:04d}" for i in range(100, 1000, 45)]
FIRST = AS_OF - timedelta(weeks=athlete_view.DEFAULT_WEEKS) + timedelta(days=1)


def name(i: int) -> str:
    return ATHLETES[i % len(ATHLETES)]


def page_before(i: int) -> object:
    """The previous commit's athlete_data: four calls, each running its own steps."""
    with data.reading() as con:
        return (
            queries.report(con, name(i), as_of=AS_OF, settings={}),
            queries.daily_metrics(con, name(i), FIRST, AS_OF, settings={}),
            queries.weekly_balance(con, [name(i)], FIRST, AS_OF, settings={}),
            queries.sessions(con, name(i), FIRST, AS_OF, settings={}),
            unlabelled(con, name(i)),
        )


def page_now(i: int) -> object:
    """athlete_view.athlete_data: one request, each step once."""
    return athlete_view.athlete_data(name(i), FIRST, AS_OF, AS_OF)


def runs_per_render(fn: object) -> dict[str, int]:
    engine.RUNS.clear()
    fn(0)
    return dict(engine.RUNS)


def line(label: str, t: Timing, target_ms: float | None = None, base: Timing | None = None) -> str:
    ratio = f"   {t.median / base.median:4.2f}x before" if base else ""
    goal = (
        f"   target < {target_ms:.0f} ms: {'ok' if t.p95 < target_ms / 1000 else 'MISSED'}"
        if target_ms
        else ""
    )
    return f"{label:52} {1000 * t.median:6.0f} ms {1000 * t.p95:6.0f} ms{ratio}{goal}"


def main() -> None:
    db = build_db()
    with connect(db, read_only=True) as con:
        n = con.execute("select count(*) from activities").fetchone()[0]
    print(f"{n:,} activities, 1,000 athletes, as of {AS_OF} (load average {os.getloadavg()[0]:.1f})")
    app = create_app(db)
    with app.server.test_request_context("/"):
        cfg = data.config()

        def cold(fn):  # noqa: ANN001, ANN202 - a wrapper
            def run(i: int) -> object:
                cfg.cache.clear()
                cfg.overview = OverviewCache()
                return fn(i)

            return run

        before, now = runs_per_render(page_before), runs_per_render(page_now)
        print("step runs per athlete page render:  before -> now")
        for step in sorted(set(before) | set(now), key=lambda s: (-before.get(s, 0), s)):
            print(f"  {step:20} {before.get(step, 0):3d} -> {now.get(step, 0):d}")
        runs = 15
        print(f"{'server time, cold (' + str(runs) + ' athletes)':52} {'median':>9} {'p95':>9}")
        base = measure(page_before, runs)
        print(line("athlete page data, before (four calls apart)", base))
        print(line("athlete page data, now (one request)", measure(cold(page_now), runs), 150, base))
        render = measure(cold(lambda i: athlete_view.render(name(i), str(FIRST), str(AS_OF))), runs)
        print(line("athlete page callback with its charts, now", render, 150))

        def report(i: int) -> object:
            with data.reading() as con:
                return queries.report(con, name(i), AS_OF, {})

        print(line("report (one athlete, new connection)", measure(report, runs), 30))
        overview = measure(cold(lambda i: data.overview(AS_OF)), 7)
        print(line("overview (1,000 athletes, new day: all computed)", overview, 150))


if __name__ == "__main__":
    main()
