"""Turn errors from boto3, the guard and the app into one plain sentence saying what to do."""

from __future__ import annotations

from typing import Final

from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PartialCredentialsError,
    ReadTimeoutError,
    TokenRetrievalError,
)

from viz_app.client.directions import BOTH
from viz_app.client.read_only import ReadOnlyViolation
from viz_app.core.model import QUERY_UNAVAILABLE_REGIONS
from viz_app.ui.query_state import QueryState

_EXPIRED: Final = frozenset(
    {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"}
)
_BAD_CREDENTIALS: Final = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "MissingAuthenticationToken",
    }
)
_THROTTLED: Final = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "SlowDown",
    }
)
_DENIED: Final = frozenset({"AccessDeniedException", "AccessDenied", "NotAuthorized"})


def region_unavailable(region: str | None) -> str | None:
    """A sentence when lineage queries are not offered in `region`, else None."""
    if region in QUERY_UNAVAILABLE_REGIONS:
        return (
            f"Lineage queries are not available in {region}. Choose another region with "
            "--region (for example us-east-1)."
        )
    return None


def empty_result(state: QueryState, walk_found: int | None = None) -> str:
    """Why a query returned nothing, and what to try next.

    `walk_found` is how many entities the same question reached without its filters (None
    when unknown): when it found some, the filters removed them, not the direction.
    """
    direction, depth = state.direction, state.depth
    names = state.filter_names()
    if names and walk_found:
        which = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        it, s = ("them", "s") if len(names) > 1 else ("it", "")
        return (
            f"The filter{s} on {which} removed all {walk_found} entities found in direction "
            f"{direction} up to depth {depth}: clear {it} and press Apply filters to see them."
        )
    if direction != BOTH:
        hint = "try Both" + (" or a larger depth" if depth < 10 else "")
        return (
            f"Nothing found in direction {direction} up to depth {depth} (the start entity is "
            f"not its own {direction[:-1].lower()}, so a leaf shows nothing): {hint}."
        )
    if names and walk_found is None:
        hint = "check the filters" + (" or try a larger depth" if depth < 10 else "")
    elif depth < 10:
        hint = "try a larger depth"
    else:
        hint = "it has no recorded lineage"
    return f"Nothing is associated with the start entity up to depth {depth}: {hint}."


def explain(exc: BaseException) -> str:
    """One sentence for the page: what went wrong and what the person can do about it."""
    from viz_app.ui.query_progress import QueryStopped
    from viz_app.ui.view_cache import ViewTooBig

    if isinstance(exc, ViewTooBig):
        return str(exc)
    if isinstance(exc, QueryStopped):
        return (
            f"Stopped at your request after {exc.pages:,} pages ({exc.vertices:,} vertices); "
            "nothing is drawn from part of the lineage. Lower the depth or add filters, "
            "or reload the page to load all of it."
        )
    if isinstance(exc, ReadOnlyViolation):
        return (
            f"lineage-viz only reads: it refused to call {exc.operation}. "
            "Nothing was sent to SageMaker."
        )
    if isinstance(exc, ClientError):
        return _explain_client_error(exc)
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return (
            "No AWS credentials were found. Run `aws configure` or `aws sso login`, or pass "
            "--profile, then reload this page."
        )
    if isinstance(exc, TokenRetrievalError):
        return "Your AWS SSO session has expired. Run `aws sso login` and reload this page."
    if isinstance(exc, NoRegionError):
        return "No AWS region is set. Pass --region (for example us-east-1) when starting the app."
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError)):
        return (
            "The lineage service could not be reached. Check that it is running and that "
            "--endpoint-url or your network is right, then try again."
        )
    if isinstance(exc, ReadTimeoutError):
        return "The lineage service took too long to answer. Try a smaller depth or try again."
    if isinstance(exc, ParamValidationError):
        return f"The request was not valid: {str(exc).splitlines()[-1].strip()}"
    return (
        f"Something went wrong ({type(exc).__name__}). Try again; if it persists, restart the app."
    )


def _explain_client_error(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    message = str(error.get("Message", "")).strip()
    operation = exc.operation_name
    if code == "ResourceNotFound":
        return (
            "That entity was not found in this account and region. Check the ARN, or type a "
            "name or S3 URI in the start box to look it up."
        )
    if code in _DENIED:
        return (
            f"Access denied: your IAM identity needs the sagemaker:{operation} permission. "
            "Ask an administrator to allow it, or use another --profile."
        )
    if code in _EXPIRED:
        return (
            "Your AWS credentials have expired. Refresh them (for example `aws sso login`) "
            "and reload."
        )
    if code in _BAD_CREDENTIALS:
        return "AWS did not accept your credentials. Check the --profile and its keys, then reload."
    if code in _THROTTLED:
        return (
            "SageMaker is throttling requests and retries did not help. Wait a minute, or use a "
            "smaller depth or narrower filters, and try again."
        )
    if code == "ValidationException":
        detail = f": {message}" if message else "."
        return f"SageMaker rejected the request as invalid{detail} Check the start and filters."
    return f"SageMaker answered {code or 'an error'} to {operation}: {message or 'no details'}."
