"""Numbered SQL migrations, applied in order by `ingest.database.db.migrate`."""
