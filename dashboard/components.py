"""Pieces of layout shared by the pages. Every user string goes in as a text child, never as HTML."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.figures import PALETTE, RISK_COLOURS

SEVERITY_COLOUR = {"high": "danger", "warn": "warning", "info": "info"}
SEVERITY_LABEL = {"high": "High", "warn": "Warning", "info": "Note"}
RISK_LABEL = {"green": "low", "amber": "watch", "red": "high"}

GUIDANCE = (
    "This is training guidance, not a diagnosis. When something hurts, see a physical therapist; "
    "a functional movement screen or gait analysis can show what to work on."
)


def athlete_href(name: str, as_of: str | None = None) -> str:
    """The athlete page's address (names are URL-quoted: they may hold spaces, slashes, brackets)."""
    href = "/athlete/" + quote(name, safe="")
    return href + ("?" + urlencode({"as_of": as_of}) if as_of else "")


def compare_href(names: list[str]) -> str:
    return "/compare?" + urlencode([("athlete", n) for n in names])


def navbar() -> dbc.Navbar:
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
                    ["crosstrain ", html.Small("training balance", className="text-white-50")], href="/"
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


def guidance_note() -> dbc.Alert:
    return dbc.Alert(GUIDANCE, color="light", className="small border guidance-note mb-3", id="guidance-note")


def problem(message: str, page: str, color: str = "warning") -> dbc.Alert:
    """A one-line problem (database busy, unknown athlete, no data yet) shown instead of a page."""
    return dbc.Alert(
        [
            html.Strong("Cannot show this page: "),
            message,
            html.Br(),
            html.Small("Reload the page to try again."),
        ],
        color=color,
        id=f"{page}-problem",
    )


def risk_badge(risk: str) -> html.Span:
    return html.Span(
        f"risk: {RISK_LABEL.get(risk, risk)}",
        style={"backgroundColor": RISK_COLOURS.get(risk, "#6c757d")},
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
                        html.Strong(w["message"]),
                    ]
                ),
                html.Div([html.Span("What to do: ", className="fw-semibold"), w["advice"]], className="mt-1"),
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


def fmt(value: Any, spec: str = ".1f", missing: str = "–") -> str:
    if value is None:
        return missing
    try:
        return format(value, spec)
    except (TypeError, ValueError):
        return missing
