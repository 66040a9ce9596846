"""Pieces of layout shared by the pages. Every user string goes in as a text child, never as HTML."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import words
from dashboard.figures import PALETTE, RISK_COLOURS

SEVERITY_COLOUR = {"high": "danger", "warn": "warning", "info": "info"}
SEVERITY_LABEL = {"high": "High", "warn": "Warning", "info": "Note"}
# The CLI's risk words, in the order the overview and compare list them: inactive athletes last.
RISK_ORDER = {"red": 0, "amber": 1, "green": 2, "inactive": 3}

GUIDANCE = (
    "This is training guidance, not a diagnosis. When something hurts, see a physical therapist; "
    "a functional movement screen or gait analysis is an option (good practice, not tested as injury "
    "prevention)."
)


@lru_cache(maxsize=8192)
def athlete_href(name: str, as_of: str | None = None) -> str:
    """The athlete page's address (names are URL-quoted: they may hold spaces, slashes, brackets).
    Kept: the overview asks for every athlete's on each load (quoting 1,000 names took ~10 ms)."""
    href = "/athlete/" + quote(name, safe="")
    return href + ("?" + urlencode({"as_of": as_of}) if as_of else "")


def compare_href(names: list[str]) -> str:
    return "/compare?" + urlencode([("athlete", n) for n in names])


def navbar(demo: bool = False) -> dbc.Navbar:
    """The page links; in the demo a badge says the athletes are synthetic."""
    links = [
        ("Coach overview", "/"),
        ("Athlete", "/athlete"),
        ("Compare", "/compare"),
        ("Import", "/import"),
        ("Plan", "/plan"),
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    [
                        "crosstrain ",
                        html.Small("training balance", className="text-white-50"),
                        demo_badge() if demo else None,
                    ],
                    href="/",
                ),
                dbc.NavbarToggler(id="nav-toggler", n_clicks=0),
                dbc.Collapse(
                    dbc.Nav([dbc.NavLink(t, href=h, active="exact") for t, h in links], navbar=True),
                    id="nav-collapse",
                    navbar=True,
                    is_open=False,
                ),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        className="mb-3",
    )


def demo_badge() -> dbc.Badge:
    return dbc.Badge("demo: synthetic athletes", color="warning", className="ms-2", id="demo-badge")


def guidance_note() -> dbc.Alert:
    return dbc.Alert(GUIDANCE, color="light", className="small border guidance-note mb-3", id="guidance-note")


def problem(message: str, page: str, color: str = "warning") -> dbc.Alert:
    """A one-line problem (database busy, unknown athlete, a bad date) shown instead of a page."""
    return dbc.Alert(message, color=color, id=f"{page}-problem", className="mb-3")


def welcome(page: str) -> html.Div:
    """What every page shows before the database holds an athlete: where to start."""
    commands = [
        ("crosstrain import PATH --athlete NAME", "CSV exports, .fit/.gpx/.tcx files, folders, export zips"),
        ("crosstrain strava connect", "then crosstrain strava sync"),
        ("crosstrain demo", "four synthetic athletes in a database of their own"),
    ]
    return html.Div(
        [
            html.H2("Welcome to crosstrain"),
            html.P(
                "No athletes yet. Import activities to see each athlete's balance of running and support "
                "work (strength, Pilates, mobility) and the warnings a coach needs.",
                className="lead",
            ),
            dbc.Button(
                "Go to Import", href="/import", color="primary", className="mb-3", id="welcome-import"
            ),
            html.P("Or from a terminal:", className="mb-1"),
            html.Ul(
                [
                    html.Li([html.Code(command), html.Span(f": {why}", className="text-muted")])
                    for command, why in commands
                ],
                className="small",
            ),
        ],
        id=f"{page}-welcome",
        className="welcome",
    )


def risk_text(risk: str, last_activity: Any = None) -> str:
    """The CLI's word; an inactive athlete says since when."""
    if risk != "inactive":
        return risk
    return f"inactive since {str(last_activity)[:10]}" if last_activity else "inactive: no data yet"


def risk_fields(risk: str, last_activity: Any = None) -> dict[str, Any]:
    """A grid row's risk fields: the word (for the colour), its rank (for sorting), its text."""
    return {
        "risk": risk,
        "risk_rank": RISK_ORDER.get(risk, len(RISK_ORDER)),
        "risk_text": risk_text(risk, last_activity),
    }


def risk_column(**extra: Any) -> dict[str, Any]:
    """The grid's Risk column over `risk_fields`: sorted by rank (the page's riskOrder), coloured as
    the badges are."""
    styles = [
        {
            "condition": f"params.data && params.data.risk == '{risk}'",
            "style": {"backgroundColor": colour, "color": "white", "fontWeight": "600"},
        }
        for risk, colour in RISK_COLOURS.items()
    ]
    return {
        "headerName": "Risk",
        "field": "risk_text",
        "comparator": {"function": "riskOrder"},
        "cellStyle": {"styleConditions": styles},
        **extra,
    }


def risk_badge(risk: str, last_activity: Any = None) -> html.Span:
    return html.Span(
        f"risk: {risk}" if risk != "inactive" else risk_text(risk, last_activity),
        style={"backgroundColor": RISK_COLOURS.get(risk, RISK_COLOURS["inactive"])},
        className="risk-badge align-middle",
        id="risk-badge",
    )


def warning_cards(warnings: list[dict[str, Any]], page: str) -> html.Div:
    """Each warning with its numbers (the message) and what to do about it (the advice)."""
    if not warnings:
        return html.Div(
            dbc.Alert(
                "No warnings: running is balanced by support work in this window.",
                color="success",
                className="mb-0",
            ),
            id=f"{page}-warnings",
        )
    cards = [
        html.Div(
            [
                html.Div(
                    [
                        dbc.Badge(
                            SEVERITY_LABEL.get(w["severity"], w["severity"]),
                            color=SEVERITY_COLOUR.get(w["severity"], "secondary"),
                            className="me-2 align-text-bottom",
                        ),
                        html.Strong(words.page_words(w["message"])),
                    ]
                ),
                html.Div(
                    [html.Span("What to do: ", className="fw-semibold"), words.page_words(w["advice"])],
                    className="mt-1",
                ),
            ],
            className=f"warning-card severity-{w['severity']} mb-2",
            id=f"{page}-warning-{w['code']}",
        )
        for w in warnings
    ]
    return html.Div(cards, id=f"{page}-warnings")


def stat(label: str, value: str, hint: str | None = None) -> dbc.Col:
    body = [html.Div(label, className="text-muted small"), html.Div(value, className="fs-4 fw-semibold")]
    if hint:
        body.append(html.Div(hint, className="text-muted small"))
    return dbc.Col(dbc.Card(dbc.CardBody(body, className="py-2 px-3"), className="h-100"), xs=6, md=4, lg=2)


def category_legend() -> html.Div:
    return html.Div(
        [
            html.Span(
                [html.Span(className="swatch", style={"backgroundColor": colour}), name],
                className="me-3 small text-nowrap",
            )
            for name, colour in PALETTE.items()
        ],
        className="mb-2",
    )


# Pickers whose long list of athletes comes after the charts (`athlete_picker`): their ids, for
# `app.defer_components` to register one clientside callback each.
PICKERS = ("athlete-select", "compare-select", "plan-athlete")
# From this many names on, the picker's search index (built by the browser when its options are set:
# ~0.1 s for 1,000 names) waits until the charts are drawn.
LONG_LIST = 50
DEFERRED_OPTIONS = "deferred-options"


def athlete_picker(picker_id: str, names: list[str], value: Any, placeholder: str, **options: Any) -> Any:
    """A dropdown of athletes by name (`multi=True` for several), the same on every page.

    A long list starts with the chosen names only; the rest is sent with the page in a store and
    put on the picker when the browser is first idle (as `deferred`), the charts drawn first."""
    every = [{"label": n, "value": n} for n in names]
    long_list = len(names) >= LONG_LIST
    if long_list:
        assert picker_id in PICKERS, f"{picker_id}: add it to components.PICKERS"
        chosen = set(value if isinstance(value, list) else [value])
        first = [o for o in every if o["value"] in chosen]
    picker = dcc.Dropdown(
        id=picker_id,
        options=first if long_list else every,
        value=value,
        placeholder=placeholder,
        **({"clearable": False} | options),
    )
    if not long_list:
        return picker
    return html.Div([picker, dcc.Store(id={"type": DEFERRED_OPTIONS, "picker": picker_id}, data=every)])


def graph(fig_id: str, figure: Any) -> dcc.Graph:
    """A chart that fills its column's width at the figure's own height."""
    height = figure["layout"].get("height") or 320
    return dcc.Graph(
        id=fig_id,
        figure=figure,
        responsive=True,
        style={"height": f"{height}px"},
        config={"displayModeBar": False},  # drag to zoom, double-click to reset
        className="chart",
    )


DEFERRED = "deferred"


def deferred(slot: str, component: Component) -> html.Div:
    """`component`, sent with the page but put on it once the browser is idle (after the charts above):
    for something below the fold whose set-up would hold up the first view (the sessions grid: AG Grid
    builds its theme and measures its columns on mount). `app.defer_components` registers the callback."""
    return html.Div(
        [
            dcc.Store(id={"type": DEFERRED, "slot": slot}, data=component.to_plotly_json()),
            html.Div(id={"type": DEFERRED + "-slot", "slot": slot}),
        ]
    )


def fmt(value: Any, spec: str = ".1f", missing: str = "–") -> str:
    """`value` formatted; a dash for None and for anything not a finite number (never "nan" or "inf")."""
    if value is None or isinstance(value, bool):
        return missing
    try:
        if not math.isfinite(float(value)):
            return missing
        return format(value, spec)
    except (TypeError, ValueError):
        return missing


def finite_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for a grid with every non-finite number (NaN, inf) as None, shown as a dash."""
    return [
        {k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in row.items()}
        for row in rows
    ]


def number_format(spec: str) -> dict[str, str]:
    """A grid valueFormatter: d3-format `spec`, a dash for a missing value."""
    return {"function": f"params.value == null ? '–' : d3.format('{spec}')(params.value)"}


def grid(grid_id: str, rows: list[dict[str, Any]], columns: list[dict[str, Any]], **options: Any) -> Any:
    """An AG Grid (dash-ag-grid) table: sortable, filterable columns; cells are text, never HTML."""
    grid_options = {"domLayout": "autoHeight", "animateRows": False, "suppressCellFocus": False}
    grid_options |= options.pop("grid_options", {})
    return dag.AgGrid(
        id=grid_id,
        rowData=finite_rows(rows),
        columnDefs=columns,
        defaultColDef={
            "sortable": True,
            "filter": True,
            "resizable": True,
            "minWidth": 80,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        dashGridOptions=grid_options,
        columnSize="responsiveSizeToFit",
        className="grid",
        style=options.pop("style", {"width": "100%"}),
        **options,
    )
