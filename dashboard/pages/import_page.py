"""Import: upload CSV files; connect and sync Strava."""

from __future__ import annotations

from typing import Any

import dash
from dash import html

dash.register_page(__name__, path="/import", name="Import", title="crosstrain: import", order=3)


def layout(**_: Any) -> Any:
    return html.Div([html.H2("Import")], id="import-page")
