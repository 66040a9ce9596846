"""Benchmark: one pass per page (issue 22 item 2). How many times each analytics step runs per athlete
page render, and the server time of the athlete page, `report` and the coach overview, cold.

Data: bench/synth.py (1,000 athletes x 5 years, built once, cached). Baseline in the same run: the
previous commit's athlete page, i.e. its four calls (report, daily metrics, weekly balance, sessions)
each on its own, as `athlete_view.athlete_data` made them before the steps were declared
(queries/engine.py STEPS): the same SQL, each call ordering and running its own steps.
"Cold" clears the dashboard's cache and the overview's kept rows before each call and varies the
athlete; every call opens a new read-only connection (as a page does).
Targets (issue 22): athlete page cold < 150 ms server time, report < 30 ms, overview cold p95 < 150 ms,
the compare page < 300 ms (p95; its data: two athletes' reports and their weekly balance, timed against
ed51f14's way of asking for them, in turns). The report is also timed with the file opened as
`crosstrain report` opens it (a new DuckDB instance, not the dashboard's shared one) and as the whole
command in a new process: what a user waits for, Python's start and the imports included.
Each target line names the figure of the last quiet run (2026-11-29, bench/README.md) beside it; the page's
before and now are timed taking turns, and CPU time (this process, all threads) is printed beside wall
time, as the wall time of a shared machine says more about the neighbours than about the code.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import queries  # noqa: E402
from bench.synth import AS_OF, build_db  # noqa: E402
from bench.timing import Timing, alternate, measure  # noqa: E402
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


def command(db: Path, name: Callable[[int], str], runs: int) -> Timing:
    """`crosstrain report` as a user runs it, each in a new process (Python's start, imports, opening
    the file, the report, its tables printed); CPU time is the child's (user + system)."""
    exe = Path(sys.executable).with_name("crosstrain")
    env = {**os.environ, "CROSSTRAIN_DB": str(db), "COLUMNS": "120"}
    wall, cpu = [], []
    for i in range(runs + 1):
        args = [str(exe), "report", "--athlete", name(i), "--as-of", str(AS_OF)]
        t0, c0 = time.perf_counter(), os.times()
        subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
        c1 = os.times()
        if i:  # the first run warms the file system cache
            wall.append(time.perf_counter() - t0)
            cpu.append(c1.children_user + c1.children_system - c0.children_user - c0.children_system)
    return Timing(wall, cpu)


def runs_per_render(fn: object) -> dict[str, int]:
    engine.RUNS.clear()
    fn(0)
    return dict(engine.RUNS)


# The last quiet figures (2026-11-29, load average 1.2-1.6; bench/README.md), printed as each target's
# baseline: athlete page cold (median), report, overview cold (p95).
QUIET = {"page": 199, "report": 48, "overview": 364}


def line(
    label: str,
    t: Timing,
    target_ms: float | None = None,
    base: Timing | None = None,
    quiet_ms: float | None = None,
) -> str:
    ratio = (
        f"   {t.median / base.median:4.2f}x before (CPU {t.cpu_median / base.cpu_median:4.2f}x)"
        if base
        else ""
    )
    goal = (
        f"   target < {target_ms:.0f} ms: {'ok' if t.p95 < target_ms / 1000 else 'MISSED'}"
        if target_ms
        else ""
    )
    quiet = f" (quiet 11-29: {quiet_ms:.0f} ms)" if quiet_ms else ""
    return (
        f"{label:52} {1000 * t.median:6.0f} ms {1000 * t.p95:6.0f} ms {1000 * t.cpu_median:6.0f} ms"
        f"{ratio}{goal}{quiet}"
    )


def main() -> None:
    db = build_db()
    with connect(db, read_only=True) as con:
        n = con.execute("select count(*) from activities").fetchone()[0]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{n:,} activities, 1,000 athletes, as of {AS_OF} (load average {load}; {os.cpu_count()} cores)")
    app = create_app(db)
    from dashboard.pages import compare  # registers its page: after the app is made

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
        print(
            f"{'server time, cold (' + str(runs) + ' athletes)':52} {'median':>9} {'p95':>9} {'CPU med':>9}"
        )
        base, page = alternate([cold(page_before), cold(page_now)], runs)
        print(line("athlete page data, before (four calls apart)", base))
        print(line("athlete page data, now (one request)", page, 150, base, QUIET["page"]))
        render = measure(cold(lambda i: athlete_view.render(name(i), str(FIRST), str(AS_OF))), runs)
        print(line("athlete page callback with its charts, now", render, 150, None, QUIET["page"]))

        def report(i: int) -> object:
            with data.reading() as con:
                return queries.report(con, name(i), AS_OF, {})

        print(line("report (one athlete, new connection)", measure(report, runs), 30, None, QUIET["report"]))

        def report_cli_open(i: int) -> object:
            with connect(db, read_only=True) as con:
                return queries.report(con, name(i), AS_OF, {})

        print(line("report, the file opened as the CLI opens it", measure(report_cli_open, runs)))
        print(line("crosstrain report (a new process, whole command)", command(db, name, 7)))

        def compare_before(i: int) -> object:
            """The compare page's data as ed51f14 made it: each athlete's report, then the weekly
            balance, each call running its own steps."""
            with data.reading() as con:
                names = [name(i), name(i + 1)]
                return (
                    [queries.report(con, n, AS_OF, {}) for n in names],
                    queries.weekly_balance(
                        con, names, AS_OF - timedelta(weeks=compare.WEEKS) + timedelta(days=1), AS_OF, {}
                    ),
                )

        two = [cold(compare_before), cold(lambda i: compare.compare_data([name(i), name(i + 1)], AS_OF))]
        base, both = alternate(two, runs)
        print(line("compare page data (two athletes), before", base))
        print(line("compare page data (two athletes), one request", both, 300, base))
        overview = measure(cold(lambda i: data.overview(AS_OF)), 7)
        print(
            line("overview (1,000 athletes, new day: nothing kept)", overview, 150, None, QUIET["overview"])
        )


if __name__ == "__main__":
    main()
