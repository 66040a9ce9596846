"""The import page's Garmin card: connect an athlete's Personal API key, sync with progress.

Its own module (the import page inserts `garmin_card()` and calls `register()`), with its own
callbacks; the work is ingest.garmin's, the sync runs in a child process (dashboard/garmin_job.py).
The key goes from the field to the keys file (0600) and is never shown again or put in a message.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import data
from dashboard.garmin_job import job_for, page_words
from ingest.errors import CrosstrainError

KEY_PAGE = "https://connect.garmin.com/app/settings/personalApiToken"  # = ingest.garmin.client.KEY_PAGE
LIFETIMES = [("unsure", ""), ("30 days", "30"), ("90 days", "90"), ("180 days", "180"), ("1 year", "365")]


def garmin_card() -> dbc.Card:
    body = [
        html.P(
            [
                "Each athlete makes a Personal API key for their own data on ",
                html.A("Garmin Connect (Settings, Personal API)", href=KEY_PAGE, target="_blank"),
                ". Garmin shows it once; it lasts the 30 days to a year chosen there. Then sync: only new "
                "and changed activities are fetched, each with its watch file.",
            ],
            className="small text-muted",
        ),
        dbc.Input(id="garmin-athlete", placeholder="Athlete name", type="text", className="mb-2"),
        dbc.Input(id="garmin-key", placeholder="Personal API key", type="password", className="mb-2"),
        dbc.InputGroup(
            [
                dbc.InputGroupText("Key lifetime chosen"),
                dbc.Select(
                    id="garmin-key-days", options=[{"label": k, "value": v} for k, v in LIFETIMES], value=""
                ),
            ],
            size="sm",
            className="mb-2",
        ),
        dbc.Button("Connect Garmin", id="garmin-connect", color="primary", outline=True, className="me-2"),
        dbc.Button("Sync Garmin", id="garmin-sync", color="primary"),
        html.Div(id="garmin-connect-result", className="small mt-2"),
        dbc.Progress(id="garmin-sync-progress", value=0, striped=True, animated=True, className="mt-3"),
        html.Div(id="garmin-sync-log", className="small mt-2"),
        dcc.Interval(id="garmin-sync-poll", interval=1000, disabled=True),
    ]
    return dbc.Card([dbc.CardHeader(html.Strong("Garmin Connect")), dbc.CardBody(body)], className="mt-3")


def connect_key(
    cfg: data.DashboardConfig, athlete: str | None, key: str | None, days: str | None
) -> tuple[bool, str]:
    """Exchange and store the key: (ok, the line to show)."""
    from ingest.garmin import connect

    if not (athlete or "").strip():
        return False, "Give the athlete's name first."
    if not (key or "").strip():
        return False, "Paste the athlete's Personal API key."
    try:
        with data.writing(cfg) as db_path:
            done = connect(
                db_path, key or "", athlete.strip() if athlete else "", int(days) if days else None
            )
    except CrosstrainError as exc:
        return False, page_words(str(exc))
    until = f"; the key expires on {done.key_expires_on:%Y-%m-%d}" if done.key_expires_on else ""
    return True, f"Connected Garmin for {done.athlete}{until}. Press Sync Garmin."


def connect_pressed(
    _clicks: int | None, athlete: str | None, key: str | None, days: str | None
) -> tuple[Any, str]:
    ok, text = connect_key(data.config(), athlete, key, days)
    return dbc.Alert(text, color="success" if ok else "danger", className="py-2 mb-0"), ""


def sync_progress(clicks: int | None, _ticks: int | None) -> tuple[bool, bool, int, str, Any]:
    """Start a sync on the button; every second, show what it reported; stop polling when it ends."""
    cfg = data.config()
    job = job_for(cfg.db_path)
    if dash.ctx.triggered_id == "garmin-sync" and clicks:
        job.start(cfg.db_path, cfg.settings)
    state = job.poll()
    log = [html.Div(line) for line in state["lines"]]
    if state["running"]:
        value = min(95, 5 + int(90 * state["share"]))
        return False, True, value, f"{value} %", log
    if state["ok"] is None:
        return True, False, 0, "", log
    return True, False, 100, "done" if state["ok"] else "stopped", log


def register() -> None:
    """Register the card's callbacks with the app being built. The import page calls this when Dash
    executes it, once per app, as a page's own `@callback`s are (a plain module is imported only once,
    so decorating here would reach only the first app of a process)."""
    callback(
        Output("garmin-connect-result", "children"),
        Output("garmin-key", "value"),
        Input("garmin-connect", "n_clicks"),
        State("garmin-athlete", "value"),
        State("garmin-key", "value"),
        State("garmin-key-days", "value"),
        prevent_initial_call=True,
    )(connect_pressed)
    callback(
        Output("garmin-sync-poll", "disabled"),
        Output("garmin-sync", "disabled"),
        Output("garmin-sync-progress", "value"),
        Output("garmin-sync-progress", "label"),
        Output("garmin-sync-log", "children"),
        Input("garmin-sync", "n_clicks"),
        Input("garmin-sync-poll", "n_intervals"),
    )(sync_progress)
