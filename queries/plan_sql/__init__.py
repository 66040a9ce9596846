"""The plan projection's own SQL (DuckDB only: `* replace`, `union all by name`, `to_days`), which feeds
the portable report SQL of queries/sql/ with done plus planned sessions."""
