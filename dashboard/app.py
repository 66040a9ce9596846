"""Builds the Dash app: pages from dashboard/pages/, a Bootstrap theme, optional basic auth."""

from __future__ import annotations

import base64
import gc
import hmac
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import dash
import dash_ag_grid
import dash_bootstrap_components as dbc
import flask
from dash import MATCH, Input, Output, State, _pages, html
from dash._utils import to_json
from dash.exceptions import CallbackException
from plotly.io.json import to_json_plotly
from werkzeug.exceptions import HTTPException

from dashboard import components, data, vendor
from dashboard.data import CONFIG_KEY, DashboardConfig, importing
from dashboard.uploads import MAX_REQUEST_BYTES, MAX_TOTAL_MB
from dashboard.worker import AnalyticsWorker
from ingest.errors import CrosstrainError
from queries.params import resolve

PAGES = Path(__file__).parent / "pages"
AUTH_USER = "crosstrain"


class Dashboard(dash.Dash):
    """Dash, with what every page load asks for again kept once made (issue 22, 20 clients at once):
    the script addresses of the page HTML (Dash finds each anew for every page, a stat of the file
    for its fingerprint, ~22 a page: ~1 ms of the HTML's ~1.7 ms), by the scripts asked for, so a
    library or bundle added later (`serve_plotly_basic`) gets its own, and a script file replaced
    while the server runs keeps its old address (no page is served from a changed install without a
    restart); and the JSON of `_dash-layout` (by the layout object) and `_dash-dependencies` (by
    how many callbacks there are: Dash adds its router's on the first request), ~0.25 ms each."""

    KEPT = 64

    def serve_layout(self) -> Any:
        layout = self.get_layout()
        kept = self.__dict__.get("_kept_layout")
        if kept is None or kept[0] is not layout:
            kept = self.__dict__["_kept_layout"] = (layout, to_json(layout))
        return self.backend.make_response(kept[1], mimetype="application/json")

    def dependencies(self) -> Any:
        kept = self.__dict__.get("_kept_dependencies")
        if kept is None or kept[0] != len(self._callback_list):
            kept = self.__dict__["_kept_dependencies"] = (
                len(self._callback_list),
                to_json(self._callback_list),
            )
        return self.backend.make_response(kept[1], content_type="application/json")

    def _collect_and_register_resources(
        self, resources: list[dict], include_async: bool = True, url_attr: str = "src"
    ) -> list:
        kept: dict[tuple, list] = self.__dict__.setdefault("_kept_sources", {})
        key = (repr(resources), include_async, url_attr)
        found = kept.get(key)
        if found is None:  # the first time, Dash also registers these paths for serving
            found = super()._collect_and_register_resources(resources, include_async, url_attr)
            if len(kept) < self.KEPT:
                kept[key] = found
        return list(found)


def create_app(
    db_path: Path | str,
    settings: dict[str, Any] | None = None,
    password: str | None = None,
    user_db: Path | str | None = None,
    worker: bool = False,
) -> dash.Dash:
    """The dashboard over the database at `db_path`; with `password`, every request needs basic auth.

    `user_db` makes it the demo: the pages show `db_path` (the sample athletes) and the Import page
    (uploads, Strava) writes into the user's database `user_db`, never the demo's.

    `settings` are the ones resolved once at start (`crosstrain --config`; None: the defaults); every
    page uses them and nothing reads a settings file later. They are checked here, so a bad value
    stops the start with one line. The database is read only when a page is shown.

    `worker`: the athlete pages' analytics run in a second process (dashboard/worker.py), started on
    the first page that needs it or by `start_worker`; the server (`crosstrain dashboard`) has one,
    and ends it with `close_worker`.
    """
    settings = settings or {}
    resolve(settings)  # ConfigError naming the key, before anything is served
    fetch_unused_scripts_lazily()
    app = Dashboard(
        "dashboard",
        use_pages=True,
        pages_folder=str(PAGES),
        assets_folder=str(Path(__file__).parent / "assets"),
        suppress_callback_exceptions=True,
        title="crosstrain",
        update_title=None,
        eager_loading=True,  # fetch plotly.js with the page, not after the first chart appears
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    serve_plotly_basic()
    app.server.config[CONFIG_KEY] = DashboardConfig(
        db_path=Path(db_path),
        settings=settings,
        user_db=Path(user_db) if user_db else None,
        worker=AnalyticsWorker() if worker else None,
    )
    app.layout = html.Div(
        [
            components.navbar(demo=user_db is not None),
            dbc.Container(dash.page_container, fluid="xxl", className="pb-5"),
        ],
    )

    defer_components(app)

    @app.callback(
        Output("nav-collapse", "is_open"),
        Input("nav-toggler", "n_clicks"),
        State("nav-collapse", "is_open"),
        prevent_initial_call=True,
    )
    def toggle_nav(_clicks: int, is_open: bool) -> bool:
        return not is_open

    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    answer_bad_requests(app.server)
    add_strava_routes(app.server)
    if password:
        require_password(app.server, password)
    start_pages_early(app.server)  # after the password check: only a let-in request starts a page
    keep_page_answers(app.server)  # after it too: only a let-in request is answered
    return app


def freeze_start_up() -> None:
    """Move every object alive now (the modules, the app: ~156,000 in the server's process) out of the
    cyclic garbage collector's reach (gc.freeze): a full collection then walks only what was made
    since, ~0.2 ms instead of 40-100 ms, which otherwise lands on whichever page is being answered
    (the cold overview's p95: bench/README.md, h-overview4 and h-overview5). For the server's start
    (`crosstrain dashboard`), after the app is made: frozen objects are never collected."""
    gc.collect()  # what is garbage already is freed, not frozen
    gc.freeze()


def start_worker(app: dash.Dash) -> None:
    """Start the app's analytics worker process now, if it has one (else the first page starts it)."""
    cfg: DashboardConfig = app.server.config[CONFIG_KEY]
    if cfg.worker is not None:
        cfg.worker.start()


def close_worker(app: dash.Dash) -> None:
    """End the app's analytics worker process, if it has one."""
    cfg: DashboardConfig = app.server.config[CONFIG_KEY]
    if cfg.worker is not None:
        cfg.worker.close()


# Script chunks of the component libraries that no page uses (DataTable, Markdown, MathJax, AG Grid
# Enterprise). Eager loading, there to fetch plotly.js with the page, would make every page fetch and
# parse these ~7 MB too before Dash starts; "lazy" leaves them served, fetched only if ever asked for.
UNUSED_SCRIPTS = (
    "async-mathjax",
    "async-markdown",
    "async-highlight",
    "async-table",
    "async-export",
    "async-enterprise",
)


def fetch_unused_scripts_lazily() -> None:
    for library in (dash.dcc, dash.dash_table, dash_ag_grid):
        for resource in library._js_dist:
            path = str(resource.get("relative_package_path"))
            if "async" in resource and any(name in path for name in UNUSED_SCRIPTS):
                resource["async"] = "lazy"


def serve_plotly_basic() -> None:
    """Serve plotly.js's basic bundle (dashboard/vendor) where Dash would serve its full one.

    Dash adds the full bundle (4.8 MB; scatter and bar are all the pages draw) to dcc's scripts each
    time an app is made; dcc's Graph takes `window.Plotly`, which either bundle sets. Served from
    this package with a fingerprint, so the browser caches it as it does Dash's own scripts.
    """
    basic = {"relative_package_path": vendor.PLOTLY_BASIC, "namespace": vendor.__name__, "async": "eager"}
    scripts = dash.dcc._js_dist
    scripts[:] = [r for r in scripts if r.get("namespace") not in ("plotly", vendor.__name__)] + [basic]


UPDATE_PATH = "/_dash-update-component"

# A deferred component (`components.deferred`) is put on the page when the browser is first idle, at
# the latest a second after it arrived: the charts above it are drawn first.
PUT_WHEN_IDLE = """
function (component) {
    return new Promise(function (resolve) {
        var later = window.requestIdleCallback || function (f) { return setTimeout(f, 1); };
        later(function () { resolve(component); }, {timeout: 1000});
    });
}
"""


def defer_components(app: dash.Dash) -> None:
    """Clientside callbacks (no round trip): one for every deferred slot of every page, one per
    athlete picker whose long list comes later (`components.athlete_picker`)."""
    app.clientside_callback(
        PUT_WHEN_IDLE,
        Output({"type": components.DEFERRED + "-slot", "slot": MATCH}, "children"),
        Input({"type": components.DEFERRED, "slot": MATCH}, "data"),
    )
    for picker in components.PICKERS:
        app.clientside_callback(
            PUT_WHEN_IDLE,
            Output(picker, "options"),
            Input({"type": components.DEFERRED_OPTIONS, "picker": picker}, "data"),
        )


# A page registered with `prefetch=True` starts reading its data when the browser asks for the page's
# HTML, ~0.3 s (scripts loaded and run, the layout fetched) before Dash's router asks for its content.
PREFETCH = "prefetch"


def start_pages_early(server: flask.Flask) -> None:
    """On a page's HTML request, compute its layout in the background (answer dropped): what it reads
    is then in the query cache (`data.cached`, which makes the router's call wait for it rather than
    compute it twice) when the router asks, while the browser was still loading scripts."""

    @server.before_request
    def prefetch() -> None:
        request = flask.request
        if request.method != "GET" or request.path.startswith(("/_", "/assets/", "/strava/")):
            return
        page, variables = _pages._path_to_page(request.path.strip("/"))
        if not page.get(PREFETCH) or not callable(page.get("layout")):
            return
        # As the router gets them: the path URL-quoted (the browser's location), the query parsed.
        variables = {k: quote(v, safe="") for k, v in (variables or {}).items()}
        query = request.query_string.decode("utf-8", "replace")
        arguments = {**variables, **_pages._parse_query_string("?" + query if query else "")}
        cfg: DashboardConfig = server.config[CONFIG_KEY]
        if cfg.prefetching.acquire(blocking=False):  # else two are running: the router computes it
            work = (server, cfg, page["layout"], arguments)
            threading.Thread(target=_layout_quietly, args=work, name=PREFETCH, daemon=True).start()


# A page registered with `keep_answer=True` (the coach overview: the same page for everyone): the
# router's answer for it, as sent, is sent again for the same request until a write or the next day.
KEEP_ANSWER = "keep_answer"


def keep_page_answers(server: flask.Flask) -> None:
    """The router's answer for a `keep_answer` page is kept by (database state, today, the request's
    bytes) once the page said it showed its content (`data.answer_may_be_kept`), and sent again for
    the same request without building or encoding the page (20 clients at once: ~3 ms of the server's
    Python for each overview; bench/README.md "The worker's allocator and the server's own Python")."""

    @server.before_request
    def send_kept() -> flask.Response | None:
        request = flask.request
        if request.method != "POST" or request.path != UPDATE_PATH:
            return None
        asked = request.get_json(silent=True)  # Flask keeps it parsed for Dash
        if not isinstance(asked, dict) or "_pages_content.children" not in str(asked.get("output")):
            return None
        inputs = asked.get("inputs") if isinstance(asked.get("inputs"), list) else []
        path = next(
            (i.get("value") for i in inputs if isinstance(i, dict) and i.get("property") == "pathname"), None
        )
        if not isinstance(path, str) or not _pages._path_to_page(path.strip("/"))[0].get(KEEP_ANSWER):
            return None
        cfg: DashboardConfig = server.config[CONFIG_KEY]
        key = (data.db_state(cfg.db_path), data.default_as_of(), request.get_data())
        found = data.kept_answer(key)
        if found is not None:
            return flask.Response(found[0], 200, content_type=found[1])
        flask.g.crosstrain_answer_key = key
        return None

    @server.after_request
    def keep(response: flask.Response) -> flask.Response:
        key = flask.g.pop("crosstrain_answer_key", None)
        keepable = flask.g.pop(data.KEEP_KEY, False)
        if key is not None and keepable and response.status_code == 200 and not response.direct_passthrough:
            data.keep_answer(key, (response.get_data(), response.content_type))
        return response


def _layout_quietly(
    server: flask.Flask, cfg: DashboardConfig, layout: Any, arguments: dict[str, Any]
) -> None:
    try:
        data.PREFETCH_ONLY.set(True)  # this thread's own context: pages stop after their reads
        with server.app_context():
            layout(**arguments)
    except Exception:  # noqa: BLE001 - the router's own call shows any problem
        server.logger.debug("early start of a page failed", exc_info=True)
    finally:
        cfg.prefetching.release()


def answer_bad_requests(server: flask.Flask) -> None:
    """Requests too large or malformed get an answer that says so, never a 500 and a traceback.

    An upload over the limit comes back as the import page's message (only the upload callback
    carries that many bytes); a callback request Dash cannot read gets a 400 naming the problem.
    """

    @server.errorhandler(413)
    def too_large(_exc: Exception) -> flask.Response:
        message = f"the upload is larger than {MAX_TOTAL_MB} MB in all; upload the files in parts"
        if flask.request.path.endswith(UPDATE_PATH):
            alert = dbc.Alert(message, color="danger", id="import-problem")
            body = to_json_plotly({"multi": True, "response": {"import-results": {"children": alert}}})
            return flask.Response(body, 200, mimetype="application/json")
        return flask.Response(f"crosstrain: {message}\n", 413, mimetype="text/plain")

    @server.errorhandler(Exception)
    def unreadable(exc: Exception) -> Any:
        if isinstance(exc, HTTPException):
            return exc
        if not flask.request.path.endswith(UPDATE_PATH) or not isinstance(
            exc, KeyError | TypeError | ValueError | IndexError | AttributeError | CallbackException
        ):
            raise exc
        server.logger.warning("unreadable callback request: %s: %s", type(exc).__name__, exc)
        return flask.Response("crosstrain: that request could not be read\n", 400, mimetype="text/plain")


def add_strava_routes(server: flask.Flask) -> None:
    """`/strava/connect` sends the athlete to Strava; Strava sends them back to `/strava/callback`."""
    from ingest.strava.oauth import CALLBACK_PATH, authorize_url, exchange_code, new_state

    @server.route("/strava/connect")
    def strava_connect() -> flask.Response:
        from ingest.strava.client import StravaApp

        cfg: DashboardConfig = server.config[CONFIG_KEY]
        try:
            strava_app = StravaApp.from_env()
        except CrosstrainError as exc:
            return flask.redirect("/import?" + urlencode({"strava": str(exc)}))
        state = new_state()
        cfg.oauth_states.add(state)
        return flask.redirect(
            authorize_url(strava_app, flask.request.host_url.rstrip("/") + CALLBACK_PATH, state)
        )

    @server.route(CALLBACK_PATH)
    def strava_callback() -> flask.Response:
        cfg: DashboardConfig = server.config[CONFIG_KEY]
        args = flask.request.args
        if args.get("state") not in cfg.oauth_states:
            return flask.redirect(
                "/import?" + urlencode({"strava": "that Strava answer was not for this page; connect again"})
            )
        cfg.oauth_states.discard(args["state"])
        if "error" in args or not args.get("code"):
            return flask.redirect(
                "/import?" + urlencode({"strava": f"Strava did not connect: {args.get('error', 'no code')}"})
            )
        try:
            with importing(cfg) as path:
                done = exchange_code(path, args["code"], scope=args.get("scope"))
            message = f"connected {done.name}; press Sync now"
            if not done.scope_ok:
                message += " (read access to all activities was not granted: private activities are missed)"
        except CrosstrainError as exc:
            message = str(exc)
        return flask.redirect("/import?" + urlencode({"strava": message}))


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
