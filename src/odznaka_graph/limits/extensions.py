"""The document limits as graphql-core validation rules and strawberry schema extensions.

- `TokenLimit` is the first gate: a document of more tokens than allowed is refused
  before it is parsed (`TOO_MANY_TOKENS`).
- `limit_rules` gives validation rules for depth (`QUERY_TOO_DEEP`) and aliases
  (`TOO_MANY_ALIASES`), and graphql-core's limit on nested introspection lists. They are
  made once per schema, so the ValidationCache keeps its hits.
- `CostLimit` prices the operation with its variables just before execution
  (`QUERY_TOO_COSTLY`) and refuses introspection to anonymous viewers when so set
  (`INTROSPECTION_DISABLED`). It runs on every transport, subscriptions included.
"""

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    Source,
    TokenKind,
    ValidationContext,
    VisitorAction,
    get_operation_ast,
)
from graphql.language import SKIP
from graphql.language.lexer import Lexer
from graphql.validation import MaxIntrospectionDepthRule
from strawberry.extensions import MaxTokensLimiter, SchemaExtension

from odznaka_graph.limits.measure import NESTING_CAP, Measure, Pages, Walker


class TokenLimit(MaxTokensLimiter):
    """Refuses documents of more than `max_token_count` tokens before parsing them."""

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query
        if query and self.execution_context.graphql_document is None:
            tokens = count_tokens(query, self.max_token_count)
            if tokens > self.max_token_count:
                raise GraphQLError(
                    f"The document has more than {self.max_token_count} tokens, the limit.",
                    extensions={"code": "TOO_MANY_TOKENS", "maxTokens": self.max_token_count},
                )
        yield


@lru_cache(maxsize=512)
def count_tokens(query: str, limit: int) -> int:
    """Tokens in the document, counting no further than one past `limit`."""
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind != TokenKind.EOF and count <= limit:
            count += 1
    except GraphQLSyntaxError:
        pass  # the parser reports it
    return count


def limit_rules(max_depth: int, max_aliases: int) -> tuple[type[ASTValidationRule], ...]:
    """Validation rules for depth and aliases: create once per schema and reuse."""

    class DocumentLimitsRule(ASTValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> VisitorAction:
            assert isinstance(self.context, ValidationContext)
            check_document(self.context, node, max_depth, max_aliases)
            return SKIP

    return (DocumentLimitsRule, MaxIntrospectionDepthRule)


def check_document(
    context: ValidationContext, document: DocumentNode, max_depth: int, max_aliases: int
) -> None:
    walker = Walker.of_document(context.schema, document.definitions, Pages(maximum=1))
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        measure = walker.operation(definition)
        depth = NESTING_CAP + 1 if walker.too_deep else measure.depth
        if depth > max_depth:
            context.report_error(too_deep(depth, max_depth, definition))
        if measure.aliases > max_aliases:
            context.report_error(too_many_aliases(measure.aliases, max_aliases, definition))


def too_deep(depth: int, limit: int, node: OperationDefinitionNode) -> GraphQLError:
    return GraphQLError(
        f"The operation nests {depth} levels deep; the limit is {limit}.",
        [node],
        extensions={"code": "QUERY_TOO_DEEP", "depth": depth, "maxDepth": limit},
    )


def too_many_aliases(aliases: int, limit: int, node: OperationDefinitionNode) -> GraphQLError:
    return GraphQLError(
        f"The operation uses {aliases} aliases (fragments counted at each use); "
        f"the limit is {limit}.",
        [node],
        extensions={"code": "TOO_MANY_ALIASES", "aliases": aliases, "maxAliases": limit},
    )


class CostLimit(SchemaExtension):
    """Prices the operation about to run, with its variables, and refuses costly ones."""

    def __init__(self, max_cost: int, max_page_size: int, introspection_for_anonymous: bool):
        self.max_cost = max_cost
        self.pages = Pages(maximum=max_page_size)
        self.introspection_for_anonymous = introspection_for_anonymous

    def on_execute(self) -> Iterator[None]:
        measure = self._measure()
        if measure is not None:
            if measure.introspection and not self._may_introspect(self.execution_context.context):
                raise GraphQLError(
                    "Introspection is turned off for anonymous clients; sign in to use it.",
                    extensions={"code": "INTROSPECTION_DISABLED"},
                )
            if measure.cost > self.max_cost:
                raise GraphQLError(
                    f"The operation costs {measure.cost}; the limit is {self.max_cost}. "
                    "Ask for smaller pages or fewer nested lists.",
                    extensions={
                        "code": "QUERY_TOO_COSTLY",
                        "cost": measure.cost,
                        "maxCost": self.max_cost,
                    },
                )
        yield

    def _measure(self) -> Measure | None:
        """The measure of the operation about to run, its variables known."""
        context = self.execution_context
        document = context.graphql_document
        if document is None:
            return None
        operation = get_operation_ast(document, context.operation_name)
        if operation is None:
            return None
        walker = Walker.of_document(
            context.schema._schema, document.definitions, self.pages, context.variables
        )
        return walker.with_defaults(operation).operation(operation)

    def _may_introspect(self, context: Any) -> bool:
        viewer = getattr(context, "viewer", None)
        return self.introspection_for_anonymous or bool(getattr(viewer, "signed_in", False))
