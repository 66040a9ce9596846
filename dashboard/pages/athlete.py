"""Athlete page: `/athlete/<name>` (URL-quoted) or `/athlete/?name=...`; `as_of`, `start`, `end` optional."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import dash
from dash import Input, Output, callback

from dashboard import athlete_view


def title(name: str | None = None, **_: Any) -> str:
    return f"crosstrain: {unquote(name)}" if name else "crosstrain: athlete"


dash.register_page(__name__, path_template="/athlete/<name>", name="Athlete", title=title, order=1)


def layout(
    name: str | None = None,
    as_of: str | None = None,
    start: str | None = None,
    end: str | None = None,
    **_: Any,
) -> Any:
    return athlete_view.layout(unquote(name) if name else None, as_of=as_of, start=start, end=end)


@callback(
    Output("athlete-content", "children"),
    Input("athlete-select", "value"),
    Input("athlete-dates", "start_date"),
    Input("athlete-dates", "end_date"),
    prevent_initial_call=True,
)
def show_athlete(name: str | None, start: str | None, end: str | None) -> Any:
    return athlete_view.render(name, start, end)
