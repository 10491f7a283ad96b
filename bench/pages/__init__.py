"""Helpers for the browser benchmarks: synthetic lineage graphs, pyvis pages, timing hooks."""
