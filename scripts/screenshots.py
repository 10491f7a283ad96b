"""Take screenshots of the explorer's main views (1440x900) into docs/screenshots/ with
Debian's Chromium: `python scripts/screenshots.py [NN ...]` (only those numbers, e.g. `07 08`)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

from viz_app.chromium import launch
from viz_app.core.demo import build_demo
from viz_app.core.store import Store

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
SETTLE_MS = 700


def serve(db: Path) -> tuple[subprocess.Popen[str], str]:
    """`lineage-viz serve` on the store `db`, on a free port; the process and its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "viz_app", "serve", "--port", "0", "--db", str(db)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def click_node(page: Any, selector: str) -> None:
    """A real mouse click on the first node matching a Cytoscape selector."""
    x, y = page.evaluate(
        """s => { const el = document.getElementById('graph'); const n = el._cyreg.cy.$(s)[0];
                  const b = el.getBoundingClientRect(); const p = n.renderedPosition();
                  return [b.left + p.x, b.top + p.y]; }""",
        selector,
    )
    page.mouse.click(x, y)


def wait_graph(page: Any) -> None:
    page.wait_for_function(
        "() => { const e = document.getElementById('graph');"
        " return e && e._cyreg && e._cyreg.cy.nodes().length > 0"
        " && window.lineageViz.settled() && window.lineageViz.namesDone; }"
    )
    page.wait_for_timeout(SETTLE_MS)


def shoot(page: Any, name: str, **options: Any) -> None:
    """Save the page as `name` unless the command line names other screenshots only."""
    wanted = sys.argv[1:]
    if not wanted or name[:2] in wanted:
        page.screenshot(path=str(OUT / name), **options)


def impact_screens(page: Any, url: str, demo: Any, image: str) -> None:
    """The shared image's impact list, then an answer whose row was clicked."""
    page.goto(url + "?" + urlencode({"arn": image}))
    wait_graph(page)
    page.get_by_role("button", name="What does it reach?").click()
    page.wait_for_selector("#answer .answer-grid.impact .ag-row")
    wait_graph(page)
    shoot(page, "07-impact-analysis.png")
    page.goto(url + "?" + urlencode({"arn": demo.endpoint_context_arns[0]}))
    wait_graph(page)
    page.get_by_role("button", name="Which datasets went into it?").click()
    page.wait_for_selector("#answer .answer-grid .ag-row")
    wait_graph(page)
    page.locator("#answer .answer-grid .ag-row .ag-cell").nth(1).click()
    page.wait_for_selector("#details code")
    page.wait_for_timeout(SETTLE_MS)
    shoot(page, "08-answer-row-selected.png")


def progress_screen(page: Any) -> None:
    """A view that pages for a while (a hub of 3,000 datasets on a service slowed to 40 ms a
    request): its start's nearest neighbours first, and the pages counting up."""
    import random
    import threading

    import waitress  # type: ignore[import-untyped]

    from viz_app.api.server import start_service
    from viz_app.core.demo_shapes import LineageBuilder
    from viz_app.core.model import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
    from viz_app.ui.app import create_app
    from viz_app.ui.backends import Backend

    if sys.argv[1:] and "10" not in sys.argv[1:]:
        return
    store = Store()
    b = LineageBuilder(random.Random(7), DEFAULT_REGION, DEFAULT_ACCOUNT_ID, 1.77e9)
    hub = b.context(
        "feature-store-sync", "Endpoint", "arn:aws:sagemaker:::endpoint/fs", "Endpoint", ""
    )
    for i in range(3000):
        b.associate(
            b.dataset(f"s3://features/daily/2026-03-{i % 28 + 1:02d}/part-{i:04d}.parquet"), hub
        )
    b.flush(store)
    service = start_service(store)
    service.faults.delay_seconds = 0.04
    backend = Backend.for_endpoint(service.url, account_id=service.account_id)
    server: Any = waitress.create_server(create_app(backend).server, host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{server.effective_port}/?" + urlencode({"arn": hub}))
        page.wait_for_function(
            "() => { const box = document.querySelector('.lv-progress');"
            " const c = window.lineageViz.cy();"
            " return box && /vertices so far/.test(box.textContent) && c && c._lvPeek; }"
        )
        page.wait_for_timeout(600)
        shoot(page, "10-long-query-progress.png")
    finally:  # the in-memory store goes with the process (naming may still be reading it)
        server.close()
        service.close()


def big_view_screen(page: Any) -> None:
    """A 5,000-vertex family re-rooted on its base image (selected first, as a person does):
    the start and its neighbours named at a readable zoom, the minimap for the rest."""
    import threading

    import waitress  # type: ignore[import-untyped]

    sys.path.insert(0, str(OUT.parents[1]))  # the checkout: bench/ makes the synthetic family
    from bench.pages.fleet import build_families
    from viz_app.api.server import start_service
    from viz_app.ui.app import create_app
    from viz_app.ui.backends import Backend

    if sys.argv[1:] and "11" not in sys.argv[1:]:
        return
    store = Store()
    family = build_families(store, {"fleet": 5000})["fleet"]
    service = start_service(store)
    backend = Backend.for_endpoint(service.url, account_id=service.account_id)
    server: Any = waitress.create_server(create_app(backend).server, host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.effective_port}/?"
        page.goto(url + urlencode({"arn": family.endpoint_context_arn, "depth": 10}))
        wait_graph(page)
        page.evaluate(
            "id => { window.lineageViz.cy().getElementById(id).emit('tap'); }",
            family.base_image_arn,
        )
        page.wait_for_function("() => !document.getElementById('reroot').disabled")
        page.wait_for_timeout(2000)  # the person reads the details; the view is fetched ahead
        page.click("#reroot")
        page.wait_for_function(
            "id => window.lineageViz.cy().$('node.start').id() === id",
            arg=family.base_image_arn,
        )
        wait_graph(page)
        page.wait_for_timeout(SETTLE_MS)
        shoot(page, "11-big-view-reroot.png")
    finally:  # the in-memory store goes with the process (naming may still be reading it)
        server.close()
        service.close()


def runs_screen(page: Any) -> None:
    """`demo --scale 30`'s busiest image (Both, depth 10) arranged by pipeline run: it opens on
    its runs, one titled frame per project, the shared images on the left."""
    if sys.argv[1:] and "12" not in sys.argv[1:]:
        return
    sys.path.insert(0, str(OUT.parents[1]))  # the checkout: bench/ finds the busiest image
    from bench.runs_arrange import busiest_image

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "scale30.db"
        store = Store(db)
        build_demo(store, scale=30)
        image = busiest_image(store)
        store.close()
        proc, url = serve(db)
        try:
            query = {"arn": image, "direction": "Both", "depth": 10, "arrange": "runs"}
            page.goto(url + "?" + urlencode(query))
            wait_graph(page)
            shoot(page, "12-arranged-by-run.png")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        store = Store(db)
        demo = build_demo(store)
        with store.read() as conn:
            row = conn.execute(
                "SELECT arn FROM entities WHERE source_uri = ?", (demo.shared_image_uri,)
            ).fetchone()
        image = str(row[0])
        store.close()
        proc, url = serve(db)
        endpoint = demo.endpoint_context_arns[0]
        try:
            with sync_playwright() as pw:
                browser = launch(pw)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(url + "?" + urlencode({"arn": endpoint}))
                wait_graph(page)
                shoot(page, "01-endpoint-lineage.png")

                click_node(page, "node[type = 'Model']")
                page.wait_for_selector("#details code")
                page.wait_for_timeout(SETTLE_MS)
                shoot(page, "02-node-details-and-paths.png")

                click_node(page, "node.start")
                page.get_by_role("button", name="Which datasets went into it?").click()
                page.wait_for_selector("#answer .answer-title")
                page.wait_for_timeout(SETTLE_MS)
                shoot(page, "03-question-answer.png")

                page.get_by_label("Dark mode").check()
                page.wait_for_timeout(SETTLE_MS)
                shoot(page, "04-dark-mode.png")
                page.get_by_label("Dark mode").uncheck()

                page.goto(url)
                page.fill("#start-input", demo.training_dataset_uri)
                page.click("#start-go")
                page.wait_for_selector("#candidates a.candidate")
                page.wait_for_timeout(SETTLE_MS)
                shoot(page, "05-start-from-s3-uri.png")

                page.goto(
                    url
                    + "?"
                    + urlencode(
                        {"arn": demo.model_package_artifact_arn, "direction": "Both", "depth": 10}
                    )
                )
                wait_graph(page)
                page.get_by_text("Summary", exact=True).click()
                page.wait_for_timeout(SETTLE_MS)
                shoot(page, "06-both-directions-and-summary.png", full_page=True)
                page.get_by_text("Vertices", exact=True).click()
                page.wait_for_selector("#vertex-table .ag-row")
                page.locator(".grid-quick[data-grid='vertex-table'] input").fill("churn")
                page.wait_for_timeout(SETTLE_MS)
                page.locator("#vertex-table").scroll_into_view_if_needed()
                shoot(page, "09-vertex-table.png")
                impact_screens(page, url, demo, image)
                progress_screen(page)
                big_view_screen(page)
                runs_screen(page)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
