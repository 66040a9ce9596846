"""Builds the Dash app: pages from dashboard/pages/, a Bootstrap theme, optional basic auth."""

from __future__ import annotations

import base64
import hmac
from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, html

from dashboard import components
from dashboard.data import CONFIG_KEY, DashboardConfig

PAGES = Path(__file__).parent / "pages"
AUTH_USER = "crosstrain"


def create_app(
    db_path: Path | str, settings: dict[str, Any] | None = None, password: str | None = None
) -> dash.Dash:
    """The dashboard over the database at `db_path`; with `password`, every request needs basic auth.

    Nothing is read here: pages read the database when they are shown.
    """
    app = dash.Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(PAGES),
        assets_folder=str(Path(__file__).parent / "assets"),
        suppress_callback_exceptions=True,
        title="crosstrain",
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.server.config[CONFIG_KEY] = DashboardConfig(db_path=Path(db_path), settings=settings or {})
    app.layout = html.Div(
        [components.navbar(), dbc.Container(dash.page_container, fluid="xxl", className="pb-5")],
    )

    @app.callback(
        Output("nav-collapse", "is_open"),
        Input("nav-toggler", "n_clicks"),
        State("nav-collapse", "is_open"),
        prevent_initial_call=True,
    )
    def toggle_nav(_clicks: int, is_open: bool) -> bool:
        return not is_open

    if password:
        require_password(app.server, password)
    return app


def require_password(server: flask.Flask, password: str) -> None:
    """HTTP basic auth on every request (user `crosstrain`), for serving beyond this machine."""
    expected = f"{AUTH_USER}:{password}".encode()

    @server.before_request
    def check_auth() -> flask.Response | None:
        header = flask.request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                given = base64.b64decode(header[6:], validate=True)
            except ValueError:
                given = b""
            if hmac.compare_digest(given, expected):
                return None
        return flask.Response(
            "crosstrain: password required", 401, {"WWW-Authenticate": 'Basic realm="crosstrain"'}
        )
