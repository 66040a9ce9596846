"""What the browser is sent before a page's first view: plotly.js's basic bundle instead of the full
one, and no script that no page needs before its charts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import dashboard_data
import pytest
from dash import dcc
from dash.development.base_component import Component
from plotly.offline import get_plotlyjs_version

from dashboard import create_app, vendor

MONA, BEA = "Mona Monotone (test)", "Bea Balanced (test)"


@pytest.fixture
def app(db_path: Path):
    app = create_app(dashboard_data.build(db_path))
    with app.server.test_request_context("/"):
        yield app


def graphs(tree: Any) -> list[dcc.Graph]:
    """Every chart in a layout, the deferred slots' stores left out (they hold no chart)."""
    if isinstance(tree, dcc.Graph):
        return [tree]
    if isinstance(tree, Component):
        tree = getattr(tree, "children", None)
    if isinstance(tree, list | tuple):
        return [g for child in tree for g in graphs(child)]
    return graphs(tree) if isinstance(tree, Component) else []


def test_the_basic_bundle_is_the_plotly_js_that_plotly_bundles():
    """A plotly upgrade that moves plotly.js on fails here: fetch the bundle again (make plotly-basic)."""
    assert vendor.__version__ == get_plotlyjs_version()
    bundle = Path(vendor.__file__).with_name(vendor.PLOTLY_BASIC)
    assert f"plotly.js (basic - minified) v{vendor.__version__}" in bundle.read_text()[:200]


def test_every_chart_on_the_pages_is_of_a_trace_type_the_bundle_has(app):
    from dashboard.pages import athlete, compare, plan

    trees = [
        athlete.layout(name=MONA),
        athlete.layout(name=BEA, start="2020-01-01"),
        compare.layout(athlete=[MONA, BEA]),
        plan.layout(),
    ]
    charts = [g for tree in trees for g in graphs(tree)]
    kinds = {trace.get("type") for g in charts for trace in g.figure["data"]}
    assert len(charts) >= 9 and {"bar", "scatter"} <= kinds
    assert kinds <= vendor.TRACE_TYPES


def test_pages_load_the_basic_bundle_and_no_other_plotly(app):
    client = app.server.test_client()
    page = client.get("/athlete/" + MONA.replace(" ", "%20")).get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    plotly = [s for s in scripts if "plotly" in s]
    assert len(plotly) == 1 and "/dashboard.vendor/plotly-basic" in plotly[0], plotly
    served = client.get(plotly[0])
    assert served.status_code == 200
    assert "max-age=31536000" in served.headers["Cache-Control"]  # fingerprinted: cached a year
    assert b"window.Plotly = Plotly" in served.get_data()
    # Chunks no page needs before its charts are not among the page's scripts (still served).
    assert not [s for s in scripts if re.search(r"async-(enterprise|mathjax|table|markdown)", s)]
