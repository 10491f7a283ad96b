"""The AWS page's Visualizer snippet, one import changed, run in a real Jupyter kernel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from notebook_helpers import make_client
from view_http import drawn_arns, get, graph_store, iframe_urls, start_of

NOTEBOOK = Path(__file__).with_name("seed_visualizer.ipynb")


def _tagged(nb: Any, tag: str) -> Any:
    return next(c for c in nb.cells if tag in c.get("metadata", {}).get("tags", []))


def _all_vertices(client: Any, start: str) -> set[str]:
    arns: set[str] = set()
    request: dict[str, Any] = {
        "StartArns": [start],
        "Direction": "Ascendants",
        "IncludeEdges": True,
    }
    out = client.query_lineage(**request)
    arns |= {v["Arn"] for v in out["Vertices"]}
    assert not out.get("NextToken"), "the seed's query is one page"
    return arns


@pytest.fixture(scope="module")
def executed(kernel_name: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The notebook run cell by cell; the kernel stays up while the tests read the views."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    workdir = tmp_path_factory.mktemp("notebook")
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=240,
        resources={"metadata": {"path": str(workdir)}},
    )
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        yield nb


def test_the_seed_cell_shows_one_inline_view_per_render_call(executed: Any) -> None:
    outputs = _tagged(executed, "seed").outputs
    assert [o.output_type for o in outputs if o.output_type != "stream"] == [
        "display_data",
        "display_data",
    ]
    htmls = [o.data["text/html"] for o in outputs if o.output_type == "display_data"]
    assert "Endpoint" in htmls[0] and "Model" in htmls[1]
    urls = [u for h in htmls for u in iframe_urls(h)]
    assert len(urls) == 2
    assert urls[0].split("/")[2] != urls[1].split("/")[2], "each view has its own port"


def test_each_inline_view_serves_the_explorer_with_every_vertex_of_its_response(
    executed: Any,
) -> None:
    service_url, endpoint_arn = _tagged(executed, "service-url").outputs[0].text.split()
    client = make_client(service_url)
    context = client.list_contexts(SourceUri=endpoint_arn)["ContextSummaries"][0]["ContextArn"]
    htmls = [o.data["text/html"] for o in _tagged(executed, "seed").outputs if "data" in o]
    endpoint_url, model_url = (iframe_urls(h)[0] for h in htmls)
    assert start_of(endpoint_url) == context
    model = start_of(model_url)
    assert client.describe_artifact(ArtifactArn=model)["ArtifactType"] == "Model"
    for url in (endpoint_url, model_url):
        status, page = get(url)
        assert status == 200 and "<title>lineage-viz</title>" in page
        data = graph_store(url)
        assert data["start"] == start_of(url)
        assert data["counts"][0] == len(_all_vertices(client, start_of(url)))
        assert drawn_arns(url) == _all_vertices(client, start_of(url))


EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "notebook-example.ipynb"


def test_the_docs_example_is_stored_without_outputs_and_runs_to_two_live_views(
    kernel_name: str, tmp_path: Path
) -> None:
    nb = nbformat.read(EXAMPLE, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    client = NotebookClient(
        nb, kernel_name=kernel_name, timeout=240, resources={"metadata": {"path": str(tmp_path)}}
    )
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        html = [o.data["text/html"] for c in code for o in c.outputs if "data" in o]
        urls = [u for h in html for u in iframe_urls(h)]
        assert len(urls) == 2
        assert all(drawn_arns(u) for u in urls)
