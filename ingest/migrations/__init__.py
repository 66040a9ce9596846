"""Numbered SQL migrations, applied in order by `ingest.db.migrate`."""
