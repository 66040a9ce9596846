"""Import: upload CSV files (or a Strava export .zip); connect Strava and sync with progress."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import components, data, garmin_view
from dashboard.strava_job import strava_configured
from dashboard.uploads import FORMATS, MAX_FILE_MB, MAX_FILES, MAX_TOTAL_MB, import_uploads
from ingest.csv_import import FileResult
from ingest.files.importer import FilesResult

dash.register_page(__name__, path="/import", name="Import", title="crosstrain: import", order=3)

SHOWN_REJECTS = 20
garmin_view.register()  # the Garmin card's callbacks, with this page's


def layout(strava: str | None = None, **_: Any) -> Any:
    return html.Div(
        [
            html.H2("Import"),
            dbc.Row(
                [
                    dbc.Col(upload_card(), lg=7, className="mb-3"),
                    dbc.Col([strava_card(strava), garmin_view.garmin_card()], lg=5, className="mb-3"),
                ]
            ),
        ]
    )


def upload_card() -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(html.Strong("Upload files")),
            dbc.CardBody(
                [
                    html.P(
                        [
                            "Activity files (.fit, .gpx, .tcx, also .gz), Strava's activities.csv or its "
                            "export .zip, Garmin Connect's Activities.csv or data export .zip, or a generic "
                            "file with columns ",
                            html.Code("date,type,duration"),
                            " (optional ",
                            html.Code("distance_km,rpe,name,athlete,avg_hr,max_hr"),
                            f"). Up to {MAX_FILES} files and {MAX_TOTAL_MB} MB per upload, "
                            f"{MAX_FILE_MB} MB per file; each file is imported on its own.",
                        ],
                        className="small text-muted",
                    ),
                    dbc.Row(
                        [
                            dbc.Col(
                                dbc.Input(
                                    id="import-athlete",
                                    placeholder="Athlete name (unless the file names it)",
                                    type="text",
                                ),
                                md=7,
                                className="mb-2",
                            ),
                            dbc.Col(
                                dbc.Select(
                                    id="import-format",
                                    options=[{"label": f"format: {f}", "value": f} for f in FORMATS],
                                    value="auto",
                                ),
                                md=5,
                                className="mb-2",
                            ),
                        ]
                    ),
                    dcc.Upload(
                        id="import-upload",
                        children=html.Div(["Drag and drop files here, or ", html.A("choose files")]),
                        multiple=True,
                        # No size limit in the browser: it would drop a big file silently; the
                        # server checks sizes and says so.
                        accept=".csv,.zip,.fit,.gpx,.tcx,.gz,text/csv,application/zip",
                        className="upload-zone",
                    ),
                    dcc.Loading(html.Div(id="import-results", className="mt-3")),
                ]
            ),
        ]
    )


def strava_card(status: str | None) -> dbc.Card:
    if not strava_configured():
        body = [
            html.P(
                [
                    "Strava is not set up: set ",
                    html.Code("STRAVA_CLIENT_ID"),
                    " and ",
                    html.Code("STRAVA_CLIENT_SECRET"),
                    " (from your API application at strava.com/settings/api, callback domain 127.0.0.1) "
                    "and restart the dashboard.",
                ],
                className="small",
                id="import-strava-missing",
            ),
            dbc.Button("Connect Strava", disabled=True, color="secondary", className="me-2"),
            dbc.Button("Sync now", disabled=True, color="secondary"),
        ]
    else:
        body = [
            html.P(
                "Connect each athlete once (Strava asks them to approve read access), then sync: "
                "only new activities are fetched.",
                className="small text-muted",
            ),
            dbc.Alert(status, color="info", className="small py-2", id="import-strava-status")
            if status
            else None,
            html.A("Connect Strava", href="/strava/connect", className="btn btn-outline-primary me-2"),
            dbc.Button("Sync now", id="import-sync", color="primary"),
            dbc.Progress(id="import-sync-progress", value=0, striped=True, animated=True, className="mt-3"),
            html.Div(id="import-sync-log", className="small mt-2"),
            dcc.Interval(id="import-sync-poll", interval=1000, disabled=True),
        ]
    return dbc.Card([dbc.CardHeader(html.Strong("Strava")), dbc.CardBody(body)])


def result_view(results: list[FileResult | FilesResult] | str) -> Any:
    """Per file: what was imported and every rejected row (line, column, reason)."""
    if isinstance(results, str):
        return dbc.Alert(results, color="danger", id="import-problem")
    items = []
    for i, r in enumerate(results):
        if isinstance(r, FilesResult):
            items.append(files_view(i, r))
            continue
        if r.error:
            items.append(
                dbc.Alert([html.Strong("Not imported: "), r.error], color="danger", id=f"import-file-{i}")
            )
            continue
        colour = "warning" if r.rejects else "success"
        rejects = None
        if r.rejects:
            rows = [
                html.Tr([html.Td(str(j.line or "")), html.Td(j.column or ""), html.Td(j.reason)])
                for j in r.rejects[:SHOWN_REJECTS]
            ]
            more = len(r.rejects) - SHOWN_REJECTS
            rejects = html.Div(
                [
                    dbc.Table(
                        [
                            html.Thead(html.Tr([html.Th("line"), html.Th("column"), html.Th("reason")])),
                            html.Tbody(rows),
                        ],
                        size="sm",
                        className="mb-1 mt-2 bg-white",
                    ),
                    html.Small(f"and {more} more rejected rows") if more > 0 else None,
                ]
            )
        links = [
            dcc.Link(name, href=components.athlete_href(name), className="me-2 fw-semibold")
            for name in r.athletes
        ]
        items.append(
            dbc.Alert(
                [
                    html.Div(r.summary(), className="import-summary"),
                    html.Div(["Open: ", *links], className="mt-1") if links else None,
                    rejects,
                ],
                color=colour,
                id=f"import-file-{i}",
            )
        )
    return html.Div(items)


def files_view(i: int, r: FilesResult) -> Any:
    """What an activity file or archive gave: its summary, its export's CSV, and what was refused."""
    if r.error:
        return dbc.Alert([html.Strong("Not imported: "), r.error], color="danger", id=f"import-file-{i}")
    shown = r.rejects[:SHOWN_REJECTS]
    more = len(r.rejects) - len(shown)
    return dbc.Alert(
        [
            html.Div(r.csv.summary(), className="import-summary") if r.csv is not None else None,
            html.Div(r.summary(), className="import-summary"),
            html.Ul([html.Li(line) for line in shown], className="small mb-0 mt-1") if shown else None,
            html.Small(f"and {more} more refused") if more > 0 else None,
        ],
        color="warning" if r.rejects or (r.csv is not None and r.csv.rejects) else "success",
        id=f"import-file-{i}",
    )


@callback(
    Output("import-results", "children"),
    Input("import-upload", "contents"),
    State("import-upload", "filename"),
    State("import-athlete", "value"),
    State("import-format", "value"),
    prevent_initial_call=True,
)
def upload(contents: Any, names: Any, athlete: Any, fmt: Any) -> Any:
    """Whatever arrives (a browser's upload or anything a script posts) gets a message, never a 500."""
    if not contents:
        return dash.no_update
    return result_view(import_uploads(contents, names, athlete, fmt))


@callback(
    Output("import-sync-poll", "disabled"),
    Output("import-sync", "disabled"),
    Output("import-sync-progress", "value"),
    Output("import-sync-progress", "label"),
    Output("import-sync-log", "children"),
    Input("import-sync", "n_clicks"),
    Input("import-sync-poll", "n_intervals"),
)
def sync_progress(clicks: int | None, _ticks: int | None) -> tuple[bool, bool, int, str, Any]:
    """Start a sync on the button; every second, show what it reported; stop polling when it ends."""
    cfg = data.config()
    if dash.ctx.triggered_id == "import-sync" and clicks:
        cfg.strava.start(cfg.db_path, cfg.settings)
    state = cfg.strava.poll()
    log = [html.Div(line) for line in state["lines"]]
    if state["running"]:
        return False, True, min(95, 10 + 10 * state["pages"]), f"{state['pages']} pages", log
    if state["ok"] is None:
        return True, False, 0, "", log
    return True, False, 100, "done" if state["ok"] else "stopped", log
