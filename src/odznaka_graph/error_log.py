"""Which GraphQL errors are ours. A client's mistake (a document that does not parse or
validate, bad variables, a refusal raised as a GraphQL error) is logged at INFO in one
line; anything else is our fault, logged at ERROR with its traceback and masked."""

import logging

import strawberry
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext

from odznaka_graph.extension_runner import LeanExtensionsRunner
from odznaka_graph.outcomes import InputReason
from odznaka_graph.paging import BadCursor
from odznaka_graph.store_outages import outage_error, unavailable_store

log = logging.getLogger("odznaka_graph.graphql")
# Raised below the GraphQL layer for a bad argument; shown as BAD_USER_INPUT wherever it
# happens, so no resolver needs to catch and re-raise it.
BAD_INPUT: tuple[type[Exception], ...] = (BadCursor,)


def is_client_mistake(error: GraphQLError) -> bool:
    original = error.original_error
    # No original error: graphql-core refused the document or its variables itself.
    return original is None or isinstance(original, (GraphQLError, *BAD_INPUT))


class MaskUnexpectedErrors(MaskErrors):
    """Masks our own faults; a bad argument found deep down keeps its message and gets
    the code BAD_USER_INPUT."""

    def _process_result(self, result: object) -> None:
        # Subscriptions (issue 13): strawberry's check is a runtime Protocol isinstance,
        # ~15% of a live event's cost per subscriber; a result without errors skips it.
        if getattr(result, "errors", None):
            super()._process_result(result)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        if store := unavailable_store(error.original_error):  # issue 17: typed outages
            return outage_error(error, store)
        if not isinstance(error.original_error, BAD_INPUT):
            masked = super().anonymise_error(error)
            masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}  # our own fault
            return masked
        return GraphQLError(
            message=str(error.original_error),
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "BAD_USER_INPUT", "reason": InputReason.BAD_CURSOR.name},
        )


def log_error(error: GraphQLError) -> None:
    if unavailable_store(error.original_error):
        return  # logged once, naming the store, when it is shown (store_outages.py)
    if is_client_mistake(error):
        code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
        log.info("client error: %s", error.message, extra={"fields": {"code": code}})
    else:
        log.error("unexpected error: %s", error.message, exc_info=error.original_error)


def request_error_code(error: GraphQLError) -> str:
    """The code of a document or its variables refused by graphql-core itself."""
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED"
    if error.message.startswith("Variable '$"):  # variables that cannot be coerced
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


def _refused_request(error: GraphQLError) -> bool:
    """An error of graphql-core's own, outside any field, that has no code yet."""
    own = error.original_error is None or isinstance(error.original_error, GraphQLError)
    return own and error.path is None and "code" not in (error.extensions or {})


class Schema(strawberry.Schema):
    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        return LeanExtensionsRunner(execution_context, extensions)  # per event: extension_runner

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if _refused_request(error):
                error.extensions = {**(error.extensions or {}), "code": request_error_code(error)}
            log_error(error)
