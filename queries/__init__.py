"""Reads the database: the balance analytics, as SQL run by DuckDB."""
