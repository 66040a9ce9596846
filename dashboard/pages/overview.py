"""Coach overview: every athlete in one sortable table, highest risk first; pick some to compare."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dash_table, dcc, html

import queries
from dashboard import athlete_view, components, data, figures
from queries import plan_done

dash.register_page(__name__, path="/", name="Coach overview", title="crosstrain: coach overview", order=0)

SPARK_WEEKS = 8
RISK_ORDER = {"red": 0, "amber": 1, "green": 2}
COLUMNS = [
    {"name": "Athlete", "id": "athlete_link", "presentation": "markdown"},
    {"name": "Risk", "id": "risk_label"},
    {"name": "Support share", "id": "support_share", "type": "numeric", "format": {"specifier": ".0%"}},
    {"name": f"Support share, {SPARK_WEEKS} wk", "id": "spark_support"},
    {"name": "Run km (28 d)", "id": "run_km", "type": "numeric", "format": {"specifier": ".0f"}},
    {"name": f"Run km, {SPARK_WEEKS} wk", "id": "spark_run"},
    {
        "name": "Strength / wk",
        "id": "strength_sessions_per_week",
        "type": "numeric",
        "format": {"specifier": ".1f"},
    },
    {"name": "Monotony", "id": "monotony", "type": "numeric", "format": {"specifier": ".2f"}},
    {"name": "ACWR", "id": "acwr", "type": "numeric", "format": {"specifier": ".2f"}},
    {"name": "Warnings", "id": "warnings_text"},
    {"name": "Plan", "id": "plan_findings"},  # the last plan check's findings (queries/plan_done.py)
]


def markdown_text(text: str) -> str:
    """Escape Markdown so a name shows as itself inside a Markdown link."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!<>|~" else ch for ch in text)


def table_rows(
    compare: dict[str, Any], weekly: pd.DataFrame, plans: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """One row per athlete from `queries.compare`, plus text sparklines from `queries.weekly_balance`
    and each athlete's plan findings (`plans`: name -> text)."""
    spark_support: dict[str, str] = {}
    spark_run: dict[str, str] = {}
    if not weekly.empty:
        support = weekly["category"].isin(["strength", "pilates", "mobility"])
        per_week = (
            weekly.assign(support=weekly["minutes"].where(support, 0.0))
            .groupby(["athlete", "week"])[["support", "minutes", "run_km"]]
            .sum()
        )
        minutes = per_week["minutes"].unstack(fill_value=0.0)
        share = (per_week["support"].unstack(fill_value=0.0) / minutes.where(minutes > 0)).fillna(0.0)
        spark_support = figures.spark_rows(share, top=0.5)
        spark_run = figures.spark_rows(per_week["run_km"].unstack(fill_value=0.0))
    rows = []
    as_of = compare.get("as_of")
    for a in compare["athletes"]:
        name, risk = a["athlete"], a["risk"]
        rows.append(
            {
                "athlete": name,
                "athlete_link": f"[{markdown_text(name)}]({components.athlete_href(name, as_of)})",
                "risk": risk,
                "risk_label": f"{RISK_ORDER.get(risk, 3) + 1} {components.RISK_LABEL.get(risk, risk)}",
                "support_share": a["support_share"],
                "spark_support": spark_support.get(a["athlete"], ""),
                "run_km": a["run_km"],
                "spark_run": spark_run.get(a["athlete"], ""),
                "strength_sessions_per_week": a["strength_sessions_per_week"],
                "monotony": a["monotony"],
                "acwr": a["acwr"],
                "warnings_text": ", ".join(code.replace("_", " ") for code in a["warnings"]) or "none",
                "plan_findings": (plans or {}).get(name, ""),
            }
        )
    return rows


def risk_styles() -> list[dict[str, Any]]:
    styles: list[dict[str, Any]] = [
        {
            "if": {"filter_query": f'{{risk}} = "{risk}"', "column_id": "risk_label"},
            "backgroundColor": colour,
            "color": "white",
            "fontWeight": "600",
        }
        for risk, colour in figures.RISK_COLOURS.items()
    ]
    styles.append({"if": {"column_id": "risk_label"}, "whiteSpace": "nowrap"})
    styles.append({"if": {"state": "selected"}, "backgroundColor": "rgba(78,121,167,0.12)", "border": "0"})
    return styles


def overview_table(rows: list[dict[str, Any]]) -> dash_table.DataTable:
    return dash_table.DataTable(
        id="overview-table",
        columns=COLUMNS,
        data=rows,
        sort_action="native",
        sort_by=[{"column_id": "risk_label", "direction": "asc"}],
        row_selectable="multi",
        selected_rows=[],
        page_action="native",
        page_size=50,
        markdown_options={"html": False, "link_target": "_self"},
        style_table={"overflowX": "auto"},
        style_cell={
            "fontFamily": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
            "fontSize": 14,
            "padding": "6px 10px",
            "textAlign": "left",
            "whiteSpace": "normal",
            "height": "auto",
        },
        style_cell_conditional=[
            {
                "if": {"column_id": c},
                "fontFamily": "monospace",
                "letterSpacing": "1px",
                "color": figures.PALETTE[k],
            }
            for c, k in (("spark_support", "strength"), ("spark_run", "run"))
        ],
        style_header={"fontWeight": "600", "backgroundColor": "#f4f6f8"},
        style_header_conditional=[
            {"if": {"column_id": c}, "fontFamily": "inherit", "letterSpacing": "normal", "color": "inherit"}
            for c in ("spark_support", "spark_run")
        ],
        style_data_conditional=risk_styles(),
        css=[{"selector": "p", "rule": "margin: 0"}],
    )


def overview_data(day: dt.date) -> tuple[dict[str, Any], pd.DataFrame]:
    """Every athlete's 28-day summary and their weekly balance for the sparklines (queries.overview
    reads the history once for both)."""
    first = day - dt.timedelta(weeks=SPARK_WEEKS) + dt.timedelta(days=1)
    with data.reading() as con:
        return queries.overview(con, day, first, settings=data.settings())


def plan_column() -> dict[str, str]:
    """Each athlete's last stored plan check as a short text ('' without a plan)."""
    checks = data.cached(("plan_checks",), lambda: data.read(plan_done.stored_checks))
    return {name: plan_done.findings_text(check) for name, check in checks.items()}


def layout(as_of: str | None = None, **_: Any) -> Any:
    try:
        everyone = data.athletes()
        if len(everyone) == 1:
            return athlete_view.layout(everyone[0]["name"], as_of=as_of)
        if not everyone:
            return html.Div(
                [
                    html.H2("Coach overview"),
                    dbc.Alert(
                        [
                            "No athletes yet. ",
                            dcc.Link("Import a CSV export or connect Strava", href="/import"),
                            ", or run `crosstrain demo` for the synthetic sample athletes.",
                        ],
                        color="info",
                        id="overview-empty",
                    ),
                ]
            )
        day = data.parse_date(as_of, data.default_as_of(everyone))
        result, weekly = data.cached(("overview", day, repr(data.settings())), lambda: overview_data(day))
    except Exception as exc:  # noqa: BLE001 - shown as one line; non-library errors re-raise
        return components.problem(data.error_message(exc), "overview")
    rows = table_rows(result, weekly, plan_column())
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.H2("Coach overview", className="mb-0"),
                            html.Div(
                                f"{len(rows)} athletes, last 28 days as of {result['as_of']}; "
                                "highest risk first. Click a column to sort, a name to open the athlete, "
                                "tick rows to compare.",
                                className="text-muted small",
                            ),
                        ],
                        md=8,
                    ),
                    dbc.Col(
                        dbc.Button(
                            "Compare selected",
                            id="overview-compare",
                            href="/compare",
                            color="primary",
                            disabled=True,
                            external_link=False,
                        ),
                        md=4,
                        className="text-md-end mt-2 mt-md-0",
                    ),
                ],
                className="mb-3 align-items-end",
            ),
            overview_table(rows),
            html.Div(
                [
                    "Sparklines: support share (strength + Pilates + mobility minutes) and run km per week, "
                    f"the last {SPARK_WEEKS} weeks, oldest first. ",
                    components.GUIDANCE,
                ],
                className="text-muted small mt-2",
            ),
        ]
    )


def compare_target(selected: list[int] | None, rows: list[dict[str, Any]] | None) -> tuple[str, bool, str]:
    """The compare button's link, whether it is disabled, and its label for the ticked rows."""
    names = [rows[i]["athlete"] for i in (selected or []) if rows and i < len(rows)]
    if len(names) < 2:
        return "/compare", True, "Compare selected (tick two or more)"
    return components.compare_href(names), False, f"Compare {len(names)} athletes"


@callback(
    Output("overview-compare", "href"),
    Output("overview-compare", "disabled"),
    Output("overview-compare", "children"),
    Input("overview-table", "selected_rows"),
    State("overview-table", "data"),
)
def update_compare_link(
    selected: list[int] | None, rows: list[dict[str, Any]] | None
) -> tuple[str, bool, str]:
    return compare_target(selected, rows)
