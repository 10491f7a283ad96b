"""QueryLineage's direction names, for everything that asks SageMaker, and what each walks.

The names themselves are defined once, with the engine in `viz_app.core.lineage` (the lowest
layer: the local service walks by them too); the app, the evidence commands and the notebook
take them from here.
"""

from __future__ import annotations

from viz_app.core.lineage import ASCENDANTS as ASCENDANTS
from viz_app.core.lineage import BOTH as BOTH
from viz_app.core.lineage import DESCENDANTS as DESCENDANTS
from viz_app.core.lineage import DIRECTIONS as DIRECTIONS


def goes_downstream(direction: str) -> bool:
    """True when a walk in `direction` follows edges from source to destination."""
    return direction in (DESCENDANTS, BOTH)


def goes_upstream(direction: str) -> bool:
    """True when a walk in `direction` follows edges from destination to source."""
    return direction in (ASCENDANTS, BOTH)
