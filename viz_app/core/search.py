"""SageMaker `Search` over Experiments records: which properties each resource has, and how a
SearchExpression (filters, nested filters, sub-expressions, And/Or) matches a record.

Records are the Search response members in wire form (dicts, times as epoch seconds). The
operators follow the API reference: Equals, NotEquals, In (comma-delimited values), Contains
and the Exists pair for text; Equals, NotEquals, the four comparisons and the Exists pair for
numbers and times. Anything else is a ValidationException naming the filter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from viz_app.core.errors import ValidationError

TEXT: Final = "text"
TIME: Final = "time"
ANY: Final = "any"  # hyperparameters: text or number, by value

TRIAL_COMPONENT_RESOURCE: Final = "ExperimentTrialComponent"
EXPERIMENT_RESOURCE: Final = "Experiment"
TRIAL_RESOURCE: Final = "ExperimentTrial"

_COMMON: Final = {
    "DisplayName": TEXT,
    "Source.SourceArn": TEXT,
    "Source.SourceType": TEXT,
    "CreationTime": TIME,
    "LastModifiedTime": TIME,
}

#: Resource -> property name -> type. `Tags.<key>` is a text property of every resource.
PROPERTIES: Final[dict[str, dict[str, str]]] = {
    TRIAL_COMPONENT_RESOURCE: {
        "TrialComponentName": TEXT,
        "TrialComponentArn": TEXT,
        **_COMMON,
        "Status.PrimaryStatus": TEXT,
        "Status.Message": TEXT,
        "StartTime": TIME,
        "EndTime": TIME,
        "SourceDetail.SourceArn": TEXT,
        "LineageGroupArn": TEXT,
        "Parents.TrialName": TEXT,
        "Parents.ExperimentName": TEXT,
    },
    EXPERIMENT_RESOURCE: {
        "ExperimentName": TEXT,
        "ExperimentArn": TEXT,
        "Description": TEXT,
        **_COMMON,
    },
    TRIAL_RESOURCE: {
        "TrialName": TEXT,
        "TrialArn": TEXT,
        "ExperimentName": TEXT,
        **_COMMON,
        "TrialComponentSummaries.TrialComponentName": TEXT,
        "TrialComponentSummaries.TrialComponentArn": TEXT,
    },
}
#: Properties whose values are lists of objects, usable as a NestedPropertyName.
NESTED: Final = {
    TRIAL_COMPONENT_RESOURCE: frozenset({"Parents"}),
    EXPERIMENT_RESOURCE: frozenset[str](),
    TRIAL_RESOURCE: frozenset({"TrialComponentSummaries"}),
}
#: Names on which a SearchExpression may use Contains more than once (the Operator docs).
_MANY_CONTAINS: Final = {
    TRIAL_COMPONENT_RESOURCE: ("DisplayName", "TrialComponentName", "Tags.", "InputArtifacts.",
                               "OutputArtifacts."),
    EXPERIMENT_RESOURCE: ("DisplayName", "ExperimentName", "Tags."),
    TRIAL_RESOURCE: ("DisplayName", "TrialName", "Tags."),
}  # fmt: skip
_TEXT_OPERATORS: Final = frozenset({"Equals", "NotEquals", "In", "Contains", "Exists", "NotExists"})
_ORDER_OPERATORS: Final = frozenset(
    {"GreaterThan", "GreaterThanOrEqualTo", "LessThan", "LessThanOrEqualTo"}
)
_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "Equals": lambda a, b: bool(a == b),
    "NotEquals": lambda a, b: bool(a != b),
    "GreaterThan": lambda a, b: bool(a > b),
    "GreaterThanOrEqualTo": lambda a, b: bool(a >= b),
    "LessThan": lambda a, b: bool(a < b),
    "LessThanOrEqualTo": lambda a, b: bool(a <= b),
}

ParseTime = Callable[[Any], float | None]


@dataclass(frozen=True)
class _Property:
    name: str
    kind: str
    read: Callable[[dict[str, Any]], list[Any]]


def _path(parts: list[str]) -> Callable[[dict[str, Any]], list[Any]]:
    """Read a dotted path, flattening lists on the way (Parents.TrialName of every parent)."""

    def read(record: dict[str, Any]) -> list[Any]:
        values: list[Any] = [record]
        for part in parts:
            found: list[Any] = []
            for value in values:
                items = value if isinstance(value, list) else [value]
                found.extend(i[part] for i in items if isinstance(i, dict) and part in i)
            values = found
        out: list[Any] = []
        for value in values:
            out.extend(value if isinstance(value, list) else [value])
        return [v for v in out if v is not None]

    return read


def _tag(key: str) -> Callable[[dict[str, Any]], list[Any]]:
    def read(record: dict[str, Any]) -> list[Any]:
        return [t.get("Value", "") for t in record.get("Tags") or [] if t.get("Key") == key]

    return read


def _parameter(name: str) -> Callable[[dict[str, Any]], list[Any]]:
    def read(record: dict[str, Any]) -> list[Any]:
        value = (record.get("Parameters") or {}).get(name)
        if not isinstance(value, dict):
            return []
        if "NumberValue" in value:
            return [float(value["NumberValue"])]
        return [value["StringValue"]] if "StringValue" in value else []

    return read


def _artifact(member: str, rest: str) -> Callable[[dict[str, Any]], list[Any]]:
    # Artifact names may hold dots (SageMaker.ImageUri): the field is the last part.
    name, _, leaf = rest.rpartition(".")
    if leaf not in ("Value", "MediaType") or not name:
        name, leaf = rest, "Value"

    def read(record: dict[str, Any]) -> list[Any]:
        artifact = (record.get(member) or {}).get(name)
        if not isinstance(artifact, dict) or artifact.get(leaf) is None:
            return []
        return [artifact[leaf]]

    return read


def resolve(resource: str, name: str, within: str | None = None) -> _Property:
    """The property `name` of `resource`; ValidationException when it has no such property."""
    known = PROPERTIES[resource]
    if name in known and (within is None or name.startswith(within + ".")):
        return _Property(name, known[name], _path(name.split(".")))
    if within is None:
        if name.startswith("Tags.") and len(name) > 5:
            return _Property(name, TEXT, _tag(name[5:]))
        if resource == TRIAL_COMPONENT_RESOURCE:
            if name.startswith("Parameters.") and len(name) > 11:
                return _Property(name, ANY, _parameter(name[11:]))
            for member in ("InputArtifacts", "OutputArtifacts"):
                if name.startswith(member + ".") and len(name) > len(member) + 1:
                    return _Property(name, TEXT, _artifact(member, name[len(member) + 1 :]))
    if within is not None:
        raise ValidationError(
            f"Nested filter on {within} can't filter on {name}: use one of "
            + ", ".join(n for n in known if n.startswith(within + "."))
            + "."
        )
    raise ValidationError(
        f"Search on {resource} can't filter or sort on {name}: it is not a property of "
        f"{resource} this service supports ({', '.join(known)}, Tags.<key>"
        + (", Parameters.<name>, InputArtifacts.<name>, OutputArtifacts.<name>" if
           resource == TRIAL_COMPONENT_RESOURCE else "")
        + ")."
    )  # fmt: skip


class Matcher:
    """A checked SearchExpression for one resource; `matches(record)` evaluates it."""

    def __init__(self, resource: str, expression: dict[str, Any], parse_time: ParseTime) -> None:
        self.resource = resource
        self._parse_time = parse_time
        self._contains: list[str] = []
        self._test = self._expression(expression)
        limited = [n for n in self._contains if not n.startswith(_MANY_CONTAINS[resource])]
        if len(limited) > 1:
            raise ValidationError("'CONTAINS' operator usage limit of 1 exceeded.")

    def matches(self, record: dict[str, Any]) -> bool:
        return self._test(record)

    def _expression(self, expr: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
        tests = [self._filter(f) for f in expr.get("Filters") or ()]
        tests += [self._nested(n) for n in expr.get("NestedFilters") or ()]
        tests += [self._expression(s) for s in expr.get("SubExpressions") or ()]
        if not tests:
            raise ValidationError(
                "A SearchExpression must contain at least one Filter, NestedFilter or "
                "SubExpression."
            )
        if (expr.get("Operator") or "And") == "Or":
            return lambda record: any(t(record) for t in tests)
        return lambda record: all(t(record) for t in tests)

    def _nested(self, nested: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
        name = nested["NestedPropertyName"]
        if name not in NESTED[self.resource]:
            allowed = ", ".join(sorted(NESTED[self.resource])) or "none"
            raise ValidationError(
                f"NestedPropertyName {name} is not a list property of {self.resource} "
                f"(supported: {allowed})."
            )
        tests = [self._filter(f, within=name) for f in nested["Filters"]]

        def test(record: dict[str, Any]) -> bool:
            items = record.get(name) or []
            # One element must satisfy every filter.
            return any(all(t({name: [item]}) for t in tests) for item in items)

        return test

    def _filter(
        self, spec: dict[str, Any], within: str | None = None
    ) -> Callable[[dict[str, Any]], bool]:
        name = spec["Name"]
        prop = resolve(self.resource, name, within)
        operator = spec.get("Operator")
        raw = spec.get("Value")
        if operator is None:
            if raw is None:
                raise ValidationError(f"Filter on {name} needs a Value (or an Operator).")
            operator = "Equals"
        if operator == "Exists":
            return lambda record: bool(prop.read(record))
        if operator == "NotExists":
            return lambda record: not prop.read(record)
        if raw is None:
            raise ValidationError(f"Filter on {name} with operator {operator} needs a Value.")
        if prop.kind == TEXT and operator not in _TEXT_OPERATORS:
            raise ValidationError(
                f"Operator {operator} is not supported for the text property {name}."
            )
        if prop.kind == TIME and operator in ("In", "Contains"):
            raise ValidationError(
                f"Operator {operator} is not supported for the time property {name}."
            )
        if operator == "Contains":
            self._contains.append(name)
            return lambda record: any(raw in str(v) for v in prop.read(record))
        if operator == "In":
            wanted = {part.strip() for part in raw.split(",")}
            return lambda record: any(str(v) in wanted for v in prop.read(record))
        compare = _COMPARE[operator]
        value = self._operand(prop, raw)
        if operator == "NotEquals":
            return lambda record: all(_comparable(v, value, compare) for v in prop.read(record))
        return lambda record: any(_comparable(v, value, compare) for v in prop.read(record))

    def _operand(self, prop: _Property, raw: str) -> Any:
        if prop.kind == TIME:
            when = self._parse_time(raw)
            if when is None:
                raise ValidationError(f"Value {raw} for {prop.name} is not a timestamp.")
            return when
        if prop.kind == ANY:
            try:
                return float(raw)
            except ValueError:
                return raw
        return raw


def _comparable(value: Any, operand: Any, compare: Callable[[Any, Any], bool]) -> bool:
    """Compare like with like; a number against text never matches (nor fails)."""
    numbers = (int, float)
    if isinstance(value, numbers) != isinstance(operand, numbers):
        return compare is _COMPARE["NotEquals"]
    return compare(value, operand)


def sorter(resource: str, name: str) -> Callable[[dict[str, Any]], Any]:
    """What a record sorts by under SortBy `name` (None when it has none); a plain property."""
    prop = resolve(resource, name)
    if prop.kind == ANY or name.split(".")[0] in NESTED[resource]:
        raise ValidationError(f"Search on {resource} can't sort on {name}.")

    def value(record: dict[str, Any]) -> Any:
        values = prop.read(record)
        return values[0] if values else None

    return value
