"""Compare: two or more athletes' weekly balance and key numbers side by side (`?athlete=A&athlete=B`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, dcc, html

import queries
from dashboard import components, data, figures, thresholds, words
from queries import engine

dash.register_page(
    __name__, path="/compare", name="Compare", title="crosstrain: compare", order=2, prefetch=True
)

WEEKS = 12
METRICS = [
    {"headerName": "Athlete", "field": "athlete", "pinned": "left", "minWidth": 180},
    components.risk_column(),
    {"headerName": "Support share", "field": "support_share", "spec": ".0%"},
    {"headerName": "Run km (28 d)", "field": "run_km", "spec": ".0f"},
    {"headerName": "Strength / wk", "field": "strength_sessions_per_week", "spec": ".1f"},
    {"headerName": "Days since support", "field": "days_since_support", "missing": "never"},
    {"headerName": "Monotony", "field": "monotony", "spec": ".2f"},
    {"headerName": "ACWR", "field": "acwr", "spec": ".2f"},
    {"headerName": "Form (AU)", "field": "form", "spec": ".0f"},
    {"headerName": "Warnings", "field": "warnings", "minWidth": 200, "wrapText": True, "autoHeight": True},
]
NUMBERS = [c["field"] for c in METRICS if "spec" in c or "missing" in c]


def column_defs() -> list[dict[str, Any]]:
    """METRICS as grid columns: numbers formatted, a dash (or 'never') where a value is undefined."""
    out = []
    for c in METRICS:
        col = {k: v for k, v in c.items() if k not in ("spec", "missing")}
        if "spec" in c:
            col |= {"valueFormatter": components.number_format(c["spec"]), "filter": "agNumberColumnFilter"}
        elif "missing" in c:
            col["valueFormatter"] = {"function": f"params.value == null ? '{c['missing']}' : params.value"}
        out.append(col)
    return out


def layout(athlete: str | list[str] | None = None, as_of: str | None = None, **_: Any) -> Any:
    try:
        everyone = data.athletes()
    except Exception as exc:  # noqa: BLE001 - one line for the user
        return components.problem(data.error_message(exc), "compare")
    if not everyone:
        return components.welcome("compare")
    asked = [athlete] if isinstance(athlete, str) else list(athlete or [])
    known = {a["name"] for a in everyone}
    chosen = [n for n in asked if n in known]
    unknown = [n for n in asked if n not in known]
    try:
        day = data.parse_date(as_of, data.default_as_of(everyone), "as_of")
    except Exception as exc:  # noqa: BLE001 - one line for the user
        return components.problem(data.error_message(exc), "compare")
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
                        components.athlete_picker(
                            "compare-select",
                            [a["name"] for a in everyone],
                            chosen,
                            "Choose two or more athletes",
                            multi=True,
                            clearable=True,
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
            components.problem(f"no athlete named {', '.join(map(repr, unknown))}", "compare")
            if unknown
            else None,
            dcc.Loading(html.Div(render(chosen, day.isoformat()), id="compare-content"), delay_show=300),
        ]
    )


def metric_rows(reports: list[dict[str, Any]]) -> pd.DataFrame:
    """The key numbers of each report's summary, one row per athlete."""
    return pd.DataFrame(
        [
            {
                "athlete": r["athlete"],
                **{k: r["summary"].get(k) for k in NUMBERS},
                **components.risk_fields(r["summary"]["risk"], r["summary"].get("last_activity")),
                "warnings": words.warnings_text(w["code"] for w in r["warnings"]),
            }
            for r in reports
        ]
    )


def content(
    reports: list[dict[str, Any]], weekly: pd.DataFrame, settings: dict[str, Any] | None = None
) -> Any:
    """The comparison from query results (pure: no database)."""
    names = [r["athlete"] for r in reports]
    rows = metric_rows(reports)
    lines = thresholds.in_force(reports[0] if reports else None, settings or {})
    records = rows.astype(object).where(rows.notna(), None).to_dict("records")
    table = components.grid("compare-table", records, column_defs())
    return html.Div(
        [
            table,
            components.graph("compare-weekly", figures.compare_weekly(weekly, names)),
            dbc.Row(
                [
                    dbc.Col(
                        components.graph(
                            "compare-support",
                            figures.compare_metric(
                                rows, "support_share", "Support share (28 d)", ".0%", lines
                            ),
                        ),
                        md=6,
                    ),
                    dbc.Col(
                        components.graph(
                            "compare-monotony",
                            figures.compare_metric(rows, "monotony", "Monotony (7 d)", lines=lines),
                        ),
                        md=6,
                    ),
                ]
            ),
            components.guidance_note(),
        ]
    )


def compare_data(names: list[str], day: dt.date) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """Each chosen athlete's report as of `day` and their weekly balance over WEEKS weeks, in one pass
    (the steps run once for all of them)."""
    settings = data.settings()
    first = max(data.FIRST_DATE, day - dt.timedelta(weeks=WEEKS) + dt.timedelta(days=1))
    with data.reading() as con, engine.request(con):
        reports = queries.reports(con, names, as_of=day, settings=settings)
        return reports, queries.weekly_balance(con, names, first, day, settings=settings)


def render(names: list[str] | None, as_of: str | None) -> Any:
    if not names or len(names) < 2:
        return dbc.Alert("Choose two or more athletes to compare.", color="info", id="compare-hint")
    try:
        day = data.parse_date(as_of, data.default_as_of(), "as_of")
        reports, weekly = data.cached(
            ("compare", tuple(names), day, repr(data.settings())), lambda: compare_data(names, day)
        )
    except Exception as exc:  # noqa: BLE001 - one line for the user
        return components.problem(data.error_message(exc), "compare")
    if data.prefetching():
        return None
    return content(reports, weekly, data.settings())


@callback(
    Output("compare-content", "children"), Input("compare-select", "value"), Input("compare-as-of", "date")
)
def show_compare(names: list[str] | None, as_of: str | None) -> Any:
    return render(names, as_of)
