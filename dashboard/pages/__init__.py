"""Pages of the dashboard; each registers itself with `dash.register_page`."""
