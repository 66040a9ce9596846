"""CSV exports (Strava, Garmin, a generic CSV) and Strava export archives: detected, read, imported."""
