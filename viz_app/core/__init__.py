"""Pure-Python core: records, errors, the SQLite store, traversal and the demo graph (no Dash, no HTTP)."""
