"""Pure-Python core: records, errors, SQLite store, QueryLineage engine and reference walk,
experiments, search, demo graph (no Dash, no HTTP)."""
