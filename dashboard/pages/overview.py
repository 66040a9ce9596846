"""Coach overview: every athlete in one sortable table, highest risk first; pick some to compare."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dashboard import athlete_view, components, data, figures
from queries import plan_done, warning_registry

dash.register_page(__name__, path="/", name="Coach overview", title="crosstrain: coach overview", order=0)

SPARK_WEEKS = 8


def number_column(field: str, header: str, spec: str, **extra: Any) -> dict[str, Any]:
    return {
        "headerName": header,
        "field": field,
        "filter": "agNumberColumnFilter",
        "valueFormatter": components.number_format(spec),
        "type": "rightAligned",
        "minWidth": 100,
        **extra,
    }


def spark_column(field: str, header: str, category: str) -> dict[str, Any]:
    return {
        "headerName": header,
        "field": field,
        "sortable": False,
        "filter": False,
        "cellClass": "sparkline",
        "cellStyle": {"color": figures.PALETTE[category]},
        "minWidth": 120,
    }


COLUMNS: list[dict[str, Any]] = [
    {
        "headerName": "Athlete",
        "field": "athlete",
        "pinned": "left",
        "cellRenderer": "AthleteLink",
        "filter": "agTextColumnFilter",
        "minWidth": 230,
    },
    components.risk_column(minWidth=110),
    number_column("support_share", "Support share", ".0%"),
    spark_column("spark_support", f"Support share, {SPARK_WEEKS} wk", "strength"),
    number_column("run_km", "Run km (28 d)", ".0f"),
    spark_column("spark_run", f"Run km, {SPARK_WEEKS} wk", "run"),
    number_column("strength_sessions_per_week", "Strength / wk", ".1f"),
    number_column("monotony", "Monotony", ".2f"),
    number_column("acwr", "ACWR", ".2f"),
    number_column(
        "hip_sets",
        "Hip sets (28 d)",
        "d",
        headerTooltip="Hip and glute sets from a watch; a dash: no set data",
    ),
    {
        "headerName": "Warnings",
        "field": "warnings_text",
        "minWidth": 200,
        "wrapText": True,
        "autoHeight": True,
    },
    {"headerName": "Plan", "field": "plan_findings", "minWidth": 160, "wrapText": True, "autoHeight": True},
]


def table_rows(
    compare: dict[str, Any], weekly: pd.DataFrame, plans: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """One row per athlete from `queries.compare` (active athletes first, highest risk first), plus
    text sparklines from `queries.weekly_balance` and each athlete's plan findings (`plans`: name ->
    text, the last plan check, queries/plan_done.py)."""
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
                "href": components.athlete_href(name, as_of),
                **components.risk_fields(risk, a.get("last_activity")),
                "support_share": a["support_share"],
                "spark_support": spark_support.get(a["athlete"], ""),
                "run_km": a["run_km"],
                "spark_run": spark_run.get(a["athlete"], ""),
                "strength_sessions_per_week": a["strength_sessions_per_week"],
                "monotony": a["monotony"],
                "acwr": a["acwr"],
                "hip_sets": a.get("hip_sets"),
                "warnings_text": ", ".join(warning_registry.get(code).title for code in a["warnings"])
                or "none",
                "plan_findings": (plans or {}).get(name, ""),
            }
        )
    # Inactive athletes after the active ones, keeping the queries' order within each.
    return sorted(rows, key=lambda r: r["risk"] == "inactive")


def overview_table(rows: list[dict[str, Any]]) -> Any:
    """Every athlete in a grid: sort and filter any column, names pinned, tick rows to compare."""
    return components.grid(
        "overview-table",
        rows,
        COLUMNS,
        getRowId="params.data.athlete",
        grid_options={
            "rowSelection": {"mode": "multiRow", "checkboxes": True, "headerCheckbox": False},
            "selectionColumnDef": {"pinned": "left", "width": 44, "maxWidth": 44},
            "pagination": len(rows) > 50,
            "paginationPageSize": 50,
            "paginationPageSizeSelector": False,
            "domLayout": "autoHeight" if len(rows) <= 50 else "normal",
            "tooltipShowDelay": 300,
        },
        style={"width": "100%", "height": "1500px"} if len(rows) > 50 else {"width": "100%"},
    )


def overview_data(day: dt.date) -> tuple[dict[str, Any], pd.DataFrame]:
    """Every athlete's 28-day summary and their weekly balance for the sparklines: queries.overview's
    answer, kept by athlete in this process so that after a write only the athletes it changed are
    computed again (queries/overview_cache.py)."""
    first = max(data.FIRST_DATE, day - dt.timedelta(weeks=SPARK_WEEKS) + dt.timedelta(days=1))
    with data.reading() as con:
        return data.config().overview.overview(con, day, first, data.settings())


def plan_column() -> dict[str, str]:
    """Each athlete's last stored plan check as a short text ('' without a plan)."""
    checks = data.cached(("plan_checks",), lambda: data.read(plan_done.stored_checks))
    return {name: plan_done.findings_text(check) for name, check in checks.items()}


def layout(as_of: str | None = None, **_: Any) -> Any:
    with data.one_connection():  # the athlete list, the overview and the plan checks: one connection
        return page(as_of)


def page(as_of: str | None) -> Any:
    """The overview page as of `as_of` (default: the newest activity, or today)."""
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
        day = data.parse_date(as_of, data.default_as_of(everyone), "as_of")
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
                                "highest risk first, inactive athletes last. Click a column to sort, its "
                                "menu to filter, a name to open the athlete, tick rows to compare.",
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
                    f"the last {SPARK_WEEKS} weeks, oldest first. A dash: not defined (ACWR without load "
                    "in 28 days, monotony without load in 7, hip sets without set data from a watch). ",
                    components.GUIDANCE,
                ],
                className="text-muted small mt-2",
            ),
        ]
    )


def compare_target(selected: list[dict[str, Any]] | None) -> tuple[str, bool, str]:
    """The compare button's link, whether it is disabled, and its label for the ticked rows."""
    names = [
        r["athlete"] for r in (selected or []) if isinstance(r, dict) and isinstance(r.get("athlete"), str)
    ]
    if len(names) < 2:
        return "/compare", True, "Compare selected (tick two or more)"
    return components.compare_href(names), False, f"Compare {len(names)} athletes"


@callback(
    Output("overview-compare", "href"),
    Output("overview-compare", "disabled"),
    Output("overview-compare", "children"),
    Input("overview-table", "selectedRows"),
)
def update_compare_link(selected: list[dict[str, Any]] | None) -> tuple[str, bool, str]:
    return compare_target(selected)
