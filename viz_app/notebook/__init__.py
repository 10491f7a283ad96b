"""lineage-viz in a Jupyter notebook: `render`, `explore`, `serve` and `Visualizer`.

    from viz_app.notebook import Visualizer, explore, render

In a Jupyter kernel each call serves the explorer for its answer on a free loopback port and
shows it inline; anywhere else it writes one self-contained HTML file. The modules:

- `show`: the public calls above;
- `data`: what a notebook holds (a response, pages, an SDK result) as API pages;
- `backend`, `live`, `offline`: what the view's explorer asks, with or without a client;
- `window`: the read-only window onto the caller's own client;
- `server`, `proxy`: the view's loopback server and the URL the browser reaches it at;
- `html_file`: the self-contained HTML file written outside Jupyter.
"""

from __future__ import annotations

from viz_app.notebook.server import View
from viz_app.notebook.show import Visualizer, explore, render, serve

__all__ = ["View", "Visualizer", "explore", "render", "serve"]
