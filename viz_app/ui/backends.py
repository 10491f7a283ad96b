"""The read-only SageMaker client the app talks through, for the local service and for AWS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from viz_app.client import factory
from viz_app.client.describe import describe as describe_entity
from viz_app.client.paging import Pages, items
from viz_app.client.read_only import guard
from viz_app.core.model import TRIAL_COMPONENT, parse_arn
from viz_app.ui import resolve as resolve_mod
from viz_app.ui.names import NameBook, default_cache_path
from viz_app.ui.runs import RunBook

MAX_PAGES: Final = 500
MAX_TRIALS: Final = 10  # the details name at most this many trials of one trial component
MAX_TAG_PAGES: Final = 20
MAX_TRIAL_PAGES: Final = 5
PURPOSE: Final = "app"  # in the User-Agent of the explorer's clients


@dataclass
class QueryResult:
    """All pages of one QueryLineage question, merged in arrival order."""

    vertices: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)
    calls: int = 0
    repeated_token: bool = False
    truncated: bool = False  # MAX_PAGES reached with a NextToken still to follow
    request: dict[str, Any] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        """The request and its raw response pages, for the JSON export."""
        return {"request": self.request, "responses": self.pages}


class Backend:
    """A boto3 SageMaker client with a read-only guard, and the calls the explorer makes."""

    def __init__(
        self,
        client: Any,
        *,
        region: str,
        account_id: str | None = None,
        sts_client: Any | None = None,
        label: str = "local",
    ) -> None:
        self.client = client
        self.region = region
        self.label = label
        self._account_id = account_id
        self._sts = sts_client
        guard(client)
        if sts_client is not None:
            guard(sts_client)
        self.names = NameBook(client)
        self.runs = RunBook(self.tags)

    @classmethod
    def for_endpoint(
        cls,
        endpoint_url: str,
        *,
        region: str = "us-east-1",
        account_id: str | None = None,
        label: str = "local",
    ) -> Backend:
        """A backend for a local lineage service (fixed dummy credentials)."""
        client = factory.sagemaker_client(
            purpose=PURPOSE, region=region, endpoint_url=endpoint_url, local_credentials=True
        )
        return cls(client, region=region, account_id=account_id, label=label)

    @classmethod
    def for_aws(
        cls, *, profile: str | None, region: str | None, endpoint_url: str | None = None
    ) -> Backend:
        """A backend on the standard credential chain, with adaptive retries."""
        session = factory.session(profile, region)
        client = factory.sagemaker_client(
            purpose=PURPOSE, endpoint_url=endpoint_url, from_session=session
        )
        sts = factory.sts_client(session, purpose=PURPOSE)
        backend = cls(client, region=client.meta.region_name, sts_client=sts, label="aws")
        # Real accounts keep names between runs: an artifact's source never changes.
        backend.names = NameBook(client, default_cache_path(backend.account_id, backend.region))
        return backend

    @property
    def account_id(self) -> str | None:
        """The account for captions (from STS on AWS; None if that call fails)."""
        if self._account_id is None and self._sts is not None:
            try:
                self._account_id = str(self._sts.get_caller_identity()["Account"])
            except Exception:  # a caption is not worth an error on the page
                return None
        return self._account_id

    def query_all_pages(
        self,
        start_arn: str,
        direction: str,
        depth: int,
        filters: dict[str, Any] | None = None,
        *,
        max_pages: int = MAX_PAGES,
        on_page: Callable[[dict[str, Any]], None] | None = None,
    ) -> QueryResult:
        """QueryLineage with IncludeEdges, following NextToken until the last page (or
        `max_pages`); `on_page` sees each page and may raise to stop the paging."""
        result = QueryResult()
        request: dict[str, Any] = {
            "StartArns": [start_arn],
            "Direction": direction,
            "IncludeEdges": True,
            "MaxDepth": depth,
            "Filters": filters or {},
        }
        result.request = dict(request)
        pages = Pages(self.client.query_lineage, request, max_pages=max_pages)
        for page in pages:
            result.calls = pages.calls
            result.pages.append(page)
            result.vertices.extend(page.get("Vertices", []))
            result.edges.extend(page.get("Edges", []))
            if on_page is not None:
                on_page(page)
        result.truncated, result.repeated_token = pages.truncated, pages.repeated_token
        return result

    def describe(self, arn: str) -> dict[str, Any]:
        """The Describe* answer for one lineage entity, plus its tags under `Tags`."""
        out = describe_entity(self.client, arn)
        if out is None:
            raise ValueError(f"not a lineage entity ARN: {arn}")
        out["Tags"] = self.tags(arn)
        return dict(out)

    def trials_of(self, arn: str) -> list[dict[str, str]] | None:
        """The trials holding a trial component, each with its experiment (ListTrials by
        TrialComponentName, then one DescribeTrial per trial, at most MAX_TRIALS); None when
        this backend cannot know."""
        parsed = parse_arn(arn)
        if parsed is None or parsed.kind != TRIAL_COMPONENT:
            return []
        names: list[str] = []
        request = {"TrialComponentName": parsed.name, "MaxResults": 100}
        for page in Pages(self.client.list_trials, request, max_pages=MAX_TRIAL_PAGES):
            names.extend(t["TrialName"] for t in page.get("TrialSummaries", []))
            if len(names) >= MAX_TRIALS:
                break
        out = []
        for name in sorted(set(names))[:MAX_TRIALS]:
            trial = self.client.describe_trial(TrialName=name)
            out.append({"TrialName": name, "ExperimentName": str(trial.get("ExperimentName", ""))})
        return out

    def tags(self, arn: str) -> list[dict[str, str]]:
        """Every tag on a resource (ListTags, all pages)."""
        request = {"ResourceArn": arn}
        return list(items(self.client.list_tags, "Tags", request, max_pages=MAX_TAG_PAGES))

    def resolve(self, text: str) -> resolve_mod.Resolution:
        """Candidate start ARNs for what a person typed."""
        return resolve_mod.resolve(self.client, text, self.region, self.account_id)

    def suggestions(self, limit: int = 6) -> list[resolve_mod.Candidate]:
        """A few good places to start: endpoints first, then models and datasets."""
        return resolve_mod.suggestions(self.client, limit)
