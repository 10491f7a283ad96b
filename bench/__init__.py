"""Benchmarks for lineage-viz: `python -m bench [--quick]` prints tables, writes results.json."""
