"""The athlete page's data and `report --json` on the sample data as plain JSON, for
tests/test_one_pass.py: computed by whatever code is on sys.path, so the same function wrote
tests/fixtures/one_pass_sample.json from the code before the declared steps (issue 22 item 2)."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

# (athlete's place by name, first, last, as_of) of the athlete pages compared: the default 16 weeks,
# a short range inside the report's 12 weeks, and an as_of before the range's end.
END = dt.date(2026, 11, 22)
DAY = dt.timedelta(days=1)
PAGES = [
    *((i, END - dt.timedelta(weeks=16) + DAY, END, END) for i in range(4)),
    (0, END - dt.timedelta(weeks=3), END, END),
    (1, END - dt.timedelta(weeks=20), END, END - 10 * DAY),
]


def plain(value: Any) -> Any:
    """JSON-able with every float kept exactly (repr), frames as columns and rows."""
    if hasattr(value, "to_dict") and hasattr(value, "columns"):
        return {
            "columns": list(value.columns),
            "rows": [[plain(v) for v in row] for row in value.itertuples(False)],
        }
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return None if math.isnan(value) else repr(value)
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def pages(db: Path) -> dict[str, Any]:
    """Each PAGES athlete page's data (athlete_view.athlete_data), each athlete's report JSON and the
    compare JSON."""
    from dashboard import athlete_view, create_app
    from ingest.database.db import connect
    from queries import compare, report

    with connect(db, read_only=True) as con:
        names = [r[0] for r in con.execute("select name from athletes order by name").fetchall()]
        out: dict[str, Any] = {f"report {n}": json.loads(json.dumps(report(con, n, END, {}))) for n in names}
        out["compare"] = json.loads(json.dumps(compare(con, END, {})))
    with create_app(db).server.app_context():
        for i, first, last, day in PAGES:
            found = athlete_view.athlete_data(names[i], first, last, day)
            out[f"page {names[i]} {first} {last} {day}"] = plain(found)
    return out
