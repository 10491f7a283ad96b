"""Keep Python's cyclic garbage collector out of request latency in our long-running servers."""

from __future__ import annotations

import gc
from typing import Final

#: Allocations between young-generation collections (CPython's default is 700). A request that
#: draws a 2,000-vertex graph allocates tens of thousands of short-lived objects, freed by
#: reference counting; collecting every 700 of them only costs time.
YOUNG_THRESHOLD: Final = 10_000


def settle() -> None:
    """Call once a server has started (imports done, app and store open).

    Everything alive then lives as long as the process, so it is moved out of the collector's
    reach (`gc.freeze`): a full collection then scans only what requests created, instead of
    the ~200,000 objects of Dash, plotly, pandas and boto3 (a ~140 ms pause in the middle of a
    request before). Only for processes that serve; a notebook kernel is left alone.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
