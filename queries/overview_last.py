"""The coach overview with each athlete as of their own last activity: a squad of imported histories
that end years apart is triaged on the last 28 days each athlete trained, not on today (when all of
them would read inactive).

Athletes that share a last day are computed together (`report.compare_rows` over their ids), so a
squad costs one pass per distinct last day; each row carries its own `as_of`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from queries import engine
from queries.frames import weekly_frame, weeks_path
from queries.params import Params, resolve
from queries.report import compare_rows, thresholds

LAST_DAYS = """
    select a.athlete_id, max(x.start_local)::date as last_day
    from athletes a join activities x using (athlete_id)
    where x.twin_of is null and not x.excluded
    group by a.athlete_id
"""


def overview_each_last(
    con: duckdb.DuckDBPyConnection, weeks: int, settings: dict[str, Any] | Params
) -> tuple[dict, pd.DataFrame]:
    """The compare JSON with every athlete (with any activity) as of their last activity day, each row
    with its own `as_of`, in compare's order; and their weekly balance over the `weeks` weeks to it.
    The JSON's own `as_of` is None: there is no one day."""
    params = resolve(settings)
    by_day: dict[date, list[int]] = defaultdict(list)
    for athlete_id, day in con.execute(LAST_DAYS).fetchall():
        by_day[day].append(athlete_id)
    found: list[tuple[tuple, dict]] = []
    frames = []
    for day, ids in sorted(by_day.items()):
        first = engine.monday(max(engine.EPOCH, day - timedelta(weeks=weeks) + timedelta(days=1)))
        with engine.request(con):
            sessions_from, stored = weeks_path(con, params, ids, first, day)
            for _, order, row in compare_rows(con, params, day, sessions_from, ids):
                found.append((order, {**row, "as_of": day.isoformat()}))
            frames.append(weekly_frame(con, first, day, stored))
    found.sort(key=lambda x: x[0])
    weekly = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return {"as_of": None, "athletes": [row for _, row in found], "thresholds": thresholds(params)}, weekly
