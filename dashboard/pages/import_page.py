"""Import: upload CSV files (or a Strava export .zip); connect Strava and sync with progress."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import components, data, garmin_view
from dashboard.strava_job import strava_configured
from dashboard.uploads import FORMATS, MAX_FILE_MB, MAX_FILES, MAX_TOTAL_MB, import_uploads
from dashboard.words import page_words
from ingest.exports.importer import FileResult
from ingest.files.importer import STAGES, FilesResult

dash.register_page(__name__, path="/import", name="Import", title="crosstrain: import", order=3)

SHOWN_REJECTS = 20
# The stages an import reports (ingest/files/importer.py's STAGES, and the CSV files after them).
STAGE_WORDS = {**STAGES, "csv files": "importing CSV files", "starting": "starting"}
garmin_view.register()  # the Garmin card's callbacks, with this page's


def layout(strava: str | None = None, **_: Any) -> Any:
    """A card per source (SECTIONS: uploads, Strava, Garmin; a new source adds its own), and in the demo a
    line saying where imports go."""
    return html.Div(
        [
            html.H2("Import"),
            demo_note(),
            dbc.Row([dbc.Col(section(strava), lg=6, className="mb-3") for section in SECTIONS]),
        ]
    )


def demo_note() -> Any:
    """In the demo: uploads and Strava go into the user's own database, not the demo's."""
    cfg = data.config()
    if cfg.user_db is None:
        return None
    return dbc.Alert(
        [
            html.Strong("This is the demo. "),
            f"Files you import here go into your own database ({cfg.user_db}), not the demo's "
            "synthetic athletes; open them with ",
            html.Code("crosstrain dashboard"),
            ".",
        ],
        color="warning",
        id="import-demo-note",
    )


# "auto": the file decides (the import tells units and date orders from its rows and says so).
UNIT_CHOICES = [
    {"label": "from the file", "value": "auto"},
    {"label": "metric (km, m)", "value": "metric"},
    {"label": "imperial (miles, feet)", "value": "imperial"},
]
DATE_ORDER_CHOICES = [
    {"label": "from the file", "value": "auto"},
    {"label": "day/month (5/1 = 5 Jan)", "value": "dmy"},
    {"label": "month/day (5/1 = 1 May)", "value": "mdy"},
]


def field(label: str, control: Any, md: int = 6) -> dbc.Col:
    """A labelled control of the upload form (the label is what messages call the field)."""
    return dbc.Col(
        [dbc.Label(label, html_for=control.id, className="small mb-0"), control], md=md, className="mb-2"
    )


def upload_card(_status: str | None = None) -> dbc.Card:
    """Upload files: the fields `crosstrain import` has (athlete, format, time zone, units, date
    order), the drop zone, a progress bar while the import runs, and the results."""
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
                            f"{MAX_FILE_MB} MB per file; each file is imported on its own. An empty field "
                            "or \u201cfrom the file\u201d lets the file decide.",
                        ],
                        className="small text-muted",
                    ),
                    dbc.Row(
                        [
                            field(
                                "Athlete",
                                dbc.Input(
                                    id="import-athlete",
                                    placeholder="name (unless the file names it)",
                                    type="text",
                                ),
                            ),
                            field(
                                "Format",
                                dbc.Select(
                                    id="import-format",
                                    options=[
                                        {"label": "auto (from the header)" if f == "auto" else f, "value": f}
                                        for f in FORMATS
                                    ],
                                    value="auto",
                                ),
                            ),
                            field(
                                "Time zone",
                                dcc.Dropdown(
                                    id="import-timezone",
                                    options=time_zones(),
                                    placeholder="the athlete's stored zone, else this computer's",
                                    clearable=True,
                                ),
                            ),
                            field(
                                "Units",
                                dbc.Select(id="import-units", options=UNIT_CHOICES, value="auto"),
                            ),
                            field(
                                "Date order",
                                dbc.Select(id="import-date-order", options=DATE_ORDER_CHOICES, value="auto"),
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
                    html.Div(id="import-progress", className="mt-3"),
                    dcc.Interval(id="import-poll", interval=500, disabled=True),
                    dcc.Store(id="import-job"),
                    html.Div(id="import-results", className="mt-3"),
                ]
            ),
        ]
    )


def time_zones() -> list[str]:
    """IANA zones to pick from (the import checks the zone too)."""
    import zoneinfo

    return sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))
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


# The Import page's sections, one card per source, in order: a source adds its own card here.


def garmin_card(_status: str | None = None) -> dbc.Card:
    """Garmin Connect through its Personal API (dashboard/garmin_view.py)."""
    return garmin_view.garmin_card()


SECTIONS: list[Any] = [upload_card, strava_card, garmin_card]


def result_view(results: list[FileResult | FilesResult] | str) -> Any:
    """Per file: what was imported, a link to each athlete imported, and every rejected row (line,
    column, reason); in the form's words, never command-line flags."""
    if isinstance(results, str):
        return dbc.Alert(page_words(results), color="danger", id="import-problem")
    items = []
    for i, r in enumerate(results):
        if isinstance(r, FilesResult):
            items.append(files_view(i, r))
            continue
        if r.error:
            items.append(not_imported(i, r.error))
            continue
        colour = "warning" if r.rejects else "success"
        rejects = None
        if r.rejects:
            rows = [
                html.Tr([html.Td(str(j.line or "")), html.Td(j.column or ""), html.Td(page_words(j.reason))])
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
        items.append(
            dbc.Alert(
                [
                    html.Div(page_words(r.summary()), className="import-summary"),
                    athlete_links(r.athletes),
                    rejects,
                ],
                color=colour,
                id=f"import-file-{i}",
            )
        )
    return html.Div(items)


def not_imported(i: int, error: str) -> dbc.Alert:
    return dbc.Alert(
        [html.Strong("Not imported: "), page_words(error)], color="danger", id=f"import-file-{i}"
    )


def athlete_links(names: list[str]) -> Any:
    """A link to each athlete imported; in the demo, where they went instead (not the demo's pages)."""
    if not names:
        return None
    cfg = data.config()
    if cfg.user_db is not None:
        return html.Div(
            [
                f"Imported into your database ({cfg.user_db}): {', '.join(names)}. Open them with ",
                html.Code("crosstrain dashboard"),
                ".",
            ],
            className="mt-1 import-where",
        )
    links = [
        dcc.Link(name, href=components.athlete_href(name), className="me-2 fw-semibold import-athlete-link")
        for name in names
    ]
    return html.Div(["Open: ", *links], className="mt-1")


def files_view(i: int, r: FilesResult) -> Any:
    """What an activity file or archive gave: its summary, its export's CSV, and what was refused."""
    if r.error:
        return not_imported(i, r.error)
    shown = r.rejects[:SHOWN_REJECTS]
    more = len(r.rejects) - len(shown)
    names = list(dict.fromkeys([*(r.csv.athletes if r.csv is not None else []), *r.athletes]))
    return dbc.Alert(
        [
            html.Div(page_words(r.csv.summary()), className="import-summary") if r.csv is not None else None,
            html.Div(page_words(r.summary()), className="import-summary"),
            athlete_links(names),
            html.Ul([html.Li(page_words(line)) for line in shown], className="small mb-0 mt-1")
            if shown
            else None,
            html.Small(f"and {more} more refused") if more > 0 else None,
        ],
        color="warning" if r.rejects or (r.csv is not None and r.csv.rejects) else "success",
        id=f"import-file-{i}",
    )


@callback(
    Output("import-results", "children"),
    Output("import-progress", "children"),
    Output("import-poll", "disabled"),
    Output("import-job", "data"),
    Input("import-upload", "contents"),
    State("import-upload", "filename"),
    State("import-athlete", "value"),
    State("import-format", "value"),
    State("import-timezone", "value"),
    State("import-units", "value"),
    State("import-date-order", "value"),
    prevent_initial_call=True,
)
def upload(
    contents: Any, names: Any, athlete: Any, fmt: Any, timezone: Any, units: Any, date_order: Any
) -> tuple[Any, Any, bool, Any]:
    """An upload starts its import beside the page; `show_import` polls it (without the files: the
    poll must not send them again). A browser's upload or anything a script posts gets a message,
    never a 500."""
    if not contents:
        return dash.no_update, dash.no_update, True, dash.no_update
    cfg = data.config()
    options = {"timezone": timezone, "units": units, "date_order": date_order}

    def run(progress: Any) -> Any:
        return import_uploads(contents, names, athlete, fmt, progress, options, cfg)

    job = cfg.imports.start(run)
    if job is None:
        busy = "Another import from this dashboard is still running; upload again when it has finished."
        return dbc.Alert(busy, color="warning", id="import-problem"), dash.no_update, True, dash.no_update
    return show_import(0, job) + (job,)


@callback(
    Output("import-results", "children", allow_duplicate=True),
    Output("import-progress", "children", allow_duplicate=True),
    Output("import-poll", "disabled", allow_duplicate=True),
    Input("import-poll", "n_intervals"),
    State("import-job", "data"),
    prevent_initial_call=True,
)
def show_import(_ticks: Any, job: Any) -> tuple[Any, Any, bool]:
    """Every half second: the stage and count while the import runs, then its results."""
    state = data.config().imports.poll()
    if state["job"] != job:
        return dash.no_update, None, True
    if state["running"]:
        return None, progress_view(state), False
    return result_view(state["results"]), None, True


def progress_view(state: dict[str, Any]) -> Any:
    """The running import's stage and count as a bar, and how long it has run."""
    stage = STAGE_WORDS.get(state["stage"], state["stage"])
    total, done = state["total"], state["done"]
    label = f"{stage}: {done} of {total}" if total else stage
    return html.Div(
        [
            dbc.Progress(
                value=100 * done / total if total else 100,
                striped=True,
                animated=True,
                id="import-progress-bar",
            ),
            html.Div(
                f"{label} ({state['seconds']:.0f} s)", className="small text-muted mt-1", id="import-stage"
            ),
        ]
    )


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
        cfg.strava.start(cfg.import_db, cfg.settings)
    state = cfg.strava.poll()
    log = [html.Div(line) for line in state["lines"]]
    if state["running"]:
        return False, True, min(95, 10 + 10 * state["pages"]), f"{state['pages']} pages", log
    if state["ok"] is None:
        return True, False, 0, "", log
    return True, False, 100, "done" if state["ok"] else "stopped", log
