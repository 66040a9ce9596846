"""One athlete: warnings first, then the balance and load charts for a date range.

Kept apart from pages/athlete.py (which registers the page and its callbacks) so the coach overview
can open straight on the only athlete without importing a page module twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dash_table, dcc, html

import queries
from dashboard import components, data, figures

DEFAULT_WEEKS = 16
SESSION_COLUMNS = [
    {"name": "Date", "id": "day"},
    {"name": "Category", "id": "category"},
    {"name": "Type", "id": "sport_type"},
    {"name": "Name", "id": "name"},
    {"name": "Minutes", "id": "minutes", "type": "numeric", "format": {"specifier": ".0f"}},
    {"name": "km", "id": "distance_km", "type": "numeric", "format": {"specifier": ".1f"}},
    {"name": "Load (AU)", "id": "load", "type": "numeric", "format": {"specifier": ".0f"}},
]


def default_range(end: dt.date) -> tuple[dt.date, dt.date]:
    return end - dt.timedelta(weeks=DEFAULT_WEEKS) + dt.timedelta(days=1), end


def layout(
    name: str | None, as_of: str | None = None, start: str | None = None, end: str | None = None
) -> Any:
    """Athlete picker, date range and the content for them; changes redraw through `render`."""
    try:
        everyone = data.athletes()
    except Exception as exc:  # noqa: BLE001 - one line for the user; non-library errors re-raise
        return components.problem(data.error_message(exc), "athlete")
    if not everyone:
        return components.problem("no athletes yet: import some activities first", "athlete", color="info")
    names = [a["name"] for a in everyone]
    if not name:
        name = names[0]
    last = data.parse_date(end or as_of, data.default_as_of(everyone))
    first = data.parse_date(start, default_range(last)[0])
    oldest = min((a["first_activity"] for a in everyone if a.get("first_activity")), default=None)
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(
                        dcc.Dropdown(
                            id="athlete-select",
                            options=[{"label": n, "value": n} for n in names],
                            value=name,
                            clearable=False,
                            placeholder="Choose an athlete",
                        ),
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
            dcc.Loading(html.Div(render(name, str(first), str(last)), id="athlete-content"), delay_show=300),
        ]
    )


def render(name: str | None, start: str | None, end: str | None) -> Any:
    """Warnings, key numbers and charts for `name` between `start` and `end` (as of `end`)."""
    if not name:
        return components.problem("choose an athlete", "athlete", color="info")
    today = dt.date.today()
    last = data.parse_date(end, today)
    first = data.parse_date(start, default_range(last)[0])
    if first > last:
        first, last = last, first
    try:
        report, daily, weekly, sessions = data.cached(
            ("athlete", name, first, last, repr(data.settings())), lambda: athlete_data(name, first, last)
        )
    except Exception as exc:  # noqa: BLE001 - one line for the user; non-library errors re-raise
        return components.problem(data.error_message(exc), "athlete")
    return content(report, daily, weekly, sessions, first, last)


def athlete_data(name: str, first: dt.date, last: dt.date) -> tuple[dict[str, Any], pd.DataFrame, ...]:
    """The report as of `last`, and daily metrics, weekly balance and sessions from `first` to `last`."""
    settings = data.settings()
    with data.reading() as con:
        return (
            queries.report(con, name, as_of=last, settings=settings),
            queries.daily_metrics(con, name, first, last, settings=settings),
            queries.weekly_balance(con, [name], first, last, settings=settings),
            queries.sessions(con, name, first, last, settings=settings),
        )


def content(
    report: dict[str, Any],
    daily: pd.DataFrame,
    weekly: pd.DataFrame,
    sessions: pd.DataFrame,
    first: dt.date,
    last: dt.date,
) -> Any:
    """The page body from query results (pure: no database)."""
    s = report["summary"]
    days_since = s.get("days_since_support")
    stats = dbc.Row(
        [
            components.stat("Support share", components.fmt(s["support_share"], ".0%"), "target ≥ 10%"),
            components.stat("Run km", components.fmt(s["run_km"], ".0f"), "last 28 days"),
            components.stat("Strength / week", components.fmt(s["strength_sessions_per_week"], ".1f")),
            components.stat(
                "Since support work",
                "never" if days_since is None else f"{days_since} d",
                "strength or Pilates",
            ),
            components.stat("Monotony", components.fmt(s["monotony"], ".2f"), "warn 1.5, high 2.0"),
            components.stat("ACWR", components.fmt(s["acwr"], ".2f"), "band 0.8–1.3"),
        ],
        className="g-2 mb-3",
    )
    return html.Div(
        [
            html.Div(
                [
                    html.H2(report["athlete"], className="d-inline me-2", id="athlete-name"),
                    components.risk_badge(s["risk"]),
                    html.Div(
                        f"Warnings and numbers: the 28 days to {report['as_of']}. Charts: {first} to {last}.",
                        className="text-muted small",
                    ),
                ],
                className="mb-2",
            ),
            components.warning_cards(report["warnings"], "athlete"),
            components.guidance_note(),
            stats,
            dbc.Row(
                [
                    dbc.Col(components.graph("athlete-weekly", figures.weekly_minutes(weekly)), lg=6),
                    dbc.Col(components.graph("athlete-support", figures.support_share(daily)), lg=6),
                    dbc.Col(components.graph("athlete-monotony", figures.monotony_strain(daily)), lg=6),
                    dbc.Col(components.graph("athlete-acwr", figures.acwr(daily)), lg=6),
                    dbc.Col(components.graph("athlete-fitness", figures.fitness_fatigue_form(daily)), lg=6),
                    dbc.Col(
                        components.graph("athlete-calendar", figures.calendar(sessions, first, last)), lg=6
                    ),
                ],
                className="g-3",
            ),
            html.H4("Sessions", className="mt-2"),
            sessions_table(sessions),
        ]
    )


def sessions_table(sessions: pd.DataFrame) -> dash_table.DataTable:
    """The sessions in the range, newest first; names are plain text cells."""
    frame = sessions.sort_values("start_local", ascending=False)
    frame = frame.assign(
        day=pd.to_datetime(frame["day"]).dt.strftime("%Y-%m-%d"), name=frame["name"].fillna("")
    )
    columns = [c["id"] for c in SESSION_COLUMNS]
    rows = frame[columns].astype(object).where(frame[columns].notna(), None).to_dict("records")
    return dash_table.DataTable(
        id="athlete-sessions",
        columns=SESSION_COLUMNS,
        data=rows,
        page_size=10,
        sort_action="native",
        style_table={"overflowX": "auto"},
        style_cell={
            "textAlign": "left",
            "padding": "4px 8px",
            "fontSize": 13,
            "whiteSpace": "normal",
            "height": "auto",
        },
        style_header={"fontWeight": "600", "backgroundColor": "#f4f6f8"},
        style_data_conditional=[
            {
                "if": {"filter_query": f'{{category}} = "{cat}"', "column_id": "category"},
                "color": colour,
                "fontWeight": "600",
            }
            for cat, colour in figures.PALETTE.items()
        ],
    )
