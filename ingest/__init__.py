"""Writes the database and owns its schema; nothing else writes. queries/ reads what this writes.

Parts (each a package with its own one-line docstring):
- database/  the DuckDB file: opening and migrating it, the one write path, what every write applies
- exports/   CSV exports (Strava, Garmin, a generic CSV) and Strava export archives
- files/     activity files (FIT, GPX, TCX) and the folders and exports that hold them
- plans/     a coach's planned sessions from a CSV or an iCalendar file
- strava/    Strava's API: connect an athlete (OAuth), sync their activities
- garmin/    Garmin Connect's Personal API: connect a key, sync the activities' files
- admin/     athletes (rename, merge, delete, settings) and recategorising stored activities
- sample/    the SYNTHETIC sample athletes of `crosstrain demo` and the tests
Shared by them: errors.py (named errors), settings.py (the TOML file), categories.py (type -> category),
timezones.py and athlete_zone.py (which zone wall-clock times are in), secret_file.py (tokens and keys).
Arrows: every part may use database/ and the shared modules; nothing here imports queries/, dashboard/
or crosstrain/.
"""
