"""Short, readable node labels from lineage ARNs and, later, from Describe* responses."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

MAX_LABEL_CHARS: Final = 28
ELLIPSIS: Final = "…"

# SageMaker's auto-created entity names end in these; the part before is the user's name.
_AUTO_SUFFIX_RE: Final = re.compile(
    r"(?:-aws-(?:training|processing|transform)-job"
    r"|-\d{9,11}-aws-(?:endpoint|model-package-group)"
    # Context names are cut to the name limit, so the suffix may be truncated ("-aws-mo").
    r"|-\d{9,11}-aws(?:-[a-z-]*)?)$"
)
_HEX_ID_RE: Final = re.compile(r"^[0-9a-f]{32}$")
_ECR_RE: Final = re.compile(r"^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/(?P<ref>.+)$")
_NAME_KEYS: Final = ("ArtifactName", "ContextName", "ActionName", "TrialComponentName")
_ARN_KEYS: Final = ("ArtifactArn", "ContextArn", "ActionArn", "TrialComponentArn")


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


def strip_auto_suffix(name: str) -> str:
    """Remove SageMaker's auto suffix (`-aws-training-job`, `-<epoch>-aws-endpoint`, ...)."""
    stripped = _AUTO_SUFFIX_RE.sub("", name)
    return stripped or name


def short_label(arn: str, vertex_type: str | None, lineage_type: str) -> str:
    """A short label from the ARN alone, so the first view needs no Describe call.

    Artifacts are named by a 32-hex id, so they read `<Type> · <first 6 hex>`; contexts,
    actions and trial components carry their name, shown without SageMaker's auto suffix.
    """
    name = entity_name(arn)
    is_artifact = lineage_type == "Artifact" or ":artifact/" in arn
    if is_artifact and _HEX_ID_RE.match(name):
        return f"{vertex_type or 'Artifact'} · {name[:6]}"
    return ellipsize(strip_auto_suffix(name))


def label_from_uri(uri: str) -> str:
    """A short label for a source URI or ARN: S3 key tail, ECR `repo:tag`, `group/version`."""
    uri = uri.strip()
    if uri.startswith("s3://"):
        bucket, _, key = uri[len("s3://") :].partition("/")
        parts = [p for p in key.split("/") if p]
        if not parts:
            return ellipsize(bucket)
        return ellipsize("/".join(parts[-2:]))
    ecr = _ECR_RE.match(uri)
    if ecr:
        ref = ecr.group("ref")
        repo, at, digest = ref.partition("@")
        if at:
            return ellipsize(f"{repo.rsplit('/', 1)[-1]}@{digest.removeprefix('sha256:')[:12]}")
        return ellipsize(ref.rsplit("/", 1)[-1])
    if uri.startswith("arn:"):
        resource = uri.rsplit(":", 1)[-1].partition("/")[0]
        name = entity_name(uri)
        if resource == "model-package":
            return ellipsize(name)
        return ellipsize(strip_auto_suffix(name))
    parts = [p for p in re.split(r"[/\\]", uri) if p]
    return ellipsize(parts[-1] if parts else uri)


def label_from_description(describe: Mapping[str, Any]) -> str:
    """A label from a Describe{Artifact,Context,Action,TrialComponent} response.

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
    if uri and "ArtifactArn" in describe:
        return label_from_uri(uri)
    for key in _NAME_KEYS:
        name = describe.get(key)
        if isinstance(name, str) and name:
            return ellipsize(strip_auto_suffix(name))
    if uri:
        return label_from_uri(uri)
    for key in _ARN_KEYS:
        arn = describe.get(key)
        if isinstance(arn, str) and arn:
            kind = key.removesuffix("Arn")
            return short_label(arn, None, kind)
    return "(unnamed)"
