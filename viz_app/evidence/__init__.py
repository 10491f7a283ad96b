"""Audit evidence: reports, offline snapshots of an account, and diffs between stores."""
