"""Plan page: upload an athlete's plan (CSV or .ics), see the charts continue into the planned weeks,
the findings with their dates, suggestions with a button to add them to the plan, planned against done.

`/plan?name=...&as_of=...`; as_of (the last day of done history) defaults to the overview's day.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import components, data, plan_figures, thresholds, words
from dashboard.uploads import MAX_FILE_MB, save_uploads, shown_name
from ingest.categories import CATEGORIES
from ingest.database.db import connect
from ingest.errors import CrosstrainError
from ingest.plans.importer import apply_changes, checking, import_plans, store_check
from queries import engine
from queries import plan as plans
from queries.params import resolve
from queries.plan_done import plan_vs_done
from queries.plan_suggest import suggest

dash.register_page(__name__, path="/plan", name="Plan", title="crosstrain: plan", order=4)


def layout(name: str | None = None, as_of: str | None = None, week: str | None = None, **_: Any) -> Any:
    try:
        everyone = data.athletes()
        day = data.parse_date(as_of, data.default_as_of(everyone))
    except Exception as exc:  # noqa: BLE001 - shown as one line
        return components.problem(data.error_message(exc), "plan")
    if not everyone:
        return components.welcome("plan")
    names = [a["name"] for a in everyone]
    chosen = name if name in names else (names[0] if names else None)
    return html.Div(
        [
            html.H2("Plan"),
            html.Div(
                f"Planned sessions checked day by day from {day} (the last day of done history) with the "
                "report's own metrics and warnings.",
                className="text-muted small mb-3",
            ),
            dcc.Store(id="plan-as-of", data=day.isoformat()),
            dcc.Store(id="plan-week", data=week),
            dcc.Store(id="plan-version", data=0),
            dcc.Store(id="plan-applied-version", data=0),
            dbc.Row(
                [
                    dbc.Col(
                        components.athlete_picker("plan-athlete", names, chosen, "Athlete"),
                        md=4,
                        className="mb-2",
                    ),
                    dbc.Col(
                        dcc.Upload(
                            id="plan-upload",
                            children=html.Div(
                                [
                                    "Drop a plan here or ",
                                    html.A("choose a file", href="#"),
                                    f": a CSV (date,type,duration[,distance_km,name,...]) or a calendar "
                                    f"(.ics); up to {MAX_FILE_MB} MB. "
                                    "A new plan replaces the days it covers.",
                                ]
                            ),
                            multiple=False,
                            className="upload-zone border rounded p-2 small text-muted",
                        ),
                        md=8,
                        className="mb-2",
                    ),
                ]
            ),
            html.Div(id="plan-message"),
            html.Div(id="plan-apply-message"),
            dcc.Loading(html.Div(id="plan-content"), type="dot"),
            components.guidance_note(),
        ]
    )


@callback(
    Output("plan-message", "children"),
    Output("plan-version", "data"),
    Input("plan-upload", "contents"),
    State("plan-upload", "filename"),
    State("plan-athlete", "value"),
    State("plan-as-of", "data"),
    State("plan-version", "data"),
    prevent_initial_call=True,
)
def upload_plan(
    contents: str | None, filename: str | None, athlete: str | None, as_of: str, version: int
) -> tuple[Any, int]:
    """Import an uploaded plan for the chosen athlete from the page's day on, with its check for the
    overview in the same transaction: a plan is stored only when all of it worked."""
    day = dt.date.fromisoformat(as_of)
    return _change(
        athlete,
        as_of,
        version,
        lambda: _import(contents or "", filename or "plan.csv", athlete, day),
        store=False,
    )


@callback(
    Output("plan-apply-message", "children"),
    Output("plan-applied-version", "data"),
    Input("plan-apply", "n_clicks"),
    State("plan-athlete", "value"),
    State("plan-as-of", "data"),
    State("plan-week", "data"),
    State("plan-applied-version", "data"),
    prevent_initial_call=True,
)
def apply_suggestions(
    clicks: int | None, athlete: str | None, as_of: str, week: str | None, version: int
) -> tuple[Any, int]:
    """Write the shown suggestions into the plan, then keep its check for the overview."""
    if not clicks:
        return dash.no_update, version
    day = dt.date.fromisoformat(as_of)
    return _change(athlete, as_of, version, lambda: _apply(athlete, day, data.parse_date(week, None)))


def _change(
    athlete: str | None, as_of: str, version: int, change: Any, store: bool = True
) -> tuple[Any, int]:
    if not athlete:
        return dbc.Alert("Choose an athlete first.", color="warning", id="plan-error"), version
    try:
        message = change()
        if store:
            _store_check(athlete, dt.date.fromisoformat(as_of))
    except Exception as exc:  # noqa: BLE001 - one line in the page, never nothing
        return dbc.Alert(words.page_words(data.error_message(exc)), color="danger", id="plan-error"), version
    return message, version + 1


def _import(contents: str, filename: str, athlete: str, day: dt.date) -> Any:
    cfg = data.config()
    with tempfile.TemporaryDirectory(prefix="crosstrain-plan-") as tmp:
        paths, refused = save_uploads(Path(tmp), [contents], [filename])
        if refused:
            raise CrosstrainError(refused[0].error or "the upload was refused")
        with data.writing(cfg):
            [result] = import_plans(
                cfg.db_path,
                paths,
                athlete,
                cfg.settings,
                day,
                then=checking(plans.check_or_none, cfg.settings, day),
            )
        saved_as = paths[0]

    def named(text: str) -> str:  # the uploaded name, never where it was saved
        return text.replace(str(saved_as), saved_as.name).replace(saved_as.name, shown_name(filename))

    if result.error:
        raise CrosstrainError(named(result.error))
    rejects = [html.Li(named(str(r))) for r in result.rejects[:20]]
    rejects += [html.Li(named(line)) for line in result.skipped[:20]]
    return dbc.Alert(
        [html.Div(named(line)) for line in result.summary().splitlines()]
        + [html.Ul(rejects, className="mb-0 small")],
        color="warning" if result.rejects else "success",
        id="plan-imported",
    )


def _apply(athlete: str, day: dt.date, week: dt.date | None) -> Any:
    cfg = data.config()
    with data.writing(cfg), connect(cfg.db_path) as con:
        found = suggest(con, athlete, week, day, cfg.settings)
        apply_changes(con, found.athlete_id, [c.stored() for c in found.changes])
    return dbc.Alert(
        f"{len(found.changes)} suggestions added to the plan.", color="success", id="plan-applied"
    )


def _store_check(athlete: str, day: dt.date) -> None:
    """Keep the plan's findings for the coach overview."""
    cfg = data.config()
    with data.writing(cfg), connect(cfg.db_path) as con:
        [athlete_id] = engine.athlete_ids(con, [athlete])
        store_check(con, athlete_id, day, plans.check_or_none(con, athlete, day, cfg.settings))


@callback(
    Output("plan-content", "children"),
    Input("plan-athlete", "value"),
    Input("plan-version", "data"),
    Input("plan-applied-version", "data"),
    State("plan-as-of", "data"),
    State("plan-week", "data"),
)
def show_plan(athlete: str | None, _uploaded: int, _applied: int, as_of: str, week: str | None) -> Any:
    if not athlete:
        return components.welcome("plan")
    day = dt.date.fromisoformat(as_of)
    settings = data.settings()
    try:
        with data.reading() as con:
            [athlete_id] = engine.athlete_ids(con, [athlete])
            weekly, daily = plans.projected_series(con, athlete, day, settings=settings)
            checked = plans.check_or_none(con, athlete, day, settings)
            found = suggest(con, athlete, data.parse_date(week, None), day, settings)
            params = resolve(settings)
            engine.prepare_scope(con, [athlete_id], params)
            past = plan_vs_done(con, athlete_id, day - dt.timedelta(weeks=12), day, params)
    except Exception as exc:  # noqa: BLE001 - shown as one line
        return components.problem(data.error_message(exc), "plan")
    lines = thresholds.in_force(None, settings)  # the dashboard's settings, as the warnings use them
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(dcc.Graph(figure=plan_figures.weekly_projected(weekly), id="plan-weekly"), lg=12),
                    dbc.Col(
                        dcc.Graph(
                            figure=plan_figures.daily_projected(
                                daily, day, "acwr", "ACWR (dashed: planned)", lines=lines
                            ),
                            id="plan-acwr",
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        dcc.Graph(
                            figure=plan_figures.daily_projected(
                                daily,
                                day,
                                "support_share",
                                "Support share, 28 days (dashed: planned)",
                                ".0%",
                                lines,
                            ),
                            id="plan-support",
                        ),
                        lg=6,
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(findings_card(checked), lg=6, className="mb-3"),
                    dbc.Col(suggestions_card(found, athlete, day, checked), lg=6, className="mb-3"),
                ]
            ),
            planned_done_card(past),
        ]
    )


def findings_card(checked: dict | None) -> dbc.Card:
    if checked is None:
        body: Any = html.P("No planned sessions after the last done day: upload a plan.", id="plan-none")
    elif not checked["findings"]:
        body = html.P(f"No warnings from {checked['from']} to {checked['to']}.", id="plan-clean")
    else:
        body = dbc.ListGroup(
            [
                dbc.ListGroupItem(
                    [
                        html.Div(
                            [
                                html.Strong(f["date"] + " "),
                                dbc.Badge(
                                    components.SEVERITY_LABEL[f["severity"]],
                                    color=components.SEVERITY_COLOUR[f["severity"]],
                                    className="me-1",
                                ),
                                html.Strong(words.warning_words(f["code"])),
                            ]
                        ),
                        html.Div(words.in_words(f["message"]), className="small"),
                        html.Div(
                            "; ".join(
                                f"{s['date']} {s['name'] or s['type']} ({s['duration_min']:.0f} min)"
                                for s in f["sessions"]
                            ),
                            className="small text-muted",
                        ),
                    ],
                    className="plan-finding",
                )
                for f in checked["findings"]
            ]
        )
    title = "Findings" + (f" {checked['from']} to {checked['to']}" if checked else "")
    return dbc.Card([dbc.CardHeader(html.Strong(title)), dbc.CardBody(body)], id="plan-findings")


def week_links(athlete: str, as_of: dt.date, checked: dict | None, shown: str) -> html.Div:
    """Links to the suggestions for each planned week (the page's `week` parameter)."""
    if checked is None:
        return html.Div()
    first, last = dt.date.fromisoformat(checked["from"]), dt.date.fromisoformat(checked["to"])
    weeks = [first - dt.timedelta(days=first.weekday()) + dt.timedelta(weeks=i) for i in range(9)]
    links = [
        dcc.Link(
            f"{w:%d %b}",
            href="/plan?" + urlencode({"name": athlete, "as_of": as_of.isoformat(), "week": w.isoformat()}),
            className="me-2" + (" fw-bold" if w.isoformat() == shown else ""),
            refresh=True,
        )
        for w in weeks
        if w <= last
    ]
    return html.Div(["Weeks: ", *links], className="small mb-2", id="plan-weeks")


def suggestions_card(found: Any, athlete: str, as_of: dt.date, checked: dict | None) -> dbc.Card:
    out = found.json()
    if not out["suggestions"]:
        body: Any = html.P(f"Week of {out['week']}: no changes needed.", id="plan-no-suggestions")
    else:
        body = html.Div(
            [
                dbc.ListGroup(
                    [
                        dbc.ListGroupItem(
                            [
                                html.Strong(f"{s['date']} {s['action']}: "),
                                f"{s['name']} ({s['category']}, {s['duration_min']:.0f} min)",
                                html.Div(words.in_words(s["why"]), className="small text-muted"),
                            ],
                            className="plan-suggestion",
                        )
                        for s in out["suggestions"]
                    ],
                    className="mb-2",
                ),
                dbc.Button("Add these to the plan", id="plan-apply", color="primary", n_clicks=0),
            ]
        )
    source = "" if found.from_plan else " (no plan that week: from the athlete's usual week)"
    return dbc.Card(
        [
            dbc.CardHeader(html.Strong(f"Suggestions, week of {out['week']}{source}")),
            dbc.CardBody([week_links(athlete, as_of, checked, out["week"]), body]),
        ],
        id="plan-suggestions",
    )


def planned_done_card(past: dict | None) -> dbc.Card:
    if not past or not past["weeks"]:
        body: Any = html.P("No past planned weeks yet.", className="text-muted")
    else:
        header = html.Thead(html.Tr([html.Th("week"), *(html.Th(c) for c in CATEGORIES), html.Th("missed")]))
        rows = []
        for w in past["weeks"]:
            cells = [
                html.Td(f"{w['done']['minutes'][c]:.0f} / {w['planned']['minutes'][c]:.0f}")
                for c in CATEGORIES
            ]
            missed = ", ".join(f"{m['date']} {m['name'] or m['type']}" for m in w["missed"]) or "-"
            rows.append(html.Tr([html.Td(w["week"]), *cells, html.Td(missed)]))
        body = html.Div(
            [
                dbc.Table([header, html.Tbody(rows)], size="sm", bordered=False, hover=True, responsive=True),
                html.Div(
                    "Minutes done / planned per category; missed: planned sessions not done that day.",
                    className="small text-muted",
                ),
            ]
        )
    return dbc.Card(
        [dbc.CardHeader(html.Strong("Planned against done")), dbc.CardBody(body)], id="plan-vs-done"
    )
