"""`/athlete` (`?name=...` optional): the athlete page without a name in the path; the picker chooses."""

from __future__ import annotations

from typing import Any

import dash

from dashboard import athlete_view

dash.register_page(__name__, path="/athlete", name="Athlete", title="crosstrain: athlete", order=1)


def layout(
    name: str | None = None,
    as_of: str | None = None,
    start: str | None = None,
    end: str | None = None,
    **_: Any,
) -> Any:
    return athlete_view.layout(name or None, as_of=as_of, start=start, end=end)
