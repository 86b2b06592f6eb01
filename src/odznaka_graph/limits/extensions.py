"""The document limits as graphql-core validation rules and strawberry schema extensions.

- `TokenLimit` is the first gate: the parser stops after the allowed number of tokens
  (`TOO_MANY_TOKENS`); `QuietParserCache` caches parsed documents.
- `limit_rules` gives validation rules for depth (`QUERY_TOO_DEEP`) and aliases
  (`TOO_MANY_ALIASES`), and graphql-core's limit on nested introspection lists. They are
  made once per schema, so the ValidationCache keeps its hits.
- `CostLimit` prices the operation with its variables just before execution
  (`QUERY_TOO_COSTLY`) and refuses introspection to anonymous viewers when so set
  (`INTROSPECTION_DISABLED`). It runs on every transport, subscriptions included.
"""

from collections.abc import Iterator
from contextlib import suppress
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    ValidationContext,
    VisitorAction,
    get_operation_ast,
)
from graphql.language import SKIP
from graphql.validation import MaxIntrospectionDepthRule
from strawberry.extensions import MaxTokensLimiter, ParserCache, SchemaExtension

from odznaka_graph.limits.measure import NESTING_CAP, Measure, Pages, Walker


class TokenLimit(MaxTokensLimiter):
    """The first gate: the parser stops after `max_token_count` tokens (graphql-core's own
    limit, linear); the syntax error it raises gets a code and the limit."""

    def on_parse(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            if isinstance(error, GraphQLSyntaxError) and TOKENS_ABORTED in error.message:
                error.message = (
                    f"The document has more than {self.max_token_count} tokens, the limit."
                )
                error.extensions = {"code": "TOO_MANY_TOKENS", "maxTokens": self.max_token_count}


TOKENS_ABORTED = "tokens. Parsing aborted."


class QuietParserCache(ParserCache):
    """strawberry's ParserCache, but a document that does not parse is left to strawberry's
    own parse step, which answers it as a normal error on every transport (over
    graphql-transport-ws: closing with 4400) instead of raising out of the extension."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        with suppress(GraphQLError):
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        yield


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
