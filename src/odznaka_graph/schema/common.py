"""Shared API pieces: Node, Relay connections, languages, translations, errors."""

from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Generic, TypeAlias, TypeVar, overload

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.i18n import pick
from odznaka_graph.outcomes import DOMAINS, Reason, domain_of
from odznaka_graph.paging import Page
from odznaka_graph.schema.decorators import describe_values, field

T = TypeVar("T")
Item = TypeVar("Item")
C = TypeVar("C")


NODE_ID = "Global, opaque id of this object; `node(id:)` finds it again."


@strawberry.interface(description="An object with a global, opaque id.")
class Node:
    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        raise NotImplementedError  # every implementing type answers its own id


@strawberry.type(description="Where a page of a connection sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More items follow this page: ask again with `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="Items come before this page: ask again with `before: startCursor`."
    )
    start_cursor: str | None = strawberry.field(
        description="The first edge's cursor; null on an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The last edge's cursor; null on an empty page."
    )


@strawberry.type(description="One item of a page, with the cursor to page on from it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="Opaque position of this item; pass it as `after` or `before`."
    )
    node: T = strawberry.field(description="The item itself.")


@strawberry.type(
    description="One page of a list (Relay connection): page forward with `first`/`after`, "
    "backward with `last`/`before`."
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page sits; cursors to go on.")
    total_count: int = strawberry.field(
        description="How many items the whole list has (that the viewer may see), not the page."
    )


@describe_values(PL="Polish.", EN="English.", UK="Ukrainian.", DE="German.")
@strawberry.enum(description="Languages that texts can be written in.")
class Language(Enum):
    PL = "pl"
    EN = "en"
    UK = "uk"
    DE = "de"


Lang: TypeAlias = Annotated[
    Language | None,
    strawberry.argument(
        description="Answer in this language; by default the best match of the request's "
        "Accept-Language, then Polish, then any stored language."
    ),
]


@strawberry.input(description="One text in one language.")
class TextInput:
    lang: Language = strawberry.field(description="The language the text is written in.")
    text: str = strawberry.field(description="The text itself.")


@strawberry.type(description="One stored translation of one field, for editing.")
class Translation:
    field: str = strawberry.field(description="The translated field, e.g. name or description.")
    lang: Language = strawberry.field(description="The language of this text.")
    text: str = strawberry.field(description="The text itself.")


def texts_input(items: list[TextInput] | None) -> dict[str, str]:
    return {item.lang.value: item.text for item in items or []}


def _in_language(root: Any, info: Info, field: str, lang: Lang) -> str | None:
    asked = lang.value if lang else None
    return pick(root.record.texts.get(field), info.context.languages(asked))


def localized(field: str, description: str) -> Any:
    """A String field that answers in the client's language, with a fallback."""

    def resolve(root: Any, info: Info, lang: Lang = None) -> str | None:
        return _in_language(root, info, field, lang)

    return strawberry.field(resolver=resolve, description=description)


def localized_name(field: str, description: str) -> Any:
    """A name or title: every record has one, so it is never null (in the client's
    language, with a fallback)."""

    def resolve(root: Any, info: Info, lang: Lang = None) -> str:
        return _in_language(root, info, field, lang) or ""

    return strawberry.field(resolver=resolve, description=description)


def translations_of(texts: dict[str, dict[str, str]]) -> list[Translation]:
    return [
        Translation(field=camel(field), lang=Language(lang), text=text)
        for field, values in texts.items()
        for lang, text in values.items()
    ]


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@strawberry.type(description="An amount of money.")
class Money:
    amount: str = strawberry.field(description="Decimal amount as text, e.g. 199.00.")
    currency: str = strawberry.field(description="ISO 4217 code, e.g. PLN.")


def _reason_values() -> dict[str, Any]:
    """Every domain's reasons as one GraphQL enum's values, each described with its
    domain; a name used twice would make two meanings of one code, so it fails here."""
    values: dict[str, Any] = {}
    for kind in DOMAINS:
        for name, member in kind.__members__.items():
            if name in values or member.name != name:
                raise TypeError(f"{kind.__name__}.{name}: a reason is named once (no aliases)")
            text = f"{domain_of(kind)}: {member.description}"
            values[name] = strawberry.enum_value(name, description=text)
    return values


_ERROR_REASONS: type[Enum] = Enum("ErrorReason", _reason_values())  # type: ignore[misc]
ErrorReason = strawberry.enum(
    _ERROR_REASONS,
    description=(
        "Why an operation was refused: a stable code, decided where the refusal is made, "
        "for clients to branch on (messages are for people and may change). Each value "
        "names its domain."
    ),
)


def reason_of(reason: Reason) -> Any:
    """The ErrorReason value of a domain reason."""
    return ErrorReason[reason.name]


@strawberry.interface(description="An expected failure of a mutation.")
class MutationError:
    code: str = strawberry.field(
        description="Coarse class of the failure: VALIDATION_FAILED, NOT_FOUND, "
        "PERMISSION_DENIED, UNAUTHENTICATED, CONFLICT or RATE_LIMITED."
    )
    message: str = strawberry.field(
        description="What went wrong, for people, in the caller's language; may change."
    )
    reason: Enum = strawberry.field(
        graphql_type=ErrorReason,
        description="The stable code of this failure; `code` is its coarse class.",
    )


@strawberry.type(description="One problem with one input field.")
class FieldError:
    field: str = strawberry.field(description="Path of the field, e.g. outcomes.0.description.")
    message: str = strawberry.field(description="What is wrong with it, for people.")


@strawberry.type(description="The input is not valid; nothing was changed.")
class ValidationError(MutationError):
    fields: list[FieldError] = strawberry.field(
        description="Every problem found, one per field (several fields at once)."
    )


@strawberry.type(description="Something the input names does not exist or is hidden from you.")
class NotFoundError(MutationError):
    pass


@strawberry.type(description="You may not do this (or must sign in first, code UNAUTHENTICATED).")
class PermissionDeniedError(MutationError):
    pass


@strawberry.type(description="The current state does not allow this, e.g. it is done already.")
class ConflictError(MutationError):
    pass


@strawberry.type(
    description="Signing in failed: the e-mail and password, or the refresh token, were not "
    "accepted (`reason` WRONG_PASSWORD or REFRESH_TOKEN_INVALID); sign in again."
)
class AuthenticationError(MutationError):
    pass


@strawberry.type(description="Too many attempts; wait before trying again.")
class RateLimitedError(MutationError):
    retry_after_seconds: int = strawberry.field(description="Seconds to wait before the next try.")


Failure: TypeAlias = (
    ValidationError | NotFoundError | PermissionDeniedError | ConflictError | RateLimitedError
)
"""Every typed error a mutation can answer; a result union is `Success | Failure`."""


@overload
def to_connection(page: Page[Item], convert: Callable[..., T]) -> Connection[T]: ...


@overload
def to_connection(page: Page[Any], convert: Any, kind: type[C], **extra: Any) -> C: ...


def to_connection(page: Any, convert: Any, kind: type = Connection, **extra: Any) -> Any:
    """A Connection (or a subclass of it) from a graph_model Page, items converted."""
    edges = [Edge(cursor=cursor, node=convert(item)) for cursor, item in page.items]
    info = PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.has_previous,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return kind(edges=edges, page_info=info, total_count=page.total, **extra)
