"""Plotly figures from what queries/ returns: pure functions, testable without a browser.

They only arrange numbers for display (pivot, label, colour); every metric comes from queries/.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

CATEGORIES = ("run", "strength", "pilates", "mobility", "cross", "other")

# One colour per category everywhere (Tableau 10: distinct, and readable for most colour-blind people).
PALETTE: dict[str, str] = {
    "run": "#F28E2B",
    "strength": "#4E79A7",
    "pilates": "#B07AA1",
    "mobility": "#59A14F",
    "cross": "#76B7B2",
    "other": "#BAB0AC",
}
RISK_COLOURS: dict[str, str] = {"green": "#2E9E5B", "amber": "#E8A317", "red": "#D1342F"}
LINE = "#33415C"
BAND = "rgba(89, 161, 79, 0.15)"

# Reference lines the SPEC fixes: monotony warn/high (Foster 1998), ACWR sweet spot and spike flag
# (Gabbett 2016), and the support-share target (10% is where `low_support_share` warns).
MONOTONY_WARN, MONOTONY_HIGH = 1.5, 2.0
ACWR_BAND = (0.8, 1.3)
ACWR_SPIKE = 1.5
SUPPORT_TARGET = (0.10, 0.30)

SPARK_GLYPHS = "▁▂▃▄▅▆▇█"


def _layout(fig: go.Figure, title: str, y_title: str, height: int = 320) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 16}},
        template="plotly_white",
        height=height,
        margin={"l": 56, "r": 16, "t": 56, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        hovermode="x unified",
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
    )
    fig.update_yaxes(title_text=y_title, rangemode="tozero")
    return fig


def empty(title: str, message: str = "No sessions in this date range") -> go.Figure:
    """A titled figure that says why it is empty, instead of blank axes."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 14, "color": "#6c757d"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, "", height=220)


def _days(frame: pd.DataFrame, column: str = "day") -> pd.Series:
    return pd.to_datetime(frame[column])


def weekly_minutes(weekly: pd.DataFrame, title: str = "Weekly minutes by category") -> go.Figure:
    """Stacked weekly minutes per category, from `queries.weekly_balance` (long format)."""
    if weekly.empty:
        return empty(title)
    table = weekly.pivot_table(index="week", columns="category", values="minutes", aggfunc="sum")
    weeks = pd.to_datetime(table.index)
    fig = go.Figure()
    for cat in CATEGORIES:
        if cat in table.columns and table[cat].fillna(0).any():
            fig.add_bar(
                x=weeks,
                y=table[cat].fillna(0),
                name=cat,
                marker_color=PALETTE[cat],
                hovertemplate="%{y:.0f} min",
            )
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_xaxes(title_text="week starting (Monday)")
    return _layout(fig, title, "minutes per week")


def support_share(daily: pd.DataFrame, target: tuple[float, float] = SUPPORT_TARGET) -> go.Figure:
    """Support share (strength + Pilates + mobility of all minutes, 28 days) against its target band."""
    title = "Support share (last 28 days) against target"
    if daily.empty:
        return empty(title)
    fig = go.Figure()
    fig.add_hrect(y0=target[0], y1=target[1], fillcolor=BAND, line_width=0, layer="below")
    fig.add_hline(
        y=target[0],
        line={"color": PALETTE["mobility"], "dash": "dash", "width": 1},
        annotation_text=f"target ≥ {target[0]:.0%}",
        annotation_position="top left",
    )
    fig.add_scatter(
        x=_days(daily),
        y=daily["support_share"],
        name="support share",
        mode="lines",
        line={"color": PALETTE["strength"], "width": 2.5},
        hovertemplate="%{y:.0%}",
    )
    fig.update_yaxes(tickformat=".0%", range=[0, max(0.5, float(daily["support_share"].max() or 0) + 0.05)])
    fig.update_layout(showlegend=False)
    return _layout(fig, title, "share of minutes")


def monotony_strain(daily: pd.DataFrame) -> go.Figure:
    """Monotony (7 days) with its 1.5/2.0 lines, and strain on a second axis (Foster 1998)."""
    title = "Monotony and strain (7 days)"
    if daily.empty:
        return empty(title)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_bar(
        x=_days(daily),
        y=daily["strain"],
        name="strain (AU)",
        marker_color="rgba(51, 65, 92, 0.18)",
        hovertemplate="%{y:.0f} AU",
        secondary_y=True,
    )
    fig.add_scatter(
        x=_days(daily),
        y=daily["monotony"],
        name="monotony",
        mode="lines",
        line={"color": LINE, "width": 2.5},
        hovertemplate="%{y:.2f}",
        secondary_y=False,
    )
    for y, label, colour in (
        (MONOTONY_WARN, "warn 1.5", RISK_COLOURS["amber"]),
        (MONOTONY_HIGH, "high 2.0", RISK_COLOURS["red"]),
    ):
        fig.add_hline(
            y=y,
            line={"color": colour, "dash": "dash", "width": 1.5},
            annotation_text=label,
            annotation_position="top left",
            secondary_y=False,
        )
    _layout(fig, title, "monotony (mean / SD)")
    top = float(pd.to_numeric(daily["monotony"], errors="coerce").max() or 0)
    fig.update_yaxes(range=[0, max(2.6, top * 1.1)], secondary_y=False)
    fig.update_yaxes(title_text="strain (AU)", showgrid=False, secondary_y=True)
    return fig


def acwr(daily: pd.DataFrame, band: tuple[float, float] = ACWR_BAND) -> go.Figure:
    """Acute:chronic workload ratio with its 0.8-1.3 band and the 1.5 spike flag (Gabbett 2016)."""
    title = "Acute:chronic workload ratio (7 d / 28 d)"
    if daily.empty or daily["acwr"].isna().all():
        return empty(title, "Not enough history for a 28-day load yet")
    fig = go.Figure()
    fig.add_hrect(y0=band[0], y1=band[1], fillcolor=BAND, line_width=0, layer="below")
    fig.add_hline(
        y=ACWR_SPIKE,
        line={"color": RISK_COLOURS["red"], "dash": "dash", "width": 1.5},
        annotation_text="spike 1.5",
        annotation_position="top left",
    )
    fig.add_scatter(
        x=_days(daily),
        y=daily["acwr"],
        name="ACWR",
        mode="lines",
        line={"color": LINE, "width": 2.5},
        hovertemplate="%{y:.2f}",
    )
    fig.add_annotation(
        xref="paper",
        x=0.99,
        y=(band[0] + band[1]) / 2,
        text=f"{band[0]}–{band[1]}",
        showarrow=False,
        font={"color": PALETTE["mobility"]},
        xanchor="right",
    )
    top = float(pd.to_numeric(daily["acwr"], errors="coerce").max() or 0)
    fig.update_layout(showlegend=False)
    _layout(fig, title, "ratio")
    fig.update_yaxes(range=[0, max(2.0, top * 1.1)])
    return fig


def fitness_fatigue_form(daily: pd.DataFrame) -> go.Figure:
    """Fitness (42-day EWMA), fatigue (7-day EWMA) and form (their difference, previous day)."""
    title = "Fitness, fatigue and form"
    if daily.empty:
        return empty(title)
    days = _days(daily)
    fig = go.Figure()
    fig.add_bar(
        x=days,
        y=daily["form"],
        name="form",
        marker_color=[
            PALETTE["mobility"] if v >= 0 else RISK_COLOURS["red"] for v in daily["form"].fillna(0)
        ],
        opacity=0.45,
        hovertemplate="%{y:.0f} AU",
    )
    fig.add_scatter(
        x=days,
        y=daily["fitness"],
        name="fitness (42 d)",
        mode="lines",
        line={"color": PALETTE["strength"], "width": 2.5},
        hovertemplate="%{y:.0f} AU",
    )
    fig.add_scatter(
        x=days,
        y=daily["fatigue"],
        name="fatigue (7 d)",
        mode="lines",
        line={"color": PALETTE["run"], "width": 2},
        hovertemplate="%{y:.0f} AU",
    )
    _layout(fig, title, "load (AU per day)")
    fig.update_yaxes(rangemode="normal")
    return fig


def calendar(sessions: pd.DataFrame, start: str | pd.Timestamp, end: str | pd.Timestamp) -> go.Figure:
    """A calendar of sessions: one square per session (weeks across, weekdays down), coloured by category.

    Several sessions on one day sit side by side. Names are escaped: shown as text, never as markup.
    """
    title = "Calendar of sessions"
    if sessions.empty:
        return empty(title)
    frame = sessions.assign(day=pd.to_datetime(sessions["day"])).sort_values(["day", "start_local"])
    monday = frame["day"] - pd.to_timedelta(frame["day"].dt.day_of_week, unit="D")
    slot = frame.groupby("day").cumcount()
    count = frame.groupby("day")["day"].transform("size")
    frame = frame.assign(
        x=monday + pd.to_timedelta(3.5 + (slot - (count - 1) / 2) * 1.6, unit="D"),
        y=frame["day"].dt.day_of_week,
        label=frame["name"].fillna("").map(lambda s: html.escape(str(s))),
        km=frame["distance_km"].map(lambda v: "" if pd.isna(v) else f", {v:.1f} km"),
    )
    fig = go.Figure()
    for cat in CATEGORIES:
        part = frame[frame["category"] == cat]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["x"],
            y=part["y"],
            mode="markers",
            name=cat,
            marker={
                "symbol": "square",
                "color": PALETTE[cat],
                "size": (8 + part["minutes"].clip(0, 120) / 10).tolist(),
                "line": {"width": 0},
            },
            customdata=list(
                zip(
                    part["day"].dt.strftime("%a %d %b %Y"),
                    part["label"],
                    part["minutes"],
                    part["km"],
                    strict=True,
                )
            ),
            hovertemplate="%{customdata[0]}<br>" + cat + ": %{customdata[1]}<br>%{customdata[2]:.0f} min"
            "%{customdata[3]}<extra></extra>",
        )
    weeks = max(1, (pd.Timestamp(end) - pd.Timestamp(start)).days / 7)
    fig.update_yaxes(
        tickvals=list(range(7)),
        ticktext=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        autorange="reversed",
        showgrid=False,
        zeroline=False,
    )
    fig.update_xaxes(
        showgrid=False,
        range=[pd.Timestamp(start) - pd.Timedelta(days=3), pd.Timestamp(end) + pd.Timedelta(days=7)],
    )
    _layout(fig, title, "", height=260 if weeks <= 30 else 300)
    fig.update_layout(hovermode="closest")
    fig.update_yaxes(rangemode="normal", title_text="")
    return fig


def compare_weekly(weekly: pd.DataFrame, athletes: Sequence[str]) -> go.Figure:
    """Weekly stacked minutes by category, one panel per athlete, on a shared scale."""
    title = "Weekly balance side by side"
    if weekly.empty or not athletes:
        return empty(title)
    cols = min(len(athletes), 2)
    rows = -(-len(athletes) // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        shared_yaxes=True,
        shared_xaxes=True,
        subplot_titles=[html.escape(a) for a in athletes],
        vertical_spacing=0.12 if rows > 1 else 0.08,
        horizontal_spacing=0.04,
    )
    table = weekly.pivot_table(index=["athlete", "week"], columns="category", values="minutes", aggfunc="sum")
    for i, athlete in enumerate(athletes):
        r, c = divmod(i, cols)
        if athlete not in table.index.get_level_values(0):
            continue
        part = table.loc[athlete]
        for cat in CATEGORIES:
            if cat not in part.columns or not part[cat].fillna(0).any():
                continue
            fig.add_bar(
                x=pd.to_datetime(part.index),
                y=part[cat].fillna(0),
                name=cat,
                legendgroup=cat,
                showlegend=cat not in {t.name for t in fig.data},
                marker_color=PALETTE[cat],
                hovertemplate="%{y:.0f} min",
                row=r + 1,
                col=c + 1,
            )
    fig.update_layout(barmode="stack", bargap=0.15)
    _layout(fig, title, "", height=300 * rows + 40)
    for r in range(rows):
        fig.update_yaxes(title_text="minutes per week", row=r + 1, col=1)
    return fig


def compare_metric(rows: pd.DataFrame, column: str, title: str, fmt: str = ".2f") -> go.Figure:
    """One key metric for each athlete, as horizontal bars coloured by risk."""
    if rows.empty:
        return empty(title)
    fig = go.Figure(
        go.Bar(
            x=rows[column],
            y=[html.escape(a) for a in rows["athlete"]],
            orientation="h",
            marker_color=[RISK_COLOURS.get(r, LINE) for r in rows["risk"]],
            texttemplate="%{x:" + fmt + "}",
            textposition="auto",
            hovertemplate="%{x:" + fmt + "}<extra></extra>",
        )
    )
    _layout(fig, title, "", height=90 + 44 * len(rows))
    fig.update_layout(hovermode="closest", margin={"l": 160})
    fig.update_yaxes(autorange="reversed", rangemode="normal")
    if fmt.endswith("%"):
        fig.update_xaxes(tickformat=".0%")
    return fig


def spark(values: Sequence[float], top: float | None = None) -> str:
    """A text sparkline (one block glyph per value) for table cells; `top` fixes the scale."""
    vals = [0.0 if v is None or pd.isna(v) else float(v) for v in values]
    if not vals:
        return ""
    top = top if top is not None else max(vals)
    if top <= 0:
        return SPARK_GLYPHS[0] * len(vals)
    last = len(SPARK_GLYPHS) - 1
    return "".join(SPARK_GLYPHS[min(last, max(0, round(v / top * last)))] for v in vals)
