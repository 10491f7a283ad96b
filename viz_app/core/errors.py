"""Errors that carry the SageMaker error code the service answers with."""

from __future__ import annotations


class LineageError(Exception):
    """Base class: `code` is the AWS `__type`, `status` the HTTP status."""

    code = "InternalFailure"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(LineageError):
    code = "ValidationException"
    status = 400


class ResourceNotFound(LineageError):
    code = "ResourceNotFound"
    status = 400


class ResourceLimitExceeded(LineageError):
    code = "ResourceLimitExceeded"
    status = 400


class ConflictError(LineageError):
    code = "ConflictException"
    status = 400


class ThrottlingError(LineageError):
    code = "ThrottlingException"
    status = 400


class UnknownOperation(LineageError):
    code = "UnknownOperationException"
    status = 400


class SerializationError(LineageError):
    code = "SerializationException"
    status = 400


class UnsupportedMediaType(LineageError):
    code = "UnsupportedMediaTypeException"
    status = 415


class LengthRequired(LineageError):
    code = "LengthRequiredException"
    status = 411


class RequestTooLarge(LineageError):
    code = "RequestEntityTooLargeException"
    status = 413


class AccessDenied(LineageError):
    """Refused by the service's configuration (read-only mode, a Host it does not serve)."""

    code = "AccessDeniedException"
    status = 400
