"""Athlete page: `/athlete/<name>` (URL-quoted) or `/athlete/?name=...`; `as_of`, `start`, `end` optional."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback

from dashboard import athlete_view, data, unlabelled_view


def title(name: str | None = None, **_: Any) -> str:
    return f"crosstrain: {unquote(name)}" if name else "crosstrain: athlete"


dash.register_page(
    __name__, path_template="/athlete/<name>", name="Athlete", title=title, order=1, prefetch=True
)


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


@callback(
    Output("athlete-content", "children", allow_duplicate=True),
    Input({"type": "unlabelled-apply", "index": ALL}, "n_clicks"),
    Input({"type": "unlabelled-one", "index": ALL}, "value"),
    State({"type": "unlabelled-category", "index": ALL}, "value"),
    State("unlabelled-groups", "data"),
    State("athlete-select", "value"),
    State("athlete-dates", "start_date"),
    State("athlete-dates", "end_date"),
    prevent_initial_call=True,
)
def label_sessions(
    _clicks: list[int | None],
    _one: list[str | None],
    _picked: list[str | None],
    groups: list[dict[str, Any]] | None,
    name: str | None,
    start: str | None,
    end: str | None,
) -> Any:
    """Write the picked category through ingest/, then show the page again with what changed."""
    trigger = dash.ctx.triggered_id
    if not dash.ctx.triggered or not any(t.get("value") for t in dash.ctx.triggered):
        return dash.no_update  # pickers appearing with a new page, not a user's choice
    asked = unlabelled_view.chosen_label(trigger, groups, dash.ctx.states_list[0], dash.ctx.inputs_list[1])
    if asked is None:
        return dash.no_update
    ids, category, what = asked
    try:
        changed = unlabelled_view.label(ids, category, same_name=trigger.get("type") == "unlabelled-apply")
        notice = dbc.Alert(
            f"Labelled {what} as {category} ({changed} changed).", color="success", id="athlete-labelled"
        )
    except Exception as exc:  # noqa: BLE001 - one line for the user; non-library errors re-raise
        notice = dbc.Alert(data.error_message(exc), color="danger", id="athlete-labelled")
    return athlete_view.render(name, start, end, notice=notice)
