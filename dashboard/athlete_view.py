"""One athlete: warnings first, then the balance and load charts for a date range.

Kept apart from pages/athlete.py (which registers the page and its callbacks) so the coach overview
can open straight on the only athlete without importing a page module twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import dcc, html

import queries
from dashboard import components, data, figures, thresholds
from dashboard.unlabelled_view import unlabelled_section
from queries import engine, frames
from queries.params import resolve
from queries.unlabelled import unlabelled_of

DEFAULT_WEEKS = 16
SESSION_COLUMNS = [
    {"headerName": "Date", "field": "day", "width": 110},
    {
        "headerName": "Category",
        "field": "category",
        "width": 110,
        "cellStyle": {
            "styleConditions": [
                {"condition": f"params.value == '{cat}'", "style": {"color": colour, "fontWeight": "600"}}
                for cat, colour in figures.PALETTE.items()
            ]
        },
    },
    {"headerName": "Type", "field": "sport_type"},
    {"headerName": "Name", "field": "name", "flex": 2},
    {
        "headerName": "Minutes",
        "field": "minutes",
        "filter": "agNumberColumnFilter",
        "valueFormatter": components.number_format(".0f"),
    },
    {
        "headerName": "km",
        "field": "distance_km",
        "filter": "agNumberColumnFilter",
        "valueFormatter": components.number_format(".1f"),
    },
    {
        "headerName": "Load (AU)",
        "field": "load",
        "filter": "agNumberColumnFilter",
        "valueFormatter": components.number_format(".0f"),
    },
]


ACTIVE_WEEKS = 12  # an inactive athlete's charts: the last weeks they trained


def default_range(end: dt.date, weeks: int = DEFAULT_WEEKS) -> tuple[dt.date, dt.date]:
    return max(data.FIRST_DATE, end - dt.timedelta(weeks=weeks) + dt.timedelta(days=1)), end


def inactive_since(athlete: dict[str, Any] | None, day: dt.date) -> dt.date | None:
    """The athlete's last activity when they have none in the `inactive_days` to `day` (the report's
    own rule), else None."""
    last = (athlete or {}).get("last_activity")
    if not last:
        return None
    last_day = dt.date.fromisoformat(str(last)[:10])
    days = resolve(data.settings()).thresholds["inactive_days"]
    return last_day if (day - last_day).days >= days else None


def layout(
    name: str | None, as_of: str | None = None, start: str | None = None, end: str | None = None
) -> Any:
    """Athlete picker (on the riskiest athlete unless named), date range and the content for them;
    changes redraw through `render`. An inactive athlete's charts show their last active weeks."""
    try:
        everyone = data.athletes()
        if not everyone:
            return components.welcome("athlete")
        day = data.parse_date(end or as_of, data.default_as_of(everyone), "end" if end else "as_of")
        names = [a["name"] for a in everyone]
        unknown = name if name and name not in names else None
        name = None if unknown else (name or data.riskiest(everyone))
        last = day
        gone = (
            None
            if start or end
            else inactive_since(next((a for a in everyone if a["name"] == name), None), day)
        )
        if gone is not None:
            last = gone
        first = data.parse_date(
            start, default_range(last, ACTIVE_WEEKS if gone else DEFAULT_WEEKS)[0], "start"
        )
    except Exception as exc:  # noqa: BLE001 - one line for the user
        return components.problem(data.error_message(exc), "athlete")
    oldest = min((a["first_activity"] for a in everyone if a.get("first_activity")), default=None)
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(
                        components.athlete_picker("athlete-select", names, name, "Choose an athlete"),
                        xs=12,
                        md=6,
                        className="mb-2",
                    ),
                    dbc.Col(
                        dcc.DatePickerRange(
                            id="athlete-dates",
                            start_date=first.isoformat(),
                            end_date=last.isoformat(),
                            min_date_allowed=str(oldest)[:10] if oldest else None,
                            display_format="YYYY-MM-DD",
                            first_day_of_week=1,
                            minimum_nights=6,
                        ),
                        xs=12,
                        md=6,
                        className="mb-2 text-md-end",
                    ),
                ],
                className="align-items-center",
            ),
            # The first view comes with the page (one round trip); the callback redraws on changes.
            dcc.Loading(
                html.Div(
                    components.problem(f"no athlete named {unknown!r}: choose one above", "athlete")
                    if unknown
                    else render(name, str(first), str(last), as_of=str(day)),
                    id="athlete-content",
                ),
                delay_show=300,
            ),
        ]
    )


def render(
    name: str | None, start: str | None, end: str | None, notice: Any = None, as_of: str | None = None
) -> Any:
    """Warnings, key numbers and charts for `name` between `start` and `end`; the report as of
    `as_of` (default `end`)."""
    if not name:
        return components.problem("choose an athlete", "athlete", color="info")
    try:
        last = data.parse_date(end, data.default_as_of(), "end")
        first = data.parse_date(start, default_range(last)[0], "start")
        if first > last:
            first, last = last, first
        day = data.parse_date(as_of, last, "as_of")
        shared = (first, last, day, repr(data.settings()))
        found = data.cached(("athlete", name, *shared), lambda: together(name, shared))
    except Exception as exc:  # noqa: BLE001 - one line for the user
        return components.problem(data.error_message(exc), "athlete")
    if data.prefetching():
        return None
    return content(*found, first, last, settings=data.settings(), notice=notice)


def together(name: str, shared: tuple[Any, ...]) -> tuple[Any, ...]:
    """`athlete_data` of `name`, computed with the other athlete pages asked at the same moment for
    the same dates and settings (`data.Batches`: many people at once cost a fraction each), in the
    analytics worker process when the dashboard has one (`data.apart`)."""
    first, last, day, _ = shared
    cfg = data.config()
    group = (data.db_state(cfg.db_path), *shared)
    return cfg.athlete_pages.ask(
        group, name, lambda names: data.apart(cfg, athletes_data_on, names, first, last, day)
    )


def athlete_data(name: str, first: dt.date, last: dt.date, day: dt.date | None = None) -> tuple[Any, ...]:
    """The report as of `day` (default `last`), daily metrics, weekly balance and sessions from `first`
    to `last`, and the athlete's unlabelled sessions."""
    return athletes_data([name], first, last, day)[name]


def athletes_data(
    names: list[str], first: dt.date, last: dt.date, day: dt.date | None = None
) -> dict[str, tuple[Any, ...]]:
    """`athlete_data` of each of `names`, from one analytics request over all of them (`athletes_data_on`
    on a reading connection of this process)."""
    with data.reading() as con:
        return athletes_data_on(con, data.settings(), names, first, last, day)


def athletes_data_on(
    con: Any,
    settings: dict[str, Any],
    names: list[str],
    first: dt.date,
    last: dt.date,
    day: dt.date | None = None,
) -> dict[str, tuple[Any, ...]]:
    """`athletes_data` on `con`: each step runs once for the page's four calls (queries/engine.py
    STEPS) and once for every athlete asked at the same moment (`data.Batches`), each athlete's data
    equal to its own call's. Needs no Flask app: the analytics worker process runs it too."""
    names = list(dict.fromkeys(names))
    day = day or last
    # The daily series and the weekly balance ask first, as their windows are usually the wider ones
    # the report's weeks fit in: the report's steps then find their tables made (a request keeps a
    # step's table for the same last day only). A report's day after the charts' last day is an
    # inactive athlete's page (the charts show their last active weeks, the report is as of today):
    # there the charts' data is asked up to the report's day and cut at their last, which gives the
    # same rows when nobody has a session after it (a day's figures read the days before it only, a
    # week's sums the sessions in it); else (a caller's own dates) each asks its own window.
    with engine.request(con):
        charts = _charts_to(con, settings, names, first, last, day) if day > last else None
        if charts is None:
            daily = frames.daily_metrics_of(con, names, first, last, settings=settings)
            weekly = queries.weekly_balance(con, names, first, last, settings=settings)
        reports = queries.reports(con, names, day, settings)
        if charts is None:
            sessions = frames.sessions_of(con, names, first, last, settings=settings)
        else:
            daily, weekly, sessions = charts
        weekly_of = frames.split(weekly, "athlete", {n: n for n in names}, drop=False)
        unlabelled = unlabelled_of(con, names)
        return {
            name: (report, daily[name], weekly_of[name], sessions[name], unlabelled[name])
            for name, report in zip(names, reports, strict=True)
        }


def _charts_to(
    con: Any, settings: dict[str, Any], names: list[str], first: dt.date, last: dt.date, day: dt.date
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, dict[str, pd.DataFrame]] | None:
    """The daily series, weekly balance and sessions from `first` to `day`, cut at `last`; None when
    one of `names` has a session after `last` (the weekly sums would then count it)."""
    daily = frames.daily_metrics_of(con, names, first, day, settings=settings)
    sessions = frames.sessions_of(con, names, first, day, settings=settings)
    if any(len(rows) and rows["day"].iloc[-1] > np.datetime64(last) for rows in sessions.values()):
        return None
    weekly = queries.weekly_balance(con, names, first, day, settings=settings)
    weekly = weekly[weekly["week"] <= np.datetime64(last)].reset_index(drop=True)
    return {n: _up_to(d, last) for n, d in daily.items()}, weekly, sessions


def _up_to(daily: pd.DataFrame, last: dt.date) -> pd.DataFrame:
    """A daily series' rows (by day) up to `last`."""
    return daily.iloc[: int(np.searchsorted(daily["day"].to_numpy(), np.datetime64(last), "right"))]


# Why a number shows as a dash.
UNDEFINED = {
    "support_share": "no minutes in 28 days",
    "monotony": "no load in 7 days",
    "acwr": "no load in 28 days",
}


def stat_hint(summary: dict[str, Any], key: str, hint: str) -> str:
    """The hint under a number, or why it is undefined when it is."""
    value = summary.get(key)
    if value is None or components.fmt(value) == "–":
        return UNDEFINED.get(key, "not defined")
    return hint


def content(
    report: dict[str, Any],
    daily: pd.DataFrame,
    weekly: pd.DataFrame,
    sessions: pd.DataFrame,
    unlabelled_rows: list[dict[str, Any]],
    first: dt.date,
    last: dt.date,
    settings: dict[str, Any] | None = None,
    notice: Any = None,
) -> Any:
    """The page body from query results (pure: no database). Reference lines and hints come from
    the thresholds in force: the report's own, else those of `settings`."""
    s = report["summary"]
    lines = thresholds.in_force(report, settings or {})
    at = {k: figures.level(v) for k, v in lines.items()}
    days_since = s.get("days_since_support")
    stats = dbc.Row(
        [
            components.stat(
                "Support share",
                components.fmt(s["support_share"], ".0%"),
                stat_hint(s, "support_share", f"target ≥ {lines['support_share_target']:.0%}"),
            ),
            components.stat("Run km", components.fmt(s["run_km"], ".0f"), "last 28 days"),
            components.stat("Strength / week", components.fmt(s["strength_sessions_per_week"], ".1f")),
            components.stat(
                "Since support work",
                "never" if days_since is None else f"{days_since} d",
                "strength or Pilates",
            ),
            components.stat(
                "Monotony",
                components.fmt(s["monotony"], ".2f"),
                stat_hint(s, "monotony", f"warn {at['monotony_warn']}, high {at['monotony_high']}"),
            ),
            components.stat(
                "ACWR",
                components.fmt(s["acwr"], ".2f"),
                stat_hint(s, "acwr", f"flags below {at['acwr_low']}, above {at['acwr_high']}"),
            ),
            hip_sets_stat(s),
        ],
        className="g-2 mb-3",
    )
    return html.Div(
        [
            html.Div(
                [
                    html.H2(report["athlete"], className="d-inline me-2", id="athlete-name"),
                    components.risk_badge(s["risk"], s.get("last_activity")),
                    html.Div(
                        f"Warnings and numbers: the 28 days to {report['as_of']}. Charts: {first} to {last}.",
                        className="text-muted small",
                    ),
                ],
                className="mb-2",
            ),
            notice,
            inactive_note(report, first, last)
            if s["risk"] == "inactive"
            else components.warning_cards(report["warnings"], "athlete"),
            components.guidance_note(),
            stats,
            dbc.Row(
                [
                    dbc.Col(components.graph("athlete-weekly", figures.weekly_minutes(weekly)), lg=6),
                    dbc.Col(components.graph("athlete-support", figures.support_share(daily, lines)), lg=6),
                    dbc.Col(
                        components.graph("athlete-monotony", figures.monotony_strain(daily, lines)), lg=6
                    ),
                    dbc.Col(components.graph("athlete-acwr", figures.acwr(daily, lines)), lg=6),
                    dbc.Col(components.graph("athlete-fitness", figures.fitness_fatigue_form(daily)), lg=6),
                    dbc.Col(
                        components.graph("athlete-calendar", figures.calendar(sessions, first, last)), lg=6
                    ),
                ],
                className="g-3",
            ),
            intensity_section(report.get("weeks") or []),
            unlabelled_section(report["athlete"], unlabelled_rows),
            html.H4("Sessions", className="mt-3"),
            sessions_table(sessions),
        ]
    )


def inactive_note(report: dict[str, Any], first: dt.date, last: dt.date) -> dbc.Alert:
    """An inactive athlete's page says so and since when, never "no warnings: balanced"."""
    s = report["summary"]
    since = str(s.get("last_activity") or "")[:10]
    if not since:
        text = f"No activities yet for {report['athlete']}: nothing to judge."
        return dbc.Alert(text, color="secondary", id="athlete-inactive")
    days = (dt.date.fromisoformat(report["as_of"]) - dt.date.fromisoformat(since)).days
    return dbc.Alert(
        [
            html.Strong(f"Inactive since {since}"),
            f": no session in the {days} days to {report['as_of']}, so no warnings are raised. "
            f"The charts show {first} to {last}. ",
            dcc.Link(
                "Read the report as of the last activity",
                href=components.athlete_href(report["athlete"], since),
                id="athlete-inactive-link",
            ),
            ".",
        ],
        color="secondary",
        id="athlete-inactive",
    )


def hip_sets_stat(summary: dict[str, Any]) -> Any:
    """Sets of hip and glute exercises in 28 days, from a watch's strength sets; None means the
    athlete has no set data at all (unknown, not zero)."""
    hip = summary.get("hip_sets")
    if hip is None:
        return components.stat("Hip sets", "–", "no set data from a watch")
    return components.stat("Hip sets", str(hip), "hip and glute, last 28 days")


def intensity_section(weeks: list[dict[str, Any]]) -> Any:
    """Each report week's minutes at low, moderate and high intensity, or why there is no chart."""
    if not figures.has_intensity(weeks):
        return html.Div(
            "Weekly intensity distribution (low, moderate, high): needs heart-rate samples from "
            "activity files (FIT, GPX or TCX).",
            className="text-muted small mt-3",
            id="athlete-intensity-note",
        )
    return dbc.Row(
        dbc.Col(components.graph("athlete-intensity", figures.intensity_distribution(weeks)), lg=6),
        className="g-3 mt-1",
    )


def sessions_table(sessions: pd.DataFrame) -> Any:
    """The sessions in the range, newest first, in a sortable, filterable grid; names are plain text.
    Below the charts: it comes with the page and is drawn after them (`components.deferred`)."""
    # Newest first (the order pandas' sort gives), column by column in numpy: sorting the whole frame
    # took every column, and pandas' isna on float columns ~0.1 ms each.
    order = sessions["start_local"].reset_index(drop=True).sort_values(ascending=False).index.to_numpy()
    values = {}
    for field in (c["field"] for c in SESSION_COLUMNS):
        column = sessions[field]
        if field == "day":
            values[field] = np.array(figures.iso_days(column), dtype=object)[order]
        elif isinstance(column.dtype, np.dtype) and column.dtype.kind == "f":
            numbers = column.to_numpy()[order]  # NaN and inf as None: a dash in the grid
            values[field] = np.where(np.isfinite(numbers), numbers.astype(object), None)
        else:
            texts = (column.fillna("") if field == "name" else column).to_numpy(dtype=object)[order]
            values[field] = np.where(pd.isna(texts), None, texts)  # gaps (None, NA) as None
    rows = [dict(zip(values, row, strict=True)) for row in zip(*values.values(), strict=True)]
    grid = components.grid(
        "athlete-sessions",
        rows,
        SESSION_COLUMNS,
        grid_options={"pagination": True, "paginationPageSize": 10, "paginationPageSizeSelector": False},
    )
    return components.deferred("athlete-sessions", grid)
