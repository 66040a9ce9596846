"""Unlabelled sessions on the athlete page: a category picker that writes through ingest/.

Sessions whose type says nothing (Workout, Gym & Fitness Equipment, Other ...) and whose name matched
no keyword count as `other`, so a gym class may hide the support work the warnings look for. Grouped
by name: one picker labels every session with that name and type, now and in later imports and syncs
(a same-name rule, as `crosstrain activities set ID --category C --same-name`); the sessions listed
under it can be labelled one by one.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import data
from ingest.categories import CATEGORIES, key_sql
from ingest.database.corrections import label_same_name, set_activities
from ingest.database.db import connect

SHOWN_GROUPS = 30
SHOWN_SESSIONS = 12
OPTIONS = [{"label": c, "value": c} for c in CATEGORIES if c != "other"]


def groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sessions by name, the name with most sessions first: name, types, ids, sessions (newest first)."""
    if not rows:
        return []
    frame = pd.DataFrame(rows)
    out = []
    for name, part in frame.groupby("name", sort=False):
        out.append(
            {
                "name": str(name),
                "types": ", ".join(sorted(set(part["sport_type"]))),
                "ids": [int(i) for i in part["activity_id"]],
                "sessions": part.assign(day=part["day"].astype(str)).to_dict("records"),
            }
        )
    return sorted(out, key=lambda g: -len(g["ids"]))


def unlabelled_section(athlete: str, rows: list[dict[str, Any]]) -> Any:
    """The list with its pickers; nothing when every session is labelled."""
    found = groups(rows)
    if not found:
        return html.Div(id="unlabelled")
    items = [group_item(i, g) for i, g in enumerate(found[:SHOWN_GROUPS])]
    more = len(found) - SHOWN_GROUPS
    return html.Div(
        [
            html.H4("Unlabelled sessions", className="mt-3"),
            html.P(
                f"{len(rows)} sessions have a type that says nothing (Workout, Gym & Fitness Equipment, "
                "Other ...) and a name that matched no category word, so they count as 'other': strength "
                "or Pilates among them is missed by the warnings. Pick a category for a name to label all "
                "sessions of this name, now and in later imports, or open the list to label one session.",
                className="small text-muted",
            ),
            dcc.Store(id="unlabelled-groups", data=[{"name": g["name"], "ids": g["ids"]} for g in found]),
            html.Div(items),
            html.Small(f"and {more} more names", className="text-muted") if more > 0 else None,
        ],
        id="unlabelled",
    )


def group_item(index: int, group: dict[str, Any]) -> Any:
    count = len(group["ids"])
    sessions = [
        html.Li(
            dbc.Row(
                [
                    dbc.Col(f"{s['day']}, {s['minutes']:.0f} min", width="auto", className="small pt-1"),
                    dbc.Col(
                        dcc.Dropdown(
                            id={"type": "unlabelled-one", "index": int(s["activity_id"])},
                            options=OPTIONS,
                            placeholder="this session is…",
                            clearable=False,
                            className="unlabelled-picker",
                        ),
                        width=5,
                    ),
                ],
                className="g-2 align-items-center mb-1",
            )
        )
        for s in group["sessions"][:SHOWN_SESSIONS]
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                html.Strong(group["name"] or "(no name)", className="unlabelled-name"),
                                html.Span(
                                    f" {group['types']}, {count} session{'s' if count > 1 else ''}",
                                    className="text-muted small",
                                ),
                            ],
                            md=6,
                        ),
                        dbc.Col(
                            dcc.Dropdown(
                                id={"type": "unlabelled-category", "index": index},
                                options=OPTIONS,
                                placeholder="category…",
                                clearable=False,
                                className="unlabelled-picker",
                            ),
                            md=3,
                            xs=7,
                        ),
                        dbc.Col(
                            dbc.Button(
                                f"Label all {count}, and later ones",
                                id={"type": "unlabelled-apply", "index": index},
                                size="sm",
                                color="primary",
                            ),
                            md=3,
                            xs=5,
                        ),
                    ],
                    className="g-2 align-items-center",
                ),
                html.Details(
                    [
                        html.Summary("one by one", className="small"),
                        html.Ul(sessions, className="list-unstyled mt-2"),
                    ]
                ),
            ],
            className="py-2",
        ),
        className="mb-2",
        id=f"unlabelled-group-{index}",
    )


def chosen_label(
    trigger: Any, groups: list[dict[str, Any]] | None, picked: list[dict[str, Any]], one: list[dict[str, Any]]
) -> tuple[list[int], str, str] | None:
    """What the user asked to label: (activity ids, category, what it was) from the triggering
    picker; None when nothing was chosen. `picked`/`one` are Dash's states/inputs lists ({id, value})."""
    if not isinstance(trigger, dict):
        return None
    values = {(i["id"]["type"], i["id"]["index"]): i.get("value") for i in [*picked, *one]}
    if trigger.get("type") == "unlabelled-one":
        category = values.get(("unlabelled-one", trigger.get("index")))
        return ([int(trigger["index"])], category, "1 session") if category in CATEGORIES else None
    if trigger.get("type") == "unlabelled-apply":
        index = trigger.get("index")
        category = values.get(("unlabelled-category", index))
        if category not in CATEGORIES or not isinstance(index, int) or not 0 <= index < len(groups or []):
            return None
        group = groups[index]
        ids = [int(i) for i in group["ids"]]
        if not group["name"]:
            return ids, category, f"{len(ids)} session{'s' if len(ids) > 1 else ''} without a name"
        return ids, category, f"all sessions named '{group['name']}' (now and in later imports)"
    return None


def label(activity_ids: list[int], category: str, same_name: bool = False) -> int:
    """Write the category for these activities through ingest/; returns how many changed. `same_name`:
    every session of their names and types, now and in later imports (sessions without a name: these)."""
    with data.writing() as path, connect(path) as con:
        if same_name and not _unnamed(con, activity_ids):
            return label_same_name(con, activity_ids, category)[0]
        return set_activities(con, activity_ids, category=category)


def _unnamed(con: Any, activity_ids: list[int]) -> bool:
    """Whether any of these sessions has no name a same-name rule could match."""
    return (
        con.execute(
            f"""select count(*) from activities where activity_id in (select unnest(?::bigint[]))
            and {key_sql("name")} = ''""",
            [activity_ids],
        ).fetchone()[0]
        > 0
    )
