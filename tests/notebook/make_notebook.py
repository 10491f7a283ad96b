"""Write seed_visualizer.ipynb: the test notebook (run once by hand when the cells change)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SETUP = """\
# Seed the local lineage service: it stands in for SageMaker in this notebook.
import boto3
import sagemaker
from sagemaker.lineage.artifact import ModelArtifact
from sagemaker.lineage.context import Context, EndpointContext

from viz_app.api.server import start_service
from viz_app.core.demo import build_demo
from viz_app.core.store import Store

store = Store()
demo = build_demo(store)
service = start_service(store)
sm_client = boto3.client(
    "sagemaker",
    endpoint_url=service.url,
    region_name="us-east-1",
    aws_access_key_id="local",
    aws_secret_access_key="local",
)
sagemaker_session = sagemaker.Session(
    boto_session=boto3.Session(
        region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local"
    ),
    sagemaker_client=sm_client,
    sagemaker_config={"SchemaVersion": "1.0"},
)
endpoint_arn = demo.endpoint_arns[0]"""

FIND = """\
# As on the AWS page: the endpoint context and the model artifact behind it.
contexts = Context.list(source_uri=endpoint_arn, sagemaker_session=sagemaker_session)
context_name = list(contexts)[0].context_name
endpoint_context = EndpointContext.load(
    context_name=context_name, sagemaker_session=sagemaker_session
)
model_vertex = sm_client.query_lineage(
    StartArns=[endpoint_context.context_arn],
    Direction="Ascendants",
    Filters={"Types": ["Model"], "LineageTypes": ["Artifact"]},
)["Vertices"][0]
model_artifact = ModelArtifact.load(
    artifact_arn=model_vertex["Arn"], sagemaker_session=sagemaker_session
)"""

SEED = """\
# Graph APIs
# Here we use the boto3 `query_lineage` API to generate the query response to plot.

from viz_app.notebook import Visualizer

query_response = sm_client.query_lineage(
    StartArns=[endpoint_context.context_arn], Direction="Ascendants", IncludeEdges=True
)

viz = Visualizer()
viz.render(query_response, "Endpoint")

query_response = sm_client.query_lineage(
    StartArns=[model_artifact.artifact_arn], Direction="Ascendants", IncludeEdges=True
)
viz.render(query_response, "Model")"""

CHECK = "print(service.url)\nprint(endpoint_arn)"


def build() -> nbformat.NotebookNode:
    nb = new_notebook(
        cells=[
            new_markdown_cell(
                "The AWS page's `Visualizer` example, with `from visualizer import Visualizer` "
                "changed to `from viz_app.notebook import Visualizer`."
            ),
            new_code_cell(SETUP, metadata={"tags": ["setup"]}),
            new_code_cell(FIND, metadata={"tags": ["find"]}),
            new_code_cell(SEED, metadata={"tags": ["seed"]}),
            new_code_cell(CHECK, metadata={"tags": ["service-url"]}),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


if __name__ == "__main__":
    nbformat.write(build(), Path(__file__).with_name("seed_visualizer.ipynb"))
