"""The DuckDB warehouse: where the files live, how to open them, and how a build is published."""
