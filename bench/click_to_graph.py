"""Benchmark 2, click to graph: our explorer against the SDK's pyvis page and an examples page.

For synthetic lineage graphs of about 50, 500, 2,000 and 5,000 vertices (`bench.pages.fleet`)
it times, in Debian's headless Chromium, the re-root click to the settled drawn graph in our
app (a fresh app process per run, so the re-rooted view is never in its cache: every run
queries QueryLineage page by page, lays out, draws), and, for the same QueryLineage response
(all pages, merged), navigation start to the
stabilised drawn network for `LineageQueryResult.visualize()` and for an examples-style
pyvis page with physics. Run alone: `python -m bench.click_to_graph [--quick]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any, Final

from bench.pages.browser import AppServer, chromium, time_pyvis, time_reroot
from bench.pages.fleet import Family, build_families
from bench.pages.pyvis_pages import example_page, sdk_page

OUT: Final = Path(__file__).resolve().parent / "out"  # pages and the store (not kept in git)
RESULTS: Final = Path(__file__).resolve().parent / "results-click.json"
SIZES: Final = {"50": 50, "500": 500, "2000": 2000, "5000": 5000}
QUICK_SIZES: Final = ("50", "2000")
TARGET_RATIO: Final = 0.5  # ours / SDK pyvis at 2,000 and 5,000 vertices


def fetch_response(client: Any, start: str) -> tuple[dict[str, Any], int]:
    """The Both/depth-10 QueryLineage answer for `start`, all pages merged, and the page count."""
    request: dict[str, Any] = {
        "StartArns": [start],
        "Direction": "Both",
        "IncludeEdges": True,
        "MaxDepth": 10,
    }
    merged: dict[str, Any] = {"Vertices": [], "Edges": []}
    pages = 0
    while True:
        page = client.query_lineage(**request)
        pages += 1
        merged["Vertices"] += page["Vertices"]
        merged["Edges"] += page["Edges"]
        if not page.get("NextToken"):
            return merged, pages
        request["NextToken"] = page["NextToken"]


def _median(values: list[float | None]) -> float | None:
    done = [v for v in values if v is not None]
    return statistics.median(done) if len(done) == len(values) and done else None


def _fmt(ms: float | None, timeout_s: float) -> str:
    return f">{timeout_s:.0f} s" if ms is None else f"{ms:,.0f} ms"


def measure_size(
    browser: Any,
    db: Path,
    family: Family,
    response: dict[str, Any],
    runs: int,
    timeout_s: float,
) -> dict[str, Any]:
    """Every timing for one graph size."""
    vertices = len(response["Vertices"])
    sdk_path, example_path = OUT / f"sdk_{family.name}.html", OUT / f"example_{family.name}.html"
    sdk_python_s = sdk_page(response, family.base_image_arn, sdk_path)
    example_python_s = example_page(response, example_path)
    ours: list[float] = []
    sdk: list[float | None] = []
    example: list[float | None] = []
    for _ in range(runs):  # interleaved, so load on the machine hits all three alike
        app = AppServer(db)
        try:
            ours.append(
                time_reroot(
                    browser,
                    app,
                    family.endpoint_context_arn,
                    family.base_image_arn,
                    vertices,
                    timeout_s,
                )
            )
        finally:
            app.close()
        sdk.append(time_pyvis(browser, sdk_path, timeout_s))
        if not example or example[-1] is not None:  # one timeout is enough
            example.append(time_pyvis(browser, example_path, timeout_s))
    ours_ms, sdk_ms, example_ms = statistics.median(ours), _median(sdk), _median(example)
    return {
        "vertices": vertices,
        "edges": len({(e["SourceArn"], e["DestinationArn"]) for e in response["Edges"]}),
        "runs": runs,
        "ours_ms": ours_ms,
        "ours_first_run_ms": ours[0],
        "ours_all_ms": ours,
        "sdk_pyvis_ms": sdk_ms,
        "sdk_all_ms": sdk,
        "sdk_python_visualize_s": round(sdk_python_s, 3),
        "example_physics_ms": example_ms,
        "example_all_ms": example,
        "example_python_s": round(example_python_s, 3),
        "ratio_ours_sdk": ours_ms / sdk_ms if sdk_ms else None,
        "ratio_ours_example": ours_ms / example_ms if example_ms else None,
    }


def table(results: dict[str, dict[str, Any]], timeout_s: float) -> str:
    """The results as a plain-text table."""
    head = (
        f"{'size':>6} {'V':>5} {'E':>5} {'ours':>10} {'SDK pyvis':>10} {'ours/SDK':>9}"
        f" {'example+physics':>16} {'ours/ex':>8}"
    )
    lines = [head, "-" * len(head)]
    for size, r in results.items():
        ratio_sdk = f"{r['ratio_ours_sdk']:.2f}x" if r["ratio_ours_sdk"] else "—"
        ratio_ex = f"{r['ratio_ours_example']:.2f}x" if r["ratio_ours_example"] else "<—"
        lines.append(
            f"{size:>6} {r['vertices']:>5} {r['edges']:>5} {_fmt(r['ours_ms'], timeout_s):>10}"
            f" {_fmt(r['sdk_pyvis_ms'], timeout_s):>10} {ratio_sdk:>9}"
            f" {_fmt(r['example_physics_ms'], timeout_s):>16} {ratio_ex:>8}"
        )
    return "\n".join(lines)


def main(quick: bool = False, runs: int | None = None) -> dict[str, Any]:
    """Run benchmark 2 and return its results (also written to bench/results-click.json).

    `runs` per size defaults to 2 (quick) or 5; fewer keeps a full run short on a busy machine.
    """
    import boto3

    from viz_app.api.server import start_service
    from viz_app.core.store import Store

    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "click_to_graph.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    names = QUICK_SIZES if quick else tuple(SIZES)
    default_runs, timeout_s = (2, 60.0) if quick else (5, 180.0)
    runs = runs or default_runs
    store = Store(db)
    families = build_families(store, {f"fleet{n}": SIZES[n] for n in names})
    service = start_service(store)
    client = boto3.client(
        "sagemaker",
        endpoint_url=service.url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    responses = {n: fetch_response(client, families[f"fleet{n}"].base_image_arn)[0] for n in names}
    service.close()
    store.close()
    results: dict[str, dict[str, Any]] = {}
    with chromium() as browser:
        for n in names:
            results[n] = measure_size(
                browser, db, families[f"fleet{n}"], responses[n], runs, timeout_s
            )
            print(table({n: results[n]}, timeout_s).splitlines()[-1], flush=True)
    met = all(
        (results[n]["ratio_ours_sdk"] or 99) <= TARGET_RATIO
        for n in ("2000", "5000")
        if n in results
    )
    out = {
        "benchmark": "click_to_graph",
        "measure": "re-root click -> settled drawn graph (ours, a fresh app per run: the view"
        " is queried, laid out and drawn each time); navigation -> stabilised drawn network"
        " (pyvis pages); medians",
        "quick": quick,
        "runs_per_size": runs,
        "sizes": results,
        "target": f"ours <= {TARGET_RATIO}x SDK pyvis at 2000 and 5000 vertices",
        "target_met": met,
    }
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(table(results, timeout_s))
    print(f"target ({out['target']}): {'met' if met else 'NOT met'}")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="2 sizes, 2 runs")
    parser.add_argument("--runs", type=int, help="runs per size (default 2 quick, 5 full)")
    args = parser.parse_args()
    main(args.quick, args.runs)
