"""The coach overview kept per athlete between calls: after a write, only the athletes it changed are
computed again.

`frames.overview` reads every athlete's history (the HRmax pass and the fitness/fatigue carry over
about a million sessions for 1,000 athletes: ~300 ms); a write touches one athlete or a few. Each
athlete's part of the overview (its compare row, its sort key, its weekly rows) depends only on that
athlete's data, the settings and the days asked for. So the cache keeps the parts by athlete, with
the athlete's marker: its row in `athletes` (name, heart-rate settings, sex) and its change markers in
`athlete_versions`, which every write to its activities or activity files renews in the writer's
transaction (ingest/database/versions.py). A call reads the markers (one small query), recomputes the athletes
whose marker changed or who are new, drops the ones deleted, and answers exactly what
`frames.overview` answers (tests/test_overview_cache.py holds it to that). Other settings or other
days: everything again.

The markers are read before the data: an athlete written meanwhile is computed from rows at least as
new as its marker says, so the next call computes it again rather than serving it stale.
One object per process (the dashboard keeps one); calls are serialised by a lock. A cold call over
stored values computes the weekly rows on a second cursor while the compare rows are computed
(frames.overview_apart: the machine's other core), and the 28-day cells by category and the hip
sets with them; first there the EWMA carry and the run level, unless the first cursor reaches them
before (frames.Early), whose rows the compare rows then load.

A call runs with Python's cyclic garbage collector paused (`_gc_paused`): its rows, dicts and tuples
set off ~25 young collections a cold call, which promote the ones alive at that moment, and every ~6
calls the promoted objects set off a full collection of the whole process (40-90 ms in the dashboard's
process: most of the gap between the overview's median and its p95; overview4's notes). Paused, they
are freed by their reference counts when the call ends and never reach the old generation.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from ingest.categories import CATEGORIES
from queries import engine
from queries.frames import Early, overview_apart, weekly_frame, weeks_path
from queries.params import Params, resolve
from queries.report import compare_json, compare_rows

# The thread that computes a cold overview's parts apart (frames.overview_apart), one per process and
# kept: starting a thread for each call waited for the scheduler on a busy machine (up to ~10 ms).
_APART = ThreadPoolExecutor(1, thread_name_prefix="overview-apart")

MARKERS = """
    select a.athlete_id, a.name, a.hr_max, a.hr_rest, a.sex,
           string_agg(v.version, ',' order by v.version) as versions
    from athletes a left join athlete_versions v on v.athlete_id = a.athlete_id
    group by all
"""


@dataclass
class _Part:
    """One athlete's share of the overview and the marker it was computed at."""

    marker: tuple
    order: tuple
    row: dict


@dataclass
class OverviewCache:
    """`overview(con, as_of, start, settings)`: frames.overview's answer, recomputing only athletes whose
    data changed since the last call with the same days and settings."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    key: tuple | None = None
    parts: dict[int, _Part] = field(default_factory=dict)
    weekly: pd.DataFrame | None = None
    computed: list[str] = field(default_factory=list)  # names of the athletes the last call computed

    def overview(
        self, con: duckdb.DuckDBPyConnection, as_of: date, start: date, settings: dict[str, Any] | Params
    ) -> tuple[dict, pd.DataFrame]:
        with _gc_paused():
            params = resolve(settings)
            engine.check_days(start, as_of)
            first = engine.monday(start)
            key = (as_of, first, repr(params))
            with self.lock:
                markers = {r[0]: tuple(r[1:]) for r in con.execute(MARKERS).fetchall()}
                if key != self.key:
                    self.key, self.parts, self.weekly = key, {}, None
                stale = sorted(
                    i for i, m in markers.items() if i not in self.parts or self.parts[i].marker != m
                )
                gone = any(i not in markers for i in self.parts)
                if self.weekly is None or stale or gone:
                    self._update(con, params, as_of, first, markers, stale)
                self.computed = sorted(self.parts[i].row["athlete"] for i in stale if i in self.parts)
                rows = sorted(self.parts.values(), key=lambda p: p.order)
                return compare_json(as_of, [p.row for p in rows], params), self.weekly.copy()

    def _update(
        self,
        con: duckdb.DuckDBPyConnection,
        params: Params,
        as_of: date,
        first: date,
        markers: dict[int, tuple],
        stale: list[int],
    ) -> None:
        """Recompute the `stale` athletes (everyone when nothing is kept), drop the deleted ones, and
        merge the weekly rows. Computed first, stored last: a failure leaves the cache as it was."""
        full = self.weekly is None
        kept = {} if full else {i: p for i, p in self.parts.items() if i in markers and i not in stale}
        found: list = []
        fresh = None
        if full or stale:
            with engine.request(con):
                ids = None if full else stale
                sessions_from, stored = weeks_path(con, params, ids, first, as_of)
                if stored == "all" and isinstance(con, duckdb.DuckDBPyConnection):
                    # every athlete, from the stored rows: the weekly frame, the 28-day cells by category
                    # and the hip sets need none of this request's tables, so a second cursor computes
                    # them meanwhile (the other core: ~30 ms less wall of ~170 on a quiet 2-core
                    # machine), over the same athletes; the compare rows wait for them when they need
                    # them. Before them it makes the carry and the run level (Early: ~35 ms of the
                    # compare rows' path), unless the compare rows reach one first.
                    everyone = [r[0] for r in con.execute("select athlete_id from q_scope").fetchall()]
                    early = Early()
                    apart = _APART.submit(overview_apart(con, params, everyone, first, as_of, early))
                    try:
                        found = compare_rows(
                            con, params, as_of, sessions_from, ids, lambda: apart.result()[0], early.given()
                        )
                        fresh = apart.result()[1]
                    finally:
                        wait([apart])  # its cursor closed before `con` may be
                else:
                    found = compare_rows(con, params, as_of, sessions_from, ids)
                    fresh = weekly_frame(con, first, as_of, stored) if full or found else None
        parts = dict(kept)
        for athlete_id, order, row in found:
            # an athlete added since the markers were read: None, so the next call computes it again
            parts[athlete_id] = _Part(markers.get(athlete_id), order, row)
        if full:
            weekly = fresh
        else:
            keep = {p.row["athlete"] for p in kept.values()}
            block = ((as_of - first).days // 7 + 1) * len(CATEGORIES)  # weeks x categories an athlete
            weekly = _merged(self.weekly, keep, fresh, block)
        self.parts, self.weekly = parts, weekly


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside the block (reference counting frees as always), back on
    after it unless something else had turned it off. Process-wide: another thread's garbage waits for
    the collector meanwhile (a call lasts ~0.2 s), and a second thread pausing at once only means the
    collector may come back a little early."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _merged(kept: pd.DataFrame, keep: set[str], fresh: pd.DataFrame | None, block: int) -> pd.DataFrame:
    """The rows of the athletes `keep` from `kept` and every row of `fresh`, athletes by name, each
    athlete's rows in the order they came (week, category), as one weekly_frame call orders them.

    Every athlete has `block` rows (weekly_balance.sql's grid: weeks x categories), so an athlete's rows
    are the block starting at its first row: no per-row work on the 54,000 names."""
    frame = kept if fresh is None or not len(fresh) else pd.concat([kept, fresh], ignore_index=True)
    starts: dict[str, int] = {}
    for i, name in enumerate(kept["athlete"].iloc[::block]):
        if name in keep:
            starts[name] = i * block
    if fresh is not None:
        for i, name in enumerate(fresh["athlete"].iloc[::block]):
            starts[name] = len(kept) + i * block
    first_rows = np.array([starts[name] for name in sorted(starts)], dtype=np.int64)
    rows = (first_rows[:, None] + np.arange(block, dtype=np.int64)).ravel()
    return frame.take(rows).reset_index(drop=True)
