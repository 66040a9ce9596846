"""Bounds of what the write path stores, in a module without DuckDB: the decoders check a file's
sessions against them (ingest/files/checks.py) in worker processes started before DuckDB is imported.
plausibility.py and store.py apply them in SQL."""

# Longest time an activity can total (longer totals are refused by the plausibility rules).
WEEK_S = 7 * 86400
# Earliest start a session may have (the plausibility rules' range: 1970 to tomorrow).
EARLIEST = "1970-01-01"
# Longest name stored (Strava allows 255 characters in a name): crosstrain's convention.
MAX_NAME_CHARS = 500
