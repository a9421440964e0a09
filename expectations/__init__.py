"""Great Expectations suites (declared in YAML under suites/) and the runner that applies them.

GX 1.x cannot read DuckDB directly (see docs/architecture.md), so every suite runs on a data
frame: a parsed batch at the ingest boundary, or a mart read through a read-only connection.
"""
