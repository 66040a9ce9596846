"""Figures of the plan page: the charts continue into the planned weeks, drawn apart from done ones.

Pure functions over what queries.plan.projected_series returns; planned weeks are pale, hatched bars
and the daily lines turn dashed after the last day of done history. Reference lines and their labels
come from the thresholds in force (dashboard/thresholds.py), drawn as on the athlete page.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.figures import CATEGORIES, DEFAULT_LINES, LINE, PALETTE, Figure, _figure, empty, reference

PLANNED = {"opacity": 0.45, "marker_pattern": "/"}
# The threshold each daily chart is read against (the warning it would raise).
REFERENCE_OF = {"acwr": "acwr_high", "support_share": "support_share_target", "monotony": "monotony_warn"}


def weekly_projected(weekly: pd.DataFrame) -> Figure:
    """Stacked weekly minutes by category: done minutes solid, planned ones (`planned_minutes`) pale
    and hatched, so the current week shows both."""
    title = "Weekly minutes by category: done, then planned (hatched)"
    if weekly.empty:
        return empty(title)
    frame = weekly.assign(done_minutes=weekly["minutes"] - weekly["planned_minutes"])
    labels = pd.to_datetime(sorted(frame["week"].unique())).strftime("%Y-%m-%d").tolist()
    traces = []
    for is_plan in (False, True):
        column = "planned_minutes" if is_plan else "done_minutes"
        table = frame.pivot_table(index="week", columns="category", values=column, aggfunc="sum").fillna(0)
        for cat in CATEGORIES:
            if cat not in table.columns or not (table[cat] > 1e-9).any():
                continue
            traces.append(
                {
                    "type": "bar",
                    "x": labels,
                    "y": [round(float(v), 1) if v > 1e-9 else None for v in table[cat]],
                    "name": f"{cat} (planned)" if is_plan else cat,
                    "legendgroup": cat,
                    "marker": {
                        "color": PALETTE[cat],
                        "opacity": PLANNED["opacity"] if is_plan else 1,
                        "pattern": {"shape": PLANNED["marker_pattern"] if is_plan else ""},
                    },
                    "hovertemplate": "%{y:.0f} min" + (" planned" if is_plan else ""),
                }
            )
    return _figure(
        traces,
        title,
        "minutes per week",
        barmode="stack",
        bargap=0.15,
        xaxis={"title": {"text": "week starting (Monday)"}},
    )


def daily_projected(
    daily: pd.DataFrame,
    as_of: dt.date,
    column: str,
    title: str,
    fmt: str = ".2f",
    lines: dict[str, float] = DEFAULT_LINES,
) -> Figure:
    """One daily metric: solid up to `as_of`, dashed over the plan, with its reference line at the
    threshold in force (`lines`)."""
    if daily.empty:
        return empty(title)
    days = pd.to_datetime(daily["day"])
    values = daily[column].astype(float).where(daily[column].notna(), None)
    done = days.dt.date <= as_of
    traces = []
    for is_plan in (False, True):
        mask = ~done if is_plan else done
        if is_plan and mask.any() and done.any():  # join the dashed line to the last done day
            mask = mask | (days == days[done].max())
        if not mask.any():
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": days[mask].dt.strftime("%Y-%m-%d").tolist(),
                "y": [None if pd.isna(v) else float(v) for v in values[mask]],
                "name": "planned" if is_plan else "done",
                "line": {"color": LINE, "dash": "dash" if is_plan else "solid", "width": 2},
                "hovertemplate": f"%{{y:{fmt}}}" + (" (planned)" if is_plan else ""),
            }
        )
    drawn = [reference(REFERENCE_OF[column], lines)] if column in REFERENCE_OF else []
    return _figure(
        traces,
        title,
        column.replace("_", " "),
        height=260,
        shapes=[shape for shape, _ in drawn],
        annotations=[note for _, note in drawn],
    )
