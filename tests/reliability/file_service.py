"""A service over a SQLite file the tests can also read, and a pool of existing entities."""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from typing import Any

from fuzz_strategies import Pool
from reliability_helpers import ARN_PREFIX, call

from viz_app.api.server import LineageService
from viz_app.core.store import Store


class _ErrorLog(logging.Handler):
    """Collects the ERROR records the service logs for every unexpected exception."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class FileService:
    """A running service over a SQLite file the test can also read directly."""

    service: LineageService
    store: Store
    db_path: str
    errors: _ErrorLog

    @property
    def url(self) -> str:
        return self.service.url

    def logged_failures(self) -> list[str]:
        return [f"{r.getMessage()}\n{r.exc_text or ''}" for r in self.errors.records]


def seed_pool(url: str) -> Pool:
    """A small connected graph of every kind, created over HTTP; returns what exists."""
    pool = Pool(
        # No "_" in names: ContextName allows it, but ListAssociations answers name contexts
        # as ExperimentEntityName, whose pattern does not, and every answer is checked
        # against botocore's output shapes (an association to it failed that check).
        contexts=["fuzz-endpoint", "fuzz-pipeline"],
        actions=["fuzz-deploy"],
        trial_components=["fuzz-training-job", "fuzz-processing-job"],
        source_uris=["s3://fuzz-bucket/data/train.csv", "s3://fuzz-bucket/model.tar.gz"],
    )
    for index, uri in enumerate(pool.source_uris):
        body: dict[str, Any] = {"Source": {"SourceUri": uri}, "ArtifactType": "DataSet"}
        if index:
            body["Source"]["SourceTypes"] = [{"SourceIdType": "S3ETag", "Value": "etag-1"}]
        pool.artifacts.append(call(url, "CreateArtifact", body)["ArtifactArn"])
    for name in pool.contexts:
        call(
            url,
            "CreateContext",
            {
                "ContextName": name,
                "ContextType": "Endpoint",
                "Source": {"SourceUri": f"{ARN_PREFIX}:endpoint/{name}"},
            },
        )
    for name in pool.actions:
        call(
            url,
            "CreateAction",
            {
                "ActionName": name,
                "ActionType": "ModelDeployment",
                "Source": {"SourceUri": f"{ARN_PREFIX}:endpoint-config/x"},
                "Properties": {"k": "v"},
            },
        )
    for name in pool.trial_components:
        call(url, "CreateTrialComponent", {"TrialComponentName": name})
    arns = pool.arns()
    chain = [arns[0], arns[5], arns[1], arns[4], arns[2]]  # data -> job -> model -> deploy -> ep
    for source, destination in itertools.pairwise(chain):
        call(url, "AddAssociation", {"SourceArn": source, "DestinationArn": destination})
    call(url, "AddTags", {"ResourceArn": arns[0], "Tags": [{"Key": "team", "Value": "fuzz"}]})
    return pool
