"""Domain errors: expected failures that the API turns into typed union members.

Each carries a `reason` (outcomes.py) decided where it is raised: the stable code a
client branches on, while `code` stays the coarse class of the failure. A raise site
that names no reason gets its class's `fallback`; every site in the package names one."""

from collections.abc import Mapping
from typing import ClassVar

from odznaka_graph.outcomes import AccountReason, GeneralReason, InputReason, Reason


class DomainError(Exception):
    code = "DOMAIN_ERROR"
    fallback: ClassVar[Reason] = GeneralReason.CONFLICT

    def __init__(self, message: str, *, reason: Reason | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason or self.fallback


class ValidationFailed(DomainError):
    code = "VALIDATION_FAILED"
    fallback: ClassVar[Reason] = InputReason.INVALID_INPUT

    def __init__(
        self,
        fields: Mapping[str, str],
        message: str = "The input is not valid.",
        *,
        reason: Reason | None = None,
    ) -> None:
        super().__init__(message, reason=reason)
        self.fields = dict(fields)


class NotFound(DomainError):
    code = "NOT_FOUND"
    fallback: ClassVar[Reason] = GeneralReason.NOT_FOUND


class PermissionDenied(DomainError):
    code = "PERMISSION_DENIED"
    fallback: ClassVar[Reason] = GeneralReason.PERMISSION_DENIED


class Conflict(DomainError):
    code = "CONFLICT"
    fallback: ClassVar[Reason] = GeneralReason.CONFLICT


class RateLimited(DomainError):
    code = "RATE_LIMITED"
    fallback: ClassVar[Reason] = GeneralReason.RATE_LIMITED

    def __init__(
        self, message: str, retry_after_seconds: int, *, reason: Reason | None = None
    ) -> None:
        super().__init__(message, reason=reason)
        self.retry_after_seconds = retry_after_seconds


class Unauthenticated(PermissionDenied):
    code = "UNAUTHENTICATED"
    fallback: ClassVar[Reason] = AccountReason.SIGN_IN_REQUIRED

    def __init__(self, message: str = "Sign in first.", *, reason: Reason | None = None) -> None:
        super().__init__(message, reason=reason)
