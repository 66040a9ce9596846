"""Plotly figures from what queries/ returns: pure functions, testable without a browser.

They only arrange numbers for display (pivot, label, colour); every metric comes from queries/.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

Figure = dict[str, Any]  # {"data": [...], "layout": {...}}: what dcc.Graph takes

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
# The CLI's risk words; grey for an athlete without recent activity (no verdict either way).
RISK_COLOURS: dict[str, str] = {
    "green": "#2E9E5B",
    "amber": "#E8A317",
    "red": "#D1342F",
    "inactive": "#8A939B",
}
LINE = "#33415C"
BAND = "rgba(89, 161, 79, 0.15)"

# The reference lines at the default thresholds (queries/params.py); pages pass the thresholds in
# force (dashboard/thresholds.py), so a changed setting moves the line with the warning.
DEFAULT_LINES: dict[str, float] = {
    "support_share_target": 0.10,
    "monotony_warn": 1.5,
    "monotony_high": 2.0,
    "acwr_low": 0.8,
    "acwr_high": 1.5,
}

SPARK_GLYPHS = "▁▂▃▄▅▆▇█"


AXIS = {"gridcolor": "#EDF0F3", "linecolor": "#C9D0D8", "zeroline": False, "automargin": True}
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12, "color": "#2B3A4A"}


def _figure(data: list[dict], title: str, y_title: str, height: int = 320, **layout: object) -> Figure:
    """A plotly figure as plain JSON-ready dicts, the same look everywhere.

    Plain dicts because plotly's objects, templates and helpers (add_hline, make_subplots) validate
    and copy far more than they draw: 5-10x the time. The tests check them with plotly's validator.
    """
    legend = layout.get("showlegend", True) and len(data) > 1
    base: dict = {
        "title": {
            "text": title,
            "x": 0.01,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "font": {"size": 16},
        },
        "height": height,
        # As wide as automargin makes them for x tick labels (46 px; 60 with an axis title, 60 on the
        # right for a second y axis): already wide enough, plotly draws each chart once, not twice.
        "margin": {"l": 56, "r": 16, "t": 76 if legend else 48, "b": 46},
        # Under the title, left-aligned: stays clear of it on a phone's narrow screen too.
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0.0},
        "hovermode": "x unified",
        "font": FONT,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": dict(AXIS),
        "yaxis": {**AXIS, "title": {"text": y_title}, "rangemode": "tozero"},
    }
    for key, value in layout.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return {"data": data, "layout": base}


def level(x: float) -> str:
    """A threshold as people write it: 2.0, 1.5, 0.85 (not 2 or 1.50)."""
    return f"{x:.1f}" if round(x, 1) == x else f"{x:.2f}".rstrip("0")


def _hline(y: float, colour: str, label: str, yref: str = "y") -> tuple[dict, dict]:
    """A dashed reference line across the plot and its label at the left end."""
    shape = {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "yref": yref,
        "y0": y,
        "y1": y,
        "line": {"color": colour, "dash": "dash", "width": 1.5},
    }
    note = {
        "text": label,
        "xref": "paper",
        "x": 0.005,
        "yref": yref,
        "y": y,
        "yanchor": "bottom",
        "xanchor": "left",
        "showarrow": False,
        "font": {"color": colour, "size": 11},
        "bgcolor": "rgba(255, 255, 255, 0.85)",
    }
    return shape, note


# Each threshold drawn as a line: its colour and its label, the same on every page.
REFERENCES: dict[str, tuple[str, Callable[[float], str]]] = {
    "support_share_target": (PALETTE["mobility"], lambda v: f"target ≥ {v:.0%}"),
    "monotony_warn": (RISK_COLOURS["amber"], lambda v: f"warn {level(v)}"),
    "monotony_high": (RISK_COLOURS["red"], lambda v: f"high {level(v)}"),
    "acwr_high": (RISK_COLOURS["red"], lambda v: f"spike {level(v)}"),
}


def reference(name: str, lines: dict[str, float]) -> tuple[dict, dict]:
    """The line at threshold `name` in force (`lines`: dashboard/thresholds.py) and its label."""
    colour, label = REFERENCES[name]
    return _hline(lines[name], colour, label(lines[name]))


def _band(y0: float, y1: float) -> dict:
    return {
        "type": "rect",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": y0,
        "y1": y1,
        "fillcolor": BAND,
        "line": {"width": 0},
        "layer": "below",
    }


def empty(title: str, message: str = "No sessions in this date range") -> Figure:
    """A titled figure that says why it is empty, instead of blank axes."""
    note = {"text": message, "showarrow": False, "font": {"size": 14, "color": "#6c757d"}, "x": 0.5, "y": 0.5}
    return _figure(
        [],
        title,
        "",
        height=220,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[{**note, "xref": "paper", "yref": "paper"}],
        margin={"b": 40},
    )


def _days(frame: pd.DataFrame, column: str = "day") -> list[str]:
    """ISO dates: what the browser gets anyway, and JSON-encoded without a per-value fallback."""
    return iso_days(frame[column])


def iso_days(values: Any) -> list[str]:
    """Dates (or timestamps: their day) as 'YYYY-MM-DD' strings, in one numpy call."""
    if isinstance(values, pd.Series) and values.dtype.kind == "M" and isinstance(values.dtype, np.dtype):
        days = values.to_numpy().astype("datetime64[D]")  # already numpy datetimes: no parsing pass
    else:
        days = pd.to_datetime(values).to_numpy(dtype="datetime64[D]")
    return np.datetime_as_string(days, unit="D").tolist()


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as numpy numbers, unreadable values as NaN; a numpy float column as it is (pandas'
    `to_numeric` costs ~0.1 ms a call even then, and a page makes a dozen)."""
    col = frame[column]
    if isinstance(col.dtype, np.dtype) and col.dtype.kind == "f":
        return col.to_numpy()
    return pd.to_numeric(col, errors="coerce").to_numpy()


def _values(frame: pd.DataFrame, column: str) -> list:
    """A column as a list with gaps as None (JSON null), so lines break instead of failing."""
    col = _numbers(frame, column)
    finite = np.isfinite(col.astype(float))
    return np.where(finite, col.astype(object), None).tolist()


def _top(frame: pd.DataFrame, column: str) -> float:
    col = _numbers(frame, column).astype(float)
    finite = col[np.isfinite(col)]
    return float(finite.max()) if finite.size else 0.0


def _stacked_bars(table: pd.DataFrame, **trace: object) -> list[dict]:
    """One bar trace per category present (columns of `table`), in category order, palette colours."""
    weeks = iso_days(table.index)
    bars = []
    for cat in CATEGORIES:
        if cat not in table.columns:
            continue
        minutes = table[cat].to_numpy()  # gaps as 0, in numpy (pandas' fillna: ~0.1 ms a call)
        minutes = (
            np.where(np.isnan(minutes), 0.0, minutes) if minutes.dtype.kind == "f" else table[cat].fillna(0)
        )
        if minutes.any():
            bars.append(
                {
                    "type": "bar",
                    "x": weeks,
                    "y": minutes.tolist(),
                    "name": cat,
                    "marker": {"color": PALETTE[cat]},
                    "hovertemplate": "%{y:.0f} min",
                    **trace,
                }
            )
    return bars


def weekly_minutes(weekly: pd.DataFrame, title: str = "Weekly minutes by category") -> Figure:
    """Stacked weekly minutes per category, from `queries.weekly_balance` (long format)."""
    if weekly.empty:
        return empty(title)
    return _figure(
        _stacked_bars(_week_table(weekly)),
        title,
        "minutes per week",
        barmode="stack",
        bargap=0.15,
        xaxis={"title": {"text": "week starting (Monday)"}},
        margin={"b": 60},
    )


def _week_table(weekly: pd.DataFrame) -> pd.DataFrame:
    """Minutes per week (rows, in order) and category (columns), summed: a pivot in numpy (pandas'
    pivot_table took 4 ms of a page for a few dozen rows)."""
    weeks, week_at = np.unique(weekly["week"].to_numpy(dtype="datetime64[D]"), return_inverse=True)
    cats, cat_at = np.unique(weekly["category"].to_numpy(dtype=object).astype(str), return_inverse=True)
    minutes = np.zeros((len(weeks), len(cats)))
    np.add.at(minutes, (week_at, cat_at), np.nan_to_num(weekly["minutes"].to_numpy(dtype=float)))
    return pd.DataFrame(minutes, index=pd.DatetimeIndex(weeks), columns=cats)


# Seiler's three intensity zones (queries/files.py), coloured easy to hard (Tableau 10).
INTENSITIES = ("low", "moderate", "high")
INTENSITY_COLOURS: dict[str, str] = {"low": "#59A14F", "moderate": "#EDC948", "high": "#E15759"}


def has_intensity(weeks: Sequence[dict[str, Any]]) -> bool:
    """Whether any report week has minutes in an intensity zone (they come from HR samples only)."""
    return any(
        w.get("intensity") and any((w["intensity"].get(k) or 0) > 0 for k in INTENSITIES) for w in weeks
    )


def intensity_distribution(
    weeks: Sequence[dict[str, Any]], title: str = "Weekly intensity (runs and cross-training)"
) -> Figure:
    """Stacked minutes at low, moderate and high intensity per week, from the report's `weeks`
    (a week without HR samples shows no bar); empty when no week has any."""
    if not has_intensity(weeks):
        return empty(title, "No heart-rate samples from activity files")
    x = [w["week"] for w in weeks]
    data = [
        {
            "type": "bar",
            "x": x,
            "y": [(w.get("intensity") or {}).get(zone) or 0.0 for w in weeks],
            "name": zone,
            "marker": {"color": INTENSITY_COLOURS[zone]},
            "hovertemplate": "%{y:.0f} min",
        }
        for zone in INTENSITIES
    ]
    return _figure(
        data,
        title,
        "minutes per week",
        height=260,
        barmode="stack",
        bargap=0.15,
        xaxis={"title": {"text": "week starting (Monday)"}},
        margin={"b": 60},
    )


def support_share(daily: pd.DataFrame, lines: dict[str, float] = DEFAULT_LINES) -> Figure:
    """Support share (strength + Pilates + mobility of all minutes, 28 days) against its target: the
    share below which `low_support_share` warns; the shaded area above it is where no warning fires."""
    title = "Support share (last 28 days) against target"
    if daily.empty:
        return empty(title)
    target = lines["support_share_target"]
    line, note = reference("support_share_target", lines)
    top = max(0.5, _top(daily, "support_share") + 0.05, target + 0.1)
    trace = {
        "type": "scatter",
        "x": _days(daily),
        "y": _values(daily, "support_share"),
        "name": "support share",
        "mode": "lines",
        "line": {"color": PALETTE["strength"], "width": 2.5},
        "hovertemplate": "%{y:.0%}",
    }
    return _figure(
        [trace],
        title,
        "share of minutes",
        shapes=[_band(target, top), line],
        annotations=[note],
        showlegend=False,
        yaxis={"tickformat": ".0%", "range": [-0.015, top]},
    )


def monotony_strain(daily: pd.DataFrame, lines: dict[str, float] = DEFAULT_LINES) -> Figure:
    """Monotony (7 days) with its warn and high lines, and strain on a second axis (Foster 1998)."""
    title = "Monotony and strain (7 days)"
    if daily.empty:
        return empty(title)
    days = _days(daily)
    traces = [
        {
            # An area, not 100+ bars: one SVG path draws much faster on a phone.
            "type": "scatter",
            "x": days,
            "y": _values(daily, "strain"),
            "name": "strain (AU)",
            "mode": "lines",
            "fill": "tozeroy",
            "line": {"color": "rgba(51, 65, 92, 0.25)", "width": 0.5, "shape": "hv"},
            "fillcolor": "rgba(51, 65, 92, 0.12)",
            "hovertemplate": "%{y:.0f} AU",
            "yaxis": "y2",
        },
        {
            "type": "scatter",
            "x": days,
            "y": _values(daily, "monotony"),
            "name": "monotony",
            "mode": "lines",
            "line": {"color": LINE, "width": 2.5},
            "hovertemplate": "%{y:.2f}",
        },
    ]
    high_at = lines["monotony_high"]
    warn, high = reference("monotony_warn", lines), reference("monotony_high", lines)
    return _figure(
        traces,
        title,
        "monotony (mean / SD)",
        shapes=[warn[0], high[0]],
        annotations=[{**warn[1], "yanchor": "top"}, high[1]],
        yaxis={"range": [0, max(2.6, high_at * 1.3, _top(daily, "monotony") * 1.1)]},
        yaxis2={
            **AXIS,
            "title": {"text": "strain (AU)"},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "rangemode": "tozero",
        },
        margin={"r": 60},
    )


def acwr(daily: pd.DataFrame, lines: dict[str, float] = DEFAULT_LINES) -> Figure:
    """Acute:chronic workload ratio with its flags (Gabbett 2016): the band between the low and the
    spike thresholds flags nothing; above the spike line `acwr_spike` may fire."""
    title = "Acute:chronic workload ratio (7 d / 28 d)"
    if daily.empty or not any(v is not None for v in _values(daily, "acwr")):
        return empty(title, "Not enough history for a 28-day load yet")
    low, high = lines["acwr_low"], lines["acwr_high"]
    spike, spike_note = reference("acwr_high", lines)
    band_note = {
        "text": f"{level(low)}–{level(high)}",
        "xref": "paper",
        "x": 0.995,
        "y": (low + high) / 2,
        "xanchor": "right",
        "showarrow": False,
        "font": {"color": PALETTE["mobility"], "size": 11},
    }
    trace = {
        "type": "scatter",
        "x": _days(daily),
        "y": _values(daily, "acwr"),
        "name": "ACWR",
        "mode": "lines",
        "line": {"color": LINE, "width": 2.5},
        "hovertemplate": "%{y:.2f}",
    }
    return _figure(
        [trace],
        title,
        "ratio",
        shapes=[_band(low, high), spike],
        annotations=[spike_note, band_note],
        showlegend=False,
        yaxis={"range": [0, max(2.0, high * 1.3, _top(daily, "acwr") * 1.1)]},
    )


def fitness_fatigue_form(daily: pd.DataFrame) -> Figure:
    """Fitness (42-day EWMA), fatigue (7-day EWMA) and form (their difference, previous day)."""
    title = "Fitness, fatigue and form"
    if daily.empty:
        return empty(title)
    days = _days(daily)
    form = _numbers(daily, "form").astype(float)
    known = ~np.isnan(form)
    # Form above zero (fresh) in green, below (tired) in red: two areas, not a bar per day.
    traces = [
        {
            "type": "scatter",
            "x": days,
            "y": np.where(known, part.astype(object), None).tolist(),
            "name": name,
            "mode": "lines",
            "fill": "tozeroy",
            "line": {"width": 0, "shape": "hv"},
            "fillcolor": colour,
            "hovertemplate": "%{y:.0f} AU",
            "showlegend": name == "form",
        }
        for name, colour, part in (
            ("form", "rgba(89, 161, 79, 0.35)", np.clip(form, 0, None)),
            ("form (tired)", "rgba(209, 52, 47, 0.30)", np.clip(form, None, 0)),
        )
    ]
    traces += [
        {
            "type": "scatter",
            "x": days,
            "y": _values(daily, "fitness"),
            "name": "fitness (42 d)",
            "mode": "lines",
            "line": {"color": PALETTE["strength"], "width": 2.5},
            "hovertemplate": "%{y:.0f} AU",
        },
        {
            "type": "scatter",
            "x": days,
            "y": _values(daily, "fatigue"),
            "name": "fatigue (7 d)",
            "mode": "lines",
            "line": {"color": PALETTE["run"], "width": 2},
            "hovertemplate": "%{y:.0f} AU",
        },
    ]
    return _figure(traces, title, "load (AU per day)", yaxis={"rangemode": "normal"})


def calendar(sessions: pd.DataFrame, start: str | pd.Timestamp, end: str | pd.Timestamp) -> Figure:
    """A calendar of sessions: one square per session (weeks across, weekdays down), coloured by category.

    Several sessions on one day sit side by side. Names are escaped: shown as text, never as markup.
    """
    title = "Calendar of sessions"
    if sessions.empty:
        return empty(title)
    # Arranged in numpy (pandas' groupby, timedeltas and per-row maps took ~14 ms of a page).
    day = sessions["day"].to_numpy(dtype="datetime64[D]")
    order = np.lexsort((sessions["start_local"].to_numpy(dtype="datetime64[us]"), day))
    day = day[order]
    new_day = np.r_[True, day[1:] != day[:-1]]
    first_of_day = np.flatnonzero(new_day)
    group = np.cumsum(new_day) - 1
    slot = np.arange(len(day)) - first_of_day[group]
    count = np.diff(np.r_[first_of_day, len(day)])[group]
    weekday = (day.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    offset = pd.to_timedelta(3.5 + (slot - (count - 1) / 2) * 1.6, unit="D").to_numpy()
    # Written by numpy, not pandas' strftime (a Python call per value: ~1.5 ms of a page).
    stamps = ((day - weekday).astype("datetime64[ns]") + offset).astype("datetime64[m]")
    x = np.array(
        [s.replace("T", " ") for s in np.datetime_as_string(stamps, unit="m").tolist()], dtype=object
    )
    days, day_at = np.unique(day, return_inverse=True)
    shown = [d.strftime("%a %d %b %Y") for d in days.astype(object)]
    when = [shown[i] for i in day_at.tolist()]
    names = sessions["name"].to_numpy(dtype=object)[order]
    km_values = pd.to_numeric(sessions["distance_km"]).to_numpy(dtype=float)[order]
    minutes = sessions["minutes"].to_numpy()[order]
    category = sessions["category"].to_numpy(dtype=object)[order]
    label = [html.escape("" if n is None or n is pd.NA or n != n else str(n)) for n in names]
    km = ["" if np.isnan(v) else f", {v:.1f} km" for v in km_values]
    traces = []
    for cat in CATEGORIES:
        at = np.flatnonzero(category == cat)
        if not len(at):
            continue
        traces.append(
            {
                "type": "scatter",
                "x": x[at].tolist(),
                "y": weekday[at].tolist(),
                "mode": "markers",
                "name": cat,
                "marker": {
                    "symbol": "square",
                    "color": PALETTE[cat],
                    "size": (8 + np.clip(minutes[at], 0, 120) / 10).tolist(),
                    "line": {"width": 0},
                },
                "customdata": [[when[i], label[i], minutes[i].item(), km[i]] for i in at],
                "hovertemplate": "%{customdata[0]}<br>"
                + cat
                + ": %{customdata[1]}<br>%{customdata[2]:.0f} min"
                "%{customdata[3]}<extra></extra>",
            }
        )
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    return _figure(
        traces,
        title,
        "",
        height=260 if (last - first).days <= 210 else 300,
        hovermode="closest",
        xaxis={
            "showgrid": False,
            "range": [str((first - pd.Timedelta(days=3)).date()), str((last + pd.Timedelta(days=7)).date())],
        },
        yaxis={
            "tickvals": list(range(7)),
            "ticktext": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            "autorange": "reversed",
            "showgrid": False,
            "rangemode": "normal",
        },
        margin={"b": 40},  # its tick labels need 46 px on a wide screen, 40 on a phone's
    )


def compare_weekly(weekly: pd.DataFrame, athletes: Sequence[str]) -> Figure:
    """Weekly stacked minutes by category, one panel per athlete (two across), on a shared scale."""
    title = "Weekly balance side by side"
    if weekly.empty or not athletes:
        return empty(title)
    cols = min(len(athletes), 2)
    rows = -(-len(athletes) // cols)
    gap_x, gap_y = 0.05, 90 / (300 * rows - 100)  # room for the x labels and the next panel's title
    width, height = (1 - gap_x * (cols - 1)) / cols, (1 - gap_y * (rows - 1)) / rows
    table = weekly.pivot_table(index=["athlete", "week"], columns="category", values="minutes", aggfunc="sum")
    top = float(table.fillna(0).sum(axis=1).max() or 0) * 1.05 or 1.0
    traces: list[dict] = []
    axes: dict = {}
    titles = []
    seen: set[str] = set()
    for i, athlete in enumerate(athletes):
        r, c = divmod(i, cols)
        n = "" if i == 0 else str(i + 1)
        x0, y1 = c * (width + gap_x), 1 - r * (height + gap_y)
        axes[f"xaxis{n}"] = {
            **AXIS,
            "domain": [round(x0, 6), round(min(1.0, x0 + width), 6)],
            "anchor": f"y{n}",
        }
        axes[f"yaxis{n}"] = {
            **AXIS,
            "domain": [round(max(0.0, y1 - height), 6), round(y1, 6)],
            "anchor": f"x{n}",
            "range": [0, top],
            "title": {"text": "minutes per week" if c == 0 else ""},
            "showticklabels": c == 0,
        }
        titles.append(
            {
                "text": html.escape(athlete),
                "xref": "paper",
                "yref": "paper",
                "x": x0 + width / 2,
                "y": y1,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13},
            }
        )
        if athlete not in table.index.get_level_values(0):
            continue
        for trace in _stacked_bars(table.loc[athlete], xaxis=f"x{n}", yaxis=f"y{n}"):
            trace["legendgroup"] = trace["name"]  # a click on a category hides it in every panel
            trace["showlegend"] = trace["name"] not in seen
            seen.add(trace["name"])
            traces.append(trace)
    return _figure(
        traces,
        title,
        "",
        height=300 * rows + 40,
        barmode="stack",
        bargap=0.15,
        annotations=titles,
        legend={"y": 1.0 + 40 / (300 * rows)},
        margin={"t": 100},
        **axes,
    )


def band_colour(column: str, value: Any, lines: dict[str, float] | None = None) -> str:
    """A metric's colour by its own band (the thresholds in force), not by the athlete's overall risk:
    monotony green below its warn line, amber to its high line, red above; support share green at or
    above its target, amber below, red at 0; grey where undefined."""
    at = DEFAULT_LINES | (lines or {})
    if value is None or not np.isfinite(float(value)):
        return RISK_COLOURS["inactive"]
    v = float(value)
    if column == "monotony":
        if v >= at["monotony_high"]:
            return RISK_COLOURS["red"]
        return RISK_COLOURS["amber"] if v >= at["monotony_warn"] else RISK_COLOURS["green"]
    if column == "support_share":
        if v >= at["support_share_target"]:
            return RISK_COLOURS["green"]
        return RISK_COLOURS["amber"] if v > 0 else RISK_COLOURS["red"]
    return LINE


def compare_metric(
    rows: pd.DataFrame, column: str, title: str, fmt: str = ".2f", lines: dict[str, float] | None = None
) -> Figure:
    """One key metric for each athlete, as horizontal bars coloured by the metric's own band; a value
    of 0 is written as 0 beside its empty bar, an undefined one as a dash."""
    if rows.empty:
        return empty(title)
    values = _values(rows, column)
    bar = {
        "type": "bar",
        "x": [0 if v is None else v for v in values],
        "y": [html.escape(a) for a in rows["athlete"]],
        "orientation": "h",
        "marker": {"color": [band_colour(column, v, lines) for v in values]},
        "text": ["–" if v is None else format(v, fmt) for v in values],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{text}<extra></extra>",
    }
    top = max([v for v in values if v is not None] or [0])
    return _figure(
        [bar],
        title,
        "",
        height=90 + 44 * len(rows),
        hovermode="closest",
        margin={"l": 160, "r": 50},
        yaxis={"autorange": "reversed", "rangemode": "normal"},
        xaxis={"range": [0, (top or 1) * 1.15], **({"tickformat": ".0%"} if fmt.endswith("%") else {})},
    )


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


def spark_rows(table: pd.DataFrame, top: float | None = None) -> dict[str, str]:
    """`spark` for every row of a table (index: name, columns: weeks), scaled per row unless `top`."""
    if not len(table.columns):
        return dict.fromkeys(table.index, "")
    values = table.fillna(0.0).to_numpy(dtype=float)
    scale = np.full((len(values), 1), top) if top is not None else values.max(axis=1, keepdims=True)
    last = len(SPARK_GLYPHS) - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        steps = np.where(scale > 0, np.rint(values / scale * last), 0).clip(0, last).astype(int)
    # Each row's glyphs' code points read as one string of that many characters (none is NUL): the
    # coach overview's 1,000 rows of 8 in 1.2 ms of CPU where joining each row's glyphs took 3.0 ms.
    codes = np.array([ord(g) for g in SPARK_GLYPHS], dtype=np.uint32)[steps]
    texts = np.ascontiguousarray(codes).view(f"<U{steps.shape[1]}").ravel().tolist()
    return dict(zip(table.index, texts, strict=True))
