"""What a handler knows about the request it serves."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from viz_app.core.model import build_arn
from viz_app.core.store import Store


@dataclass(frozen=True)
class Limits:
    """SageMaker's limits on manually created lineage entities (developer guide, 'Limits')."""

    artifacts: int = 6000
    contexts: int = 500
    actions: int = 3000
    trial_components: int = 10000
    associations: int = 6000
    tags_per_resource: int = 50
    # Not SageMaker's: how many ARNs that are no lineage entity (made-up job ARNs) AddTags may
    # put tags on, so requests cannot grow the store without bound.
    tagged_other_resources: int = 1000


@dataclass
class RequestContext:
    store: Store
    region: str
    account: str
    limits: Limits = field(default_factory=Limits)
    now: float = field(default_factory=time.time)

    def arn(self, resource: str, name: str) -> str:
        return build_arn(self.region, self.account, resource, name)
