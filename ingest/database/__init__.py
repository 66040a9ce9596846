"""The DuckDB store: opening and migrating it, the one write path, and what every write applies."""
