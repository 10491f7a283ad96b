"""The page's scripts read ids, routes and classes from Python, never from copies of their own."""

from __future__ import annotations

import json
import re
from pathlib import Path

from viz_app.ui.app import create_app
from viz_app.ui.page_constants import ROUTE, constants

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def test_the_constants_script_is_served_before_the_assets() -> None:
    from test_ui_elements_route import PageBackend

    app = create_app(PageBackend(), "/proxy/8050/")  # type: ignore[arg-type]
    client = app.server.test_client()
    # The proxy strips its prefix: the app routes at its own prefix, the page asks at the proxy's.
    reply = client.get(str(app.config.routes_pathname_prefix) + ROUTE)
    assert reply.status_code == 200 and reply.mimetype == "text/javascript"
    body = reply.get_data(as_text=True)
    assert json.loads(body.split("=", 1)[1].rstrip(";\n")) == constants()
    page = client.get("/proxy/8050/").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    mine = scripts.index("/proxy/8050/" + ROUTE)
    assets = [i for i, src in enumerate(scripts) if "/assets/" in src and ".js" in src]
    assert assets and all(mine < i for i in assets)


def test_no_script_keeps_a_copy_of_a_shared_id_or_route() -> None:
    shared = constants()
    classes = shared["classes"]["highlights"].split()  # "answer" is an id and a class name
    values = [*shared["ids"].values(), *shared["paths"].values(), *shared["colors"].values()]
    values = [v for v in values if v not in classes]
    for script in ASSETS.glob("*.js"):
        text = script.read_text()
        copies = [v for v in values if f'"{v}"' in text or f"'{v}'" in text]
        assert not copies, f"{script.name} copies {copies}: read window.lineageVizConstants"
