"""The plan page's figures: planned weeks hatched and pale, planned days dashed; valid for plotly."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashboard import plan_figures

AS_OF = dt.date(2026, 11, 4)  # a Wednesday: its week is the last done one


def test_weekly_projected_hatches_the_planned_minutes():
    weekly = pd.DataFrame(
        {
            "week": pd.to_datetime(["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"] * 2),
            "category": ["run"] * 4 + ["strength"] * 4,
            "minutes": [200, 210, 230, 250, 30, 0, 30, 30],
            # the week of 2 Nov is half done, half planned
            "planned_minutes": [0, 110, 230, 250, 0, 0, 30, 30],
        }
    )
    fig = plan_figures.weekly_projected(weekly)
    go.Figure(fig)  # plotly's full validation
    by_name = {t["name"]: t for t in fig["data"]}
    assert by_name["run"]["y"] == [200, 100, None, None]
    assert by_name["run (planned)"]["y"] == [None, 110, 230, 250]
    assert by_name["run (planned)"]["marker"]["pattern"]["shape"] == "/"
    assert by_name["strength"]["y"] == [30, None, None, None]
    assert by_name["strength (planned)"]["y"] == [None, None, 30, 30]


def test_daily_projected_dashes_after_the_last_done_day():
    days = pd.date_range("2026-11-01", "2026-11-08")
    daily = pd.DataFrame({"day": days, "acwr": [1.0, 1.1, None, 1.2, 1.3, 1.4, 1.5, 1.6]})
    fig = plan_figures.daily_projected(daily, AS_OF, "acwr", "ACWR")
    go.Figure(fig)
    done, planned = fig["data"]
    assert done["x"][-1] == planned["x"][0] == "2026-11-04"  # the dashed line starts where done ends
    assert done["line"]["dash"] == "solid" and planned["line"]["dash"] == "dash"
    assert done["y"] == [1.0, 1.1, None, 1.2]
    assert fig["layout"]["shapes"][0]["y0"] == 1.5  # the ACWR spike flag
