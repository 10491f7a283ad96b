"""Readable node labels: from lineage ARNs, artifact sources (S3 URI, ECR image, model
package) and Describe* responses; at most two short lines, so layouts can reserve room."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Final

MAX_LABEL_CHARS: Final = 28  # one line of a label (a single-line text, e.g. a crumb)
LINE_CHARS: Final = 26  # one line of a node label, ~180 px at 12 px
MAX_LINES: Final = 2
ELLIPSIS: Final = "…"

# SageMaker's auto-created entity names end in these; the part before is the user's name.
_AUTO_SUFFIX_RE: Final = re.compile(
    r"(?:-aws-(?:training|processing|transform)-job"
    r"|-\d{9,11}-aws-(?:endpoint|model-package-group|model-deployment)"
    # Context names are cut to the name limit, so the suffix may be truncated ("-aws-mo").
    r"|-\d{9,11}-aws(?:-[a-z-]*)?)$"
)
_EPOCH_RE: Final = re.compile(r"-(?P<epoch>\d{9,11})-aws(?:-[a-z-]*)?$")
# Approval actions are named <group>-<version>-<status>-<10 random characters>.
_APPROVAL_RE: Final = re.compile(
    r"^(?P<group>.+)-(?P<version>\d+)-(?P<status>Approved|Rejected|PendingManualApproval)"
    r"-[a-z0-9]{10}$"
)
_HEX_ID_RE: Final = re.compile(r"^[0-9a-f]{32}$")
_ECR_RE: Final = re.compile(r"^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/(?P<ref>.+)$")
# S3 folder names that say nothing about which thing it is: skipped in labels (shown as …).
_GENERIC_SEGMENTS: Final = frozenset(
    {"output", "outputs", "data", "model", "models", "input", "inputs", "artifacts", "files"}
)
_NAME_KEYS: Final = ("ArtifactName", "ContextName", "ActionName", "TrialComponentName")
_ARN_KEYS: Final = ("ArtifactArn", "ContextArn", "ActionArn", "TrialComponentArn")
# Lower-case words that tell same-named entities of different types apart.
_TYPE_WORDS: Final = {
    "ModelDeployment": "deployment",
    "Approval": "approval",
    "TrainingJob": "training job",
    "ProcessingJob": "processing job",
    "TransformJob": "transform job",
    "ModelGroup": "model group",
    "DataSet": "dataset",
    "Model": "model",
    "Image": "image",
}


def entity_name(arn: str) -> str:
    """The resource part of an ARN after the first `/` (else the text after the last `:`)."""
    _, slash, rest = arn.partition("/")
    if slash:
        return rest
    return arn.rsplit(":", 1)[-1]


def ellipsize(text: str, max_chars: int = MAX_LABEL_CHARS) -> str:
    """Shorten `text` to `max_chars` with an ellipsis in the middle, keeping both ends readable."""
    if len(text) <= max_chars:
        return text
    keep = max(max_chars - 1, 2)
    head = (keep + 1) // 2
    tail = keep - head
    return f"{text[:head]}{ELLIPSIS}{text[-tail:] if tail else ''}"


def wrap_label(text: str, line_chars: int = LINE_CHARS) -> str:
    """`text` in at most two lines of about `line_chars`, broken after a `/` or a space
    (else a `-`, `_` or `:`), as evenly as the text allows.

    Too long for two lines, the middle is cut (…), so both the start (project, job) and the
    end (file, version) stay readable.
    """
    lines = text.split("\n")
    if 1 < len(lines) <= MAX_LINES:  # already broken by the caller: kept, each line bounded
        return "\n".join(ellipsize(line, MAX_LINES * line_chars) for line in lines)
    text = " ".join(text.split())
    if len(text) <= line_chars:
        return text
    if len(text) > MAX_LINES * line_chars:
        text = ellipsize(text, MAX_LINES * line_chars)
    slack = line_chars + 3  # a line may run a little long to break at a telling place
    best: tuple[int, float, int] | None = None
    for i, char in enumerate(text):
        if char not in "/-_: " or i + 1 > slack or len(text) - (i + 1) > slack:
            continue
        rank = (0 if char in "/ " else 1, abs(i + 1 - len(text) / 2), i)
        best = rank if best is None or rank < best else best
    if best is None:  # no break point: cut the line where it is full
        return f"{text[:line_chars]}\n{ellipsize(text[line_chars:], line_chars)}"
    cut = best[2] + 1
    return f"{text[:cut].rstrip()}\n{text[cut:].lstrip()}"


def strip_auto_suffix(name: str) -> str:
    """Remove SageMaker's auto suffix (`-aws-training-job`, `-<epoch>-aws-endpoint`, ...)."""
    stripped = _AUTO_SUFFIX_RE.sub("", name)
    return stripped or name


def name_time(name: str) -> dt.datetime | None:
    """The creation time SageMaker writes into auto names (`-<epoch>-aws-...`), if any."""
    match = _EPOCH_RE.search(name)
    if not match:
        return None
    try:
        return dt.datetime.fromtimestamp(int(match["epoch"]), dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def is_unnamed_artifact(arn: str) -> bool:
    """True for an artifact ARN, whose id is a hash: its name needs a Describe or List call."""
    return ":artifact/" in arn


def _name_label(name: str) -> str:
    approval = _APPROVAL_RE.match(name)
    if approval:
        return f"{approval['group']} v{approval['version']} {approval['status']}"
    return strip_auto_suffix(name)


def short_label(arn: str, vertex_type: str | None, lineage_type: str) -> str:
    """A one-line label from the ARN alone (before a name is known).

    Artifacts are named by a 32-hex id, so they read `<Type> · <first 6 hex>` until their
    source is known; contexts, actions and trial components carry their name, shown without
    SageMaker's auto suffix.
    """
    name = entity_name(arn)
    is_artifact = lineage_type == "Artifact" or ":artifact/" in arn
    if is_artifact and _HEX_ID_RE.match(name):
        return f"{vertex_type or 'Artifact'} · {name[:6]}"
    return ellipsize(_name_label(name), MAX_LINES * LINE_CHARS)


def _s3_label(uri: str) -> str:
    """The meaningful tail of an S3 URI: the project folder, the nearest telling folder, the file.

    `s3://b/churn/data/train/train.csv` reads `churn/…/train/train.csv`;
    `s3://b/churn/models/churn-train-001/output/model.tar.gz` reads
    `churn-train-001/…/model.tar.gz` (folders like `output` and `data` say nothing).
    """
    bucket, _, key = uri[len("s3://") :].partition("/")
    parts = [p for p in key.split("/") if p]
    if len(parts) <= 2:
        return "/".join(parts) or bucket
    last = len(parts) - 1
    k = last - 1
    while k >= 0 and parts[k].lower() in _GENERIC_SEGMENTS:
        k -= 1
    if k < 0:
        return "/".join(["…", parts[-1]])
    segments: list[str] = []
    if k > 0:
        if parts[0].lower() not in parts[k].lower():
            segments.append(parts[0])
            if k > 1:
                segments.append("…")
        else:
            segments.append("…") if k > 1 else segments.append(parts[0])
    segments.append(parts[k])
    if k < last - 1:
        segments.append("…")
    segments.append(parts[-1])
    if segments[0] == "…" and len(segments) > 2:
        segments = segments[1:]
    return "/".join(segments)


def label_from_uri(uri: str, properties: Mapping[str, Any] | None = None) -> str:
    """A label for a source URI or ARN: S3 tail, ECR `repo:tag`, model package `group vN`."""
    uri = uri.strip()
    if uri.startswith("s3://"):
        return _s3_label(uri)
    ecr = _ECR_RE.match(uri)
    if ecr:
        ref = ecr.group("ref")
        repo, at, digest = ref.partition("@")
        if at:
            return f"{repo.rsplit('/', 1)[-1]}@{digest.removeprefix('sha256:')[:12]}"
        return ref.rsplit("/", 1)[-1]
    if uri.startswith("arn:"):
        resource = uri.rsplit(":", 1)[-1].partition("/")[0]
        name = entity_name(uri)
        if resource == "model-package":
            # The group as the ARN writes it (lower case): the same label whether the name
            # came from ListArtifacts (no properties) or from Describe.
            group, _, version = name.rpartition("/")
            return f"{group} v{version}" if group and version.isdigit() else name
        return _name_label(name)
    parts = [p for p in re.split(r"[/\\]", uri) if p]
    return parts[-1] if parts else uri


def artifact_label(name: str | None, uri: str | None, properties: Mapping[str, Any] | None) -> str:
    """An artifact's label: its source (what people know it by), else its given name."""
    if uri:
        return label_from_uri(uri, properties)
    if name:
        return name
    return "(unnamed)"


def label_from_description(describe: Mapping[str, Any]) -> str:
    """A one-line label from a Describe{Artifact,Context,Action,TrialComponent} response.

    Preference: DisplayName; for artifacts, the source URI (they rarely have names);
    otherwise the entity name without its auto suffix, then the source URI, then the ARN.
    """
    display = describe.get("DisplayName")
    if isinstance(display, str) and display:
        return ellipsize(display)
    source = describe.get("Source")
    uri: str | None = None
    if isinstance(source, Mapping):
        raw = source.get("SourceUri") or source.get("SourceArn")
        uri = raw if isinstance(raw, str) and raw else None
    props = describe.get("Properties")
    properties = props if isinstance(props, Mapping) else None
    if uri and "ArtifactArn" in describe:
        return ellipsize(label_from_uri(uri, properties), MAX_LINES * LINE_CHARS)
    for key in _NAME_KEYS:
        name = describe.get(key)
        if isinstance(name, str) and name:
            return ellipsize(_name_label(name), MAX_LINES * LINE_CHARS)
    if uri:
        return ellipsize(label_from_uri(uri, properties), MAX_LINES * LINE_CHARS)
    for key in _ARN_KEYS:
        arn = describe.get(key)
        if isinstance(arn, str) and arn:
            kind = key.removesuffix("Arn")
            return short_label(arn, None, kind)
    return "(unnamed)"


def distinct_labels(
    vertices: Sequence[Mapping[str, Any]], labels: Mapping[str, str]
) -> dict[str, str]:
    """`labels` with same-named vertices told apart (one-line text in, one-line text out).

    Within a group of equal labels, a vertex of a type met once keeps the bare name if it
    is a context (the endpoint `churn-prod`); the others get their type word
    (`churn-prod deployment`), and same-typed ones the time from their name or, failing
    that, a short id (`churn-prod deployment 03-02 14:51`).
    """
    by_label: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for vertex in vertices:
        by_label[labels.get(vertex["Arn"], "")].append(vertex)
    out = dict(labels)
    for label, group in by_label.items():
        if len(group) < 2 or not label:
            continue
        per_type: dict[str, int] = defaultdict(int)
        for vertex in group:
            per_type[str(vertex.get("Type") or vertex.get("LineageType") or "")] += 1
        for vertex in group:
            vtype = str(vertex.get("Type") or vertex.get("LineageType") or "")
            alone = per_type[vtype] == 1
            if alone and vertex.get("LineageType") == "Context":
                continue
            word = _TYPE_WORDS.get(vtype, vtype.lower() or "entity")
            text = f"{label} {word}"
            if not alone:
                when = name_time(entity_name(vertex["Arn"]))
                tag = when.strftime("%m-%d %H:%M") if when else entity_name(vertex["Arn"])[-4:]
                text = f"{text} {tag}"
            out[vertex["Arn"]] = text
    return out


def shown_labels(
    vertices: Sequence[Mapping[str, Any]], labels: Mapping[str, str]
) -> dict[str, str]:
    """The labels the graph shows: same names told apart, at most two lines each."""
    return {arn: wrap_label(text) for arn, text in distinct_labels(vertices, labels).items()}
