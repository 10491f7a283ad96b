"""The notebook view's server: framable by Jupyter's page, but only for loopback Host names."""

from __future__ import annotations

import requests
from notebook_helpers import Demo

from viz_app.notebook import serve


def test_the_view_refuses_a_rebound_host_and_stays_framable(demo: Demo) -> None:
    start = demo.summary.endpoint_context_arns[0]
    response = demo.client.query_lineage(StartArns=[start], Direction="Ascendants")
    view = serve(response, start_arn=start, direction="Ascendants")
    try:
        page = requests.get(view.url, timeout=30)
        assert page.status_code == 200
        assert "X-Frame-Options" not in page.headers
        assert "frame-ancestors" not in page.headers.get("Content-Security-Policy", "")
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        port = view.port
        evil = requests.get(view.url, headers={"Host": f"evil.example:{port}"}, timeout=30)
        assert evil.status_code == 400 and "not allowed" in evil.text
    finally:
        view.close()
