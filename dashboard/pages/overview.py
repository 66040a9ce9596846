"""Coach overview: every athlete in one sortable table, highest risk first; pick some to compare."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dashboard import athlete_view, components, data, figures, words
from queries import plan_done
from queries.overview_last import overview_each_last

dash.register_page(
    __name__,
    path="/",
    name="Coach overview",
    title="crosstrain: coach overview",
    order=0,
    prefetch=True,
    keep_answer=True,
)

SPARK_WEEKS = data.SPARK_WEEKS


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


# What the coach triages on, first and wrapped, fitting 1024 px without sideways scrolling; the numbers
# in one wrapped column (the switch shows them as sortable columns instead).
MAIN_COLUMNS: list[dict[str, Any]] = [
    {
        "headerName": "Athlete",
        "field": "athlete",
        "cellRenderer": "AthleteLink",
        "filter": "agTextColumnFilter",
        "minWidth": 130,
        "flex": 1.1,
        "wrapText": True,
        "autoHeight": True,
    },
    components.risk_column(minWidth=95, flex=0.6, wrapText=True, autoHeight=True),
    {
        "headerName": "Warnings",
        "field": "warnings_text",
        "tooltipField": "warnings_text",
        "minWidth": 190,
        "flex": 2.2,
        "wrapText": True,
        "autoHeight": True,
    },
    {
        "headerName": "Last activity",
        "field": "last_activity",
        "minWidth": 100,
        "flex": 0.7,
        "wrapHeaderText": True,
    },
    {
        "headerName": "Plan",
        "field": "plan_findings",
        "minWidth": 100,
        "flex": 0.9,
        "wrapText": True,
        "autoHeight": True,
        "headerTooltip": "The last plan check: findings from the planned days",
    },
]
SUMMARY_COLUMN = {
    "headerName": "Numbers (28 d)",
    "field": "numbers",
    "tooltipField": "numbers",
    "sortable": False,
    "minWidth": 170,
    "flex": 1.9,
    "wrapText": True,
    "autoHeight": True,
}
NUMBER_COLUMNS: list[dict[str, Any]] = [
    number_column("support_share", "Support share", ".0%"),
    spark_column("spark_support", f"Support share, {SPARK_WEEKS} wk", "strength"),
    number_column("run_km", "Run km (28 d)", ".0f"),
    spark_column("spark_run", f"Run km, {SPARK_WEEKS} wk", "run"),
    number_column("strength_sessions_per_week", "Strength per week", ".1f"),
    number_column("monotony", "Monotony", ".2f"),
    number_column("acwr", "ACWR", ".2f"),
    number_column(
        "hip_sets",
        "Hip sets (28 d)",
        "d",
        headerTooltip="Hip and glute sets from a watch; a dash: no set data",
    ),
]


def columns(all_numbers: bool = False) -> list[dict[str, Any]]:
    """The grid's columns: the triage and one wrapped numbers column, or every number in its own
    sortable column (wider than 1024 px: the grid scrolls then)."""
    return MAIN_COLUMNS + (NUMBER_COLUMNS if all_numbers else [SUMMARY_COLUMN])


COLUMNS = columns()


def numbers_text(a: dict[str, Any]) -> str:
    """The 28-day numbers in one line that wraps: support share, run km, strength, monotony, ACWR."""
    fmt = components.fmt
    parts = [
        f"support {fmt(a.get('support_share'), '.0%')}",
        f"run {fmt(a.get('run_km'), '.0f')} km",
        f"strength {fmt(a.get('strength_sessions_per_week'), '.1f')}/wk",
        f"monotony {fmt(a.get('monotony'), '.2f')}",
        f"ACWR {fmt(a.get('acwr'), '.2f')}",
    ]
    return " · ".join(parts)


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
    for a in compare["athletes"]:
        name, risk = a["athlete"], a["risk"]
        as_of = a.get("as_of") or compare.get("as_of")  # each athlete's own day, or the page's
        rows.append(
            {
                "athlete": name,
                "href": components.athlete_href(name, as_of),
                "last_activity": str(a.get("last_activity") or "")[:10] or None,
                "numbers": numbers_text(a),
                **components.risk_fields(risk, a.get("last_activity")),
                "support_share": a["support_share"],
                "spark_support": spark_support.get(a["athlete"], ""),
                "run_km": a["run_km"],
                "spark_run": spark_run.get(a["athlete"], ""),
                "strength_sessions_per_week": a["strength_sessions_per_week"],
                "monotony": a["monotony"],
                "acwr": a["acwr"],
                "hip_sets": a.get("hip_sets"),
                "warnings_text": words.warnings_text(a["warnings"]),
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
        columns(),
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


def plan_column() -> dict[str, str]:
    """Each athlete's last stored plan check as a short text ('' without a plan)."""
    checks = data.cached(("plan_checks",), lambda: data.read(plan_done.stored_checks))
    return {name: plan_done.findings_text(check) for name, check in checks.items()}


LAST = "last"  # ?as_of=last: each athlete as of their own last activity


def each_last_data() -> tuple[dict[str, Any], pd.DataFrame]:
    """Every athlete as of their own last activity (queries/overview_last.py)."""
    with data.reading() as con:
        return overview_each_last(con, SPARK_WEEKS, data.settings())


def layout(as_of: str | None = None, **_: Any) -> Any:
    # the athlete list, the overview and the plan checks: one connection, of the every-core instance
    with data.one_connection(every_core=True):
        return page(as_of)


def page(as_of: str | None) -> Any:
    """The overview page as of `as_of`: a day, `last` (each athlete's last activity) or today."""
    try:
        everyone = data.athletes()
        if not everyone:
            return components.welcome("overview")
        if len(everyone) == 1:
            return athlete_view.layout(everyone[0]["name"], as_of=None if as_of == LAST else as_of)
        if as_of == LAST:
            day = None
            result, weekly = data.cached(("overview-last", repr(data.settings())), each_last_data)
        else:
            day = data.parse_date(as_of, data.default_as_of(everyone), "as_of")
            result, weekly = data.overview(day)
        checks = plan_column()
        # The rows (words, sparklines, formatted numbers: ~20 ms for 1,000 athletes) are kept like the
        # data they come from: a warm overview only sends them.
        rows = data.cached(
            ("overview-rows", day, repr(data.settings())), lambda: table_rows(result, weekly, checks)
        )
        if data.prefetching():
            return None
    except Exception as exc:  # noqa: BLE001 - shown as one line
        return components.problem(data.error_message(exc), "overview")
    data.answer_may_be_kept()  # the table, not a problem: the same answer until a write or the next day
    when = "each athlete's last 28 days of activity" if day is None else f"the 28 days to {day}"
    inactive = sum(r["risk"] == "inactive" for r in rows)
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.H2("Coach overview", className="mb-0"),
                            html.Div(
                                f"{len(rows)} athletes, {when}; highest risk first, inactive athletes "
                                "last. Click a column to sort, a name to open the athlete, tick rows to "
                                "compare.",
                                className="text-muted small",
                                id="overview-when",
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
                className="mb-2 align-items-end",
            ),
            day_picker(day, everyone, inactive),
            overview_table(rows),
            html.Div(
                [
                    "Numbers: the last 28 days (support share = strength + Pilates + mobility minutes over "
                    f"all minutes). Sparklines (with every number as a column): the last {SPARK_WEEKS} "
                    "weeks, oldest first. A dash: not defined (ACWR without load in 28 days, monotony "
                    "without load in 7, hip sets without set data from a watch). ",
                    components.GUIDANCE,
                ],
                className="text-muted small mt-2",
            ),
        ]
    )


def day_picker(day: dt.date | None, everyone: list[dict[str, Any]], inactive: int) -> Any:
    """Which day the windows end on: today, a day, or each athlete's own last activity (a squad of
    imported histories that end at different times); and every number as a column."""
    mode = LAST if day is None else ("today" if day == dt.date.today() else "day")
    hint = (
        f" {inactive} of {len(everyone)} athletes have no session in the weeks to this day: "
        "\u201ceach athlete's last activity\u201d shows how their last weeks went."
        if inactive and mode != LAST
        else ""
    )
    return html.Div(
        [
            html.Div(
                [
                    html.Span("Windows end on:", className="small fw-semibold"),
                    dbc.RadioItems(
                        id="overview-day",
                        options=[
                            {"label": "today", "value": "today"},
                            {"label": "each athlete's last activity", "value": LAST},
                            {"label": "a day:", "value": "day"},
                        ],
                        value=mode,
                        inline=True,
                        className="small",
                    ),
                    html.Div(
                        dcc.DatePickerSingle(
                            id="overview-date",
                            date=(day or dt.date.today()).isoformat(),
                            display_format="YYYY-MM-DD",
                            first_day_of_week=1,
                        )
                    ),
                    dbc.Switch(
                        id="overview-all-numbers",
                        label="every number as a column",
                        value=False,
                        className="small",
                    ),
                ],
                className="overview-day",
            ),
            html.Div(hint, className="small text-muted", id="overview-day-hint") if hint else None,
            dcc.Location(id="overview-go", refresh=True),
        ],
        className="mb-2",
    )


def day_href(mode: str | None, date: str | None) -> str | None:
    """The overview's address for the picked day (None: stay)."""
    if mode == "today":
        return "/"
    if mode == LAST:
        return "/?as_of=" + LAST
    if mode == "day" and date:
        return "/?as_of=" + str(date)[:10]
    return None


@callback(
    Output("overview-go", "href"),
    Input("overview-day", "value"),
    Input("overview-date", "date"),
    prevent_initial_call=True,
)
def go_to_day(mode: str | None, date: str | None) -> Any:
    if dash.ctx.triggered_id == "overview-date":
        mode = "day"
    return day_href(mode, date) or dash.no_update


@callback(
    Output("overview-table", "columnDefs"),
    Input("overview-all-numbers", "value"),
    prevent_initial_call=True,
)
def show_all_numbers(all_numbers: bool) -> list[dict[str, Any]]:
    return columns(bool(all_numbers))


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
