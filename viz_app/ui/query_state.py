"""The query a view shows, to and from its URL, validated the same way as typed input."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Final
from urllib.parse import parse_qs, urlencode

from viz_app.client.directions import ASCENDANTS, BOTH, DESCENDANTS
from viz_app.core.model import LINEAGE_TYPES, parse_arn

DIRECTIONS: Final = (ASCENDANTS, DESCENDANTS, BOTH)  # the form's order
DEFAULT_DIRECTION: Final = BOTH
DEFAULT_DEPTH: Final = 4
MAX_DEPTH: Final = 10
PARSED_URLS: Final = 256  # URL queries whose parsed state is kept
MAX_TYPES: Final = 5
MAX_TYPE_LEN: Final = 40
MAX_PROPERTY_LEN: Final = 256
LINEAGE_ENTITY_RESOURCES: Final = frozenset(
    {"artifact", "context", "action", "experiment-trial-component"}
)
ARRANGE: Final = "arrange"  # the URL parameter that says how the graph is arranged
BY_RUN: Final = "runs"  # `arrange=runs`: each pipeline run drawn in its own frame
ARRANGEMENTS: Final = ("", BY_RUN)
_DATE_KEYS: Final = ("created_after", "created_before", "modified_after", "modified_before")


@dataclass(frozen=True)
class QueryState:
    """Everything that defines one view: start, direction, depth and filters."""

    arn: str | None = None
    direction: str = DEFAULT_DIRECTION
    depth: int = DEFAULT_DEPTH
    lineage_types: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    created_after: str | None = None
    created_before: str | None = None
    modified_after: str | None = None
    modified_before: str | None = None
    prop: tuple[str, str] | None = None
    # How the graph is arranged ("" by flow, BY_RUN); it asks nothing of SageMaker, so view
    # keys leave it out (`for_key`) and both arrangements share one cached answer.
    arrange: str = ""
    errors: tuple[str, ...] = field(default=(), compare=False)

    def with_start(self, arn: str) -> QueryState:
        """The same question asked from another start (a re-root)."""
        return replace(self, arn=arn, errors=())

    def without_filters(self) -> QueryState:
        """The same start, direction and depth with no filter."""
        return QueryState(
            arn=self.arn, direction=self.direction, depth=self.depth, arrange=self.arrange
        )

    def for_key(self) -> QueryState:
        """The question alone, without how it is drawn (what a view key names)."""
        return replace(self, arrange="")

    def filter_names(self) -> list[str]:
        """The filters this view has, in words with their values (e.g. `entity types (Model)`)."""
        out = []
        if self.types:
            out.append(f"entity types ({', '.join(self.types)})")
        if self.lineage_types:
            out.append(f"lineage types ({', '.join(self.lineage_types)})")
        for key in _DATE_KEYS:
            value = getattr(self, key)
            if value:
                out.append(f"{key.replace('_', ' ')} ({value})")
        if self.prop:
            out.append(f"property ({self.prop[0]}={self.prop[1]})")
        return out

    def filters(self) -> dict[str, Any]:
        """The QueryLineage `Filters` member for this view (empty when unfiltered)."""
        out: dict[str, Any] = {}
        if self.types:
            out["Types"] = list(self.types)
        if self.lineage_types:
            out["LineageTypes"] = list(self.lineage_types)
        for key, wire in zip(
            _DATE_KEYS,
            ("CreatedAfter", "CreatedBefore", "ModifiedAfter", "ModifiedBefore"),
            strict=True,
        ):
            value = getattr(self, key)
            if value:
                out[wire] = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
        if self.prop:
            out["Properties"] = {self.prop[0]: self.prop[1]}
        return out

    def to_search(self, with_direction: bool = True) -> str:
        """The URL query string (with the leading `?`) that reopens this view.

        Without `with_direction` the link leaves the direction to the start's type
        (`default_direction`): what a new start from a list of candidates should get.
        """
        params: list[tuple[str, str]] = []
        if self.arn:
            params.append(("arn", self.arn))
        if with_direction:
            params.append(("direction", self.direction))
        params.append(("depth", str(self.depth)))
        if self.lineage_types:
            params.append(("lineage_types", ",".join(self.lineage_types)))
        if self.types:
            params.append(("types", ",".join(self.types)))
        for key in _DATE_KEYS:
            value = getattr(self, key)
            if value:
                params.append((key, value))
        if self.prop:
            params.append(("property", f"{self.prop[0]}={self.prop[1]}"))
        if self.arrange:
            params.append((ARRANGE, self.arrange))
        return "?" + urlencode(params)


# "What made this?" for what is deployed or registered; "where did this go?" for inputs.
ASCENDANTS_FIRST: Final = frozenset({"Endpoint", "Model", "ModelPackage"})
DESCENDANTS_FIRST: Final = frozenset({"DataSet", "Image"})


def default_direction(entity_type: str | None) -> str:
    """The direction a view of a start of `entity_type` opens in when none was chosen."""
    if entity_type in ASCENDANTS_FIRST:
        return ASCENDANTS
    if entity_type in DESCENDANTS_FIRST:
        return DESCENDANTS
    return BOTH


def chooses_direction(search: str | None) -> bool:
    """True when the URL query names a direction (else the start's type decides it)."""
    return "direction" in parse_qs((search or "").lstrip("?"))


def arn_problem(text: str) -> str | None:
    """Why `text` cannot start a lineage query, or None when it is a lineage entity ARN."""
    parsed = parse_arn(text)
    if parsed is None:
        return (
            f"'{text}' is not a SageMaker ARN. It should look like "
            "arn:aws:sagemaker:us-east-1:123456789012:artifact/<id>."
        )
    if parsed.resource not in LINEAGE_ENTITY_RESOURCES:
        return (
            f"That is a {parsed.resource} ARN, not a lineage entity. Type it in the start box "
            "to find the lineage entity behind it."
        )
    if len(text) > 256:
        return "That ARN is longer than the 256 characters SageMaker allows."
    return None


def _split_list(raw: str) -> tuple[str, ...]:
    return tuple(sorted({item.strip() for item in raw.split(",") if item.strip()}))


def _check_date(key: str, raw: str, errors: list[str]) -> str | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[:10]).isoformat()
    except ValueError:
        errors.append(
            f"The date '{raw}' for {key.replace('_', ' ')} is not a date like 2024-05-31."
        )
        return None


def validate(
    arn: str | None,
    direction: str | None,
    depth: Any,
    lineage_types: tuple[str, ...] | list[str] = (),
    types: tuple[str, ...] | list[str] = (),
    dates: dict[str, str | None] | None = None,
    prop: str | None = None,
    arrange: str | None = None,
) -> QueryState:
    """Build a QueryState from raw values; problems go into `.errors` as plain sentences."""
    errors: list[str] = []
    if (arrange or "") not in ARRANGEMENTS:
        errors.append(f"Arrange must be '{BY_RUN}' (each pipeline run in a frame) or left out.")
        arrange = ""
    arn = (arn or "").strip() or None
    if arn is not None:
        problem = arn_problem(arn)
        if problem:
            errors.append(problem)
            arn = None
    if direction not in DIRECTIONS:
        if direction:
            errors.append(f"Direction must be one of {', '.join(DIRECTIONS)}, not '{direction}'.")
        direction = DEFAULT_DIRECTION
    try:
        depth_int = int(depth) if depth not in (None, "") else DEFAULT_DEPTH
    except (TypeError, ValueError):
        errors.append(f"Depth must be a whole number from 1 to {MAX_DEPTH}, not '{depth}'.")
        depth_int = DEFAULT_DEPTH
    if not 1 <= depth_int <= MAX_DEPTH:
        errors.append(f"Depth must be from 1 to {MAX_DEPTH}; lineage queries stop at {MAX_DEPTH}.")
        depth_int = min(max(depth_int, 1), MAX_DEPTH)
    ltypes = tuple(sorted(set(lineage_types)))
    bad = [t for t in ltypes if t not in LINEAGE_TYPES]
    if bad:
        errors.append(f"Unknown lineage type {', '.join(bad)}; use {', '.join(LINEAGE_TYPES)}.")
        ltypes = tuple(t for t in ltypes if t in LINEAGE_TYPES)
    etypes = tuple(sorted(set(types)))
    if len(etypes) > MAX_TYPES:
        errors.append(f"At most {MAX_TYPES} entity types can be filtered at once.")
        etypes = etypes[:MAX_TYPES]
    if any(len(t) > MAX_TYPE_LEN for t in etypes):
        errors.append(f"An entity type is at most {MAX_TYPE_LEN} characters.")
        etypes = tuple(t for t in etypes if len(t) <= MAX_TYPE_LEN)
    checked = {k: _check_date(k, (dates or {}).get(k) or "", errors) for k in _DATE_KEYS}
    prop_pair: tuple[str, str] | None = None
    if prop and prop.strip():
        key, sep, value = prop.strip().partition("=")
        if not sep or not key.strip():
            errors.append("A property filter is written key=value, for example framework=xgboost.")
        elif len(key) > MAX_PROPERTY_LEN or len(value) > MAX_PROPERTY_LEN:
            errors.append(f"Property keys and values are at most {MAX_PROPERTY_LEN} characters.")
        else:
            prop_pair = (key.strip(), value.strip())
    return QueryState(
        arn=arn,
        direction=direction,
        depth=depth_int,
        lineage_types=ltypes,
        types=etypes,
        prop=prop_pair,
        arrange=arrange or "",
        errors=tuple(errors),
        **checked,
    )


@lru_cache(maxsize=PARSED_URLS)
def from_search(search: str | None) -> QueryState:
    """Parse a URL query string (deep link) into a validated QueryState.

    A navigation sets off several callbacks and requests that each need the URL's question:
    the answer is kept (the state is immutable), so a URL is parsed once, not once each.
    """
    qs = parse_qs((search or "").lstrip("?"), keep_blank_values=False)

    def one(key: str) -> str | None:
        values = qs.get(key)
        return values[-1] if values else None

    return validate(
        one("arn"),
        one("direction"),
        one("depth"),
        _split_list(one("lineage_types") or ""),
        _split_list(one("types") or ""),
        {k: one(k) for k in _DATE_KEYS},
        one("property"),
        one(ARRANGE),
    )
