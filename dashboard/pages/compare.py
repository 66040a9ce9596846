"""Compare: two or more athletes' weekly balance and key numbers side by side (`?athlete=A&athlete=B`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, dash_table, dcc, html

import queries
from dashboard import components, data, figures

dash.register_page(__name__, path="/compare", name="Compare", title="crosstrain: compare", order=2)

WEEKS = 12
METRICS = [
    {"name": "Athlete", "id": "athlete"},
    {"name": "Risk", "id": "risk_label"},
    {"name": "Support share", "id": "support_share", "type": "numeric", "format": {"specifier": ".0%"}},
    {"name": "Run km (28 d)", "id": "run_km", "type": "numeric", "format": {"specifier": ".0f"}},
    {
        "name": "Strength / wk",
        "id": "strength_sessions_per_week",
        "type": "numeric",
        "format": {"specifier": ".1f"},
    },
    {
        "name": "Days since support",
        "id": "days_since_support",
        "type": "numeric",
        "format": {"nully": "never"},
    },
    {"name": "Monotony", "id": "monotony", "type": "numeric", "format": {"specifier": ".2f"}},
    {"name": "ACWR", "id": "acwr", "type": "numeric", "format": {"specifier": ".2f", "nully": "–"}},
    {"name": "Form (AU)", "id": "form", "type": "numeric", "format": {"specifier": ".0f"}},
    {"name": "Warnings", "id": "warnings"},
]


def layout(athlete: str | list[str] | None = None, as_of: str | None = None, **_: Any) -> Any:
    try:
        everyone = data.athletes()
    except Exception as exc:  # noqa: BLE001 - one line for the user; non-library errors re-raise
        return components.problem(data.error_message(exc), "compare")
    chosen = [athlete] if isinstance(athlete, str) else list(athlete or [])
    day = data.parse_date(as_of, data.default_as_of(everyone))
    return html.Div(
        [
            html.H2("Compare athletes"),
            html.Div(
                f"Weekly balance over {WEEKS} weeks and the 28-day numbers as of {day}.",
                className="text-muted small mb-2",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        dcc.Dropdown(
                            id="compare-select",
                            options=[{"label": a["name"], "value": a["name"]} for a in everyone],
                            value=chosen,
                            multi=True,
                            placeholder="Choose two or more athletes",
                        ),
                        md=9,
                    ),
                    dbc.Col(
                        dcc.DatePickerSingle(
                            id="compare-as-of",
                            date=day.isoformat(),
                            display_format="YYYY-MM-DD",
                            first_day_of_week=1,
                        ),
                        md=3,
                        className="text-md-end mt-2 mt-md-0",
                    ),
                ],
                className="mb-3",
            ),
            dcc.Loading(html.Div(render(chosen, day.isoformat()), id="compare-content"), delay_show=300),
        ]
    )


def metric_rows(reports: list[dict[str, Any]]) -> pd.DataFrame:
    """The key numbers of each report's summary, one row per athlete."""
    return pd.DataFrame(
        [
            {
                "athlete": r["athlete"],
                **{k: r["summary"][k] for k in (c["id"] for c in METRICS[2:-1])},
                "risk": r["summary"]["risk"],
                "risk_label": components.RISK_LABEL.get(r["summary"]["risk"], r["summary"]["risk"]),
                "warnings": ", ".join(w["code"].replace("_", " ") for w in r["warnings"]) or "none",
            }
            for r in reports
        ]
    )


def content(reports: list[dict[str, Any]], weekly: pd.DataFrame) -> Any:
    """The comparison from query results (pure: no database)."""
    names = [r["athlete"] for r in reports]
    rows = metric_rows(reports)
    table = dash_table.DataTable(
        id="compare-table",
        columns=METRICS,
        data=rows.astype(object).where(rows.notna(), None).to_dict("records"),
        sort_action="native",
        style_table={"overflowX": "auto"},
        style_cell={"textAlign": "left", "padding": "6px 10px", "whiteSpace": "normal", "height": "auto"},
        style_header={"fontWeight": "600", "backgroundColor": "#f4f6f8"},
        style_data_conditional=[
            {
                "if": {"filter_query": f'{{risk}} = "{risk}"', "column_id": "risk_label"},
                "backgroundColor": colour,
                "color": "white",
            }
            for risk, colour in figures.RISK_COLOURS.items()
        ],
    )
    return html.Div(
        [
            table,
            components.graph("compare-weekly", figures.compare_weekly(weekly, names)),
            dbc.Row(
                [
                    dbc.Col(
                        components.graph(
                            "compare-support",
                            figures.compare_metric(rows, "support_share", "Support share (28 d)", ".0%"),
                        ),
                        md=6,
                    ),
                    dbc.Col(
                        components.graph(
                            "compare-monotony", figures.compare_metric(rows, "monotony", "Monotony (7 d)")
                        ),
                        md=6,
                    ),
                ]
            ),
            components.guidance_note(),
        ]
    )


def compare_data(names: list[str], day: dt.date) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """Each chosen athlete's report as of `day` and their weekly balance over WEEKS weeks."""
    settings = data.settings()
    first = day - dt.timedelta(weeks=WEEKS) + dt.timedelta(days=1)
    with data.reading() as con:
        reports = [queries.report(con, n, as_of=day, settings=settings) for n in names]
        return reports, queries.weekly_balance(con, names, first, day, settings=settings)


def render(names: list[str] | None, as_of: str | None) -> Any:
    if not names or len(names) < 2:
        return dbc.Alert("Choose two or more athletes to compare.", color="info", id="compare-hint")
    day = data.parse_date(as_of, dt.date.today())
    try:
        reports, weekly = data.cached(
            ("compare", tuple(names), day, repr(data.settings())), lambda: compare_data(names, day)
        )
    except Exception as exc:  # noqa: BLE001 - one line for the user; non-library errors re-raise
        return components.problem(data.error_message(exc), "compare")
    return content(reports, weekly)


@callback(
    Output("compare-content", "children"), Input("compare-select", "value"), Input("compare-as-of", "date")
)
def show_compare(names: list[str] | None, as_of: str | None) -> Any:
    return render(names, as_of)
