"""Writes the database: the schema, CSV imports and Strava sync. Nothing else writes."""
