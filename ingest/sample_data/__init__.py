"""SYNTHETIC sample data: made-up athletes for the demo and tests (see ingest/sample.py)."""
