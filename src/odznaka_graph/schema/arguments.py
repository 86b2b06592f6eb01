"""Decoding what clients send: ids, page arguments and cursors; refusals of bad arguments
as GraphQL errors with a code."""

from graphql import GraphQLError

from odznaka_graph.context import Info
from odznaka_graph.errors import DomainError, ValidationFailed
from odznaka_graph.ids import local_id
from odznaka_graph.outcomes import InputReason, Reason
from odznaka_graph.paging import Window
from odznaka_graph.services.messages import translate


class ClientError(GraphQLError):
    """An expected failure outside mutations: shown to the client as it is (its message in
    the caller's language), never masked; `extensions.reason` carries its stable reason
    (outcomes.py) where there is one."""

    def __init__(self, message: str, code: str, reason: Reason | None = None) -> None:
        extensions = {"code": code} if reason is None else {"code": code, "reason": reason.name}
        super().__init__(translate(message), extensions=extensions)

    @classmethod
    def of(cls, error: DomainError, code: str | None = None) -> "ClientError":
        """A domain error reaching a query: its message, code (or `code`) and reason."""
        return cls(error.message, code or error.code, error.reason)


class UserInputError(ClientError):
    """A bad argument to a query."""

    def __init__(self, message: str, reason: Reason | None = None) -> None:
        super().__init__(message, "BAD_USER_INPUT", reason)

    @classmethod
    def of_fields(cls, error: ValidationFailed) -> "UserInputError":
        """Bad arguments found by a service: each field's message, in one line."""
        named = " ".join(translate(f"`{k}`: {v}") for k, v in error.fields.items())
        return cls(named, error.reason)


def local(global_id: str, type_name: str, field: str = "id") -> str:
    """The entity id inside a global id, or a ValidationFailed naming the field."""
    decoded = local_id(global_id, type_name)
    if decoded is None:
        raise ValidationFailed(
            {field: f"Not the id of a {type_name}."}, reason=InputReason.NOT_AN_ID
        )
    return decoded


def window(
    info: Info, first: int | None, after: str | None, last: int | None, before: str | None
) -> Window:
    limit = info.context.services.stores.settings.max_page_size
    if first is not None and last is not None:
        raise UserInputError("Ask for `first` or `last`, not both.", InputReason.BAD_PAGE_ARGUMENTS)
    if after is not None and before is not None:
        raise UserInputError("Give `after` or `before`, not both.", InputReason.BAD_PAGE_ARGUMENTS)
    size = last if last is not None else first
    if size is None:
        size = min(20, limit)
    if not 0 <= size <= limit:
        raise UserInputError(
            f"`first` and `last` must be between 0 and {limit}.", InputReason.BAD_PAGE_ARGUMENTS
        )
    if last is not None or (before is not None and first is None):
        return Window(size=size, forward=False, cursor=before)
    return Window(size=size, forward=True, cursor=after)
