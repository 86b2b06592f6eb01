"""Domain errors: expected failures that the API turns into typed union members."""

from collections.abc import Mapping


class DomainError(Exception):
    code = "DOMAIN_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    code = "VALIDATION_FAILED"

    def __init__(self, fields: Mapping[str, str], message: str = "The input is not valid.") -> None:
        super().__init__(message)
        self.fields = dict(fields)


class NotFound(DomainError):
    code = "NOT_FOUND"


class PermissionDenied(DomainError):
    code = "PERMISSION_DENIED"


class Conflict(DomainError):
    code = "CONFLICT"


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class Unauthenticated(PermissionDenied):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "Sign in first.") -> None:
        super().__init__(message)
