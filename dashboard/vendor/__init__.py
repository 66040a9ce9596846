"""plotly.js's basic bundle (trace types bar, pie and scatter: every chart the pages draw), served in
place of the full 4.8 MB bundle that Dash ships: a quarter of the script for the browser to parse and
run on every page.

The file is `plotly-basic.min.js` of the npm package plotly.js-basic-dist-min at the version of the
plotly.js that the installed plotly package bundles (MIT, plotly.js-LICENSE.txt here); `make
plotly-basic` fetches it again for another version. tests/test_dashboard_assets.py checks the
versions agree and that every trace type the figures use is in the bundle.
"""

__version__ = "4.1.1"  # plotly.js; also the fingerprint Dash puts in the script's address
PLOTLY_BASIC = "plotly-basic.min.js"
TRACE_TYPES = frozenset({"bar", "pie", "scatter"})
