"""Pure-Python core: records, errors, SQLite store, traversal, demo graph (no Dash, no HTTP)."""
