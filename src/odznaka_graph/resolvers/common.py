"""Shared resolver plumbing: domain errors as typed union members (the one mutation shell),
their messages in the caller's language."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from odznaka_graph.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
)
from odznaka_graph.schema.common import (
    AuthenticationError,
    ConflictError,
    Failure,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ValidationError,
    camel,
    reason_of,
)
from odznaka_graph.services.messages import translate, translate_fields

T = TypeVar("T")
R = TypeVar("R")


def error_type(error: DomainError) -> Any:
    """The union member of a domain error: its class, code, message and reason; the message
    and the field messages in the caller's language."""
    common = {
        "code": error.code,
        "message": translate(error.message),
        "reason": reason_of(error.reason),
    }
    if isinstance(error, ValidationFailed):
        fields = [
            FieldError(field=_camel_path(k), message=v)
            for k, v in translate_fields(error.fields).items()
        ]
        return ValidationError(**common, fields=fields)
    if isinstance(error, RateLimited):
        return RateLimitedError(**common, retry_after_seconds=error.retry_after_seconds)
    kinds: dict[type[DomainError], Any] = {
        NotFound: NotFoundError,
        PermissionDenied: PermissionDeniedError,
        Conflict: ConflictError,
    }
    for kind, api_type in kinds.items():
        if isinstance(error, kind):
            return api_type(**common)
    return ConflictError(**common)


async def as_result(work: Awaitable[T], success: Callable[[T], Awaitable[R]]) -> R | Failure:
    """The one mutation shell: run a command and answer its result; its domain errors
    become typed union members, not exceptions."""
    try:
        return await success(await work)
    except DomainError as error:
        failure: Failure = error_type(error)
        return failure


async def as_sign_in_result(
    work: Awaitable[T], success: Callable[[T], Awaitable[R]]
) -> R | AuthenticationError | Failure:
    """`as_result` for signing in: credentials that were not accepted are an
    AuthenticationError, not a refused permission."""
    try:
        return await success(await work)
    except Unauthenticated as refused:
        return AuthenticationError(
            code=refused.code,
            message=translate(refused.message),
            reason=reason_of(refused.reason),
        )
    except DomainError as error:
        failure: Failure = error_type(error)
        return failure


def _camel_path(path: str) -> str:
    return ".".join(camel(part) for part in path.split("."))
