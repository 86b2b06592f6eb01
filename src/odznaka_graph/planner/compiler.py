"""The read planner: a query document in, a `Plan` out (or None: the general executor
answers it), kept per document text; and the one function that answers a request with a
plan — one Cypher round trip, whatever the length of the lists asked for.

A document is planned only when it parses within the token limit, passes the same
validation (with the depth and alias limits) as the executor's, is a query, and every
field it asks is one the rules know. Per request the variables are coerced by the schema,
the operation is priced with them like `CostLimit` does, and anything a plan does not
take on (a filter, a backward page, a cursor it cannot read) gives the request back to
the executor, which answers it — errors included — as it always has.
"""

import logging
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import orjson
from graphql import (
    ASTValidationRule,
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values

from odznaka_graph.clock import now
from odznaka_graph.graph_model.driver import Graph, generated
from odznaka_graph.limits.measure import Pages, Walker
from odznaka_graph.paging import BadCursor
from odznaka_graph.planner.plan import (
    Binding,
    Builder,
    NeedsStaffRoles,
    Plan,
    Rule,
    Run,
    Sources,
)
from odznaka_graph.planner.selection import Unplannable
from odznaka_graph.services.tokens import ANONYMOUS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    max_tokens: int
    max_cost: int
    max_page_size: int


@dataclass(frozen=True)
class Planned:
    """A plan with what a request needs to run it."""

    plan: Plan
    document: DocumentNode
    operation: OperationDefinitionNode
    worst_cost: int
    constant: bytes | None = None  # the whole answer of an operation that reads nothing


class Planner:
    """Plans per document text (a bounded cache, like the parser's and validator's)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        rules: Mapping[str, Mapping[str, Rule]],
        validation_rules: tuple[type[ASTValidationRule], ...],
        limits: Limits,
        size: int = 512,
    ) -> None:
        self.schema = schema
        self.rules = rules
        self.validation_rules = (*specified_rules, *validation_rules)
        self.limits = limits
        self.size = size
        self._plans: OrderedDict[tuple[str, str | None], Planned | None] = OrderedDict()

    def plan(self, query: str, operation_name: str | None) -> Planned | None:
        key = (query, operation_name)
        if key in self._plans:
            self._plans.move_to_end(key)
            return self._plans[key]
        try:
            planned = self._compile(query, operation_name)
        except Exception:  # a rule's own mistake: the executor answers instead
            log.exception("planning a document failed")
            planned = None
        self._plans[key] = planned
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return planned

    def _compile(self, query: str, operation_name: str | None) -> Planned | None:
        try:
            document = parse(query, max_tokens=self.limits.max_tokens, no_location=True)
        except GraphQLError:
            return None
        if validate(self.schema, document, self.validation_rules):
            return None
        operation = get_operation_ast(document, operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        b = Builder(self.schema, fragments, self.rules)
        try:
            root = b.object("Query", "", (operation.selection_set,))
        except Unplannable:
            return None
        returned = ", ".join(f"{expression} AS {key}" for key, expression in root.entries)
        cypher = "\n".join([*b.prelude, f"RETURN {returned}"]) if root.entries else None
        plan = Plan(cypher, tuple(b.binders), root.shape, tuple(b.loads))
        cost = self._cost(document, operation, None)
        return Planned(plan, document, operation, cost, self._constant(plan, operation, cost))

    def _constant(self, plan: Plan, operation: OperationDefinitionNode, cost: int) -> bytes | None:
        """The answer of an operation of `__typename`s only: the same for every request."""
        if plan.cypher is not None or plan.binders or plan.loads:
            return None
        if operation.variable_definitions:
            return None
        if cost > self.limits.max_cost:
            return None
        binding = Binding({}, ANONYMOUS, self.limits.max_page_size, [], now())
        return orjson.dumps({"data": plan.shape({}, Run(binding, {}, []))})

    def _cost(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
    ) -> int:
        """The operation's price; without variables, its worst (every variable at the
        largest page: planned operations take no list arguments)."""
        if variables is None:
            names = [d.variable.name.value for d in operation.variable_definitions or ()]
            variables = {name: self.limits.max_page_size for name in names}
        pages = Pages(maximum=self.limits.max_page_size)
        walker = Walker.of_document(self.schema, document.definitions, pages, variables)
        return walker.with_defaults(operation).operation(operation).cost

    def binding(
        self, planned: Planned, variables: Mapping[str, Any] | None, binding: Binding
    ) -> Binding:
        """The request's coerced variables in the binding; Unplannable when they do not
        coerce or make the operation too costly (the executor says why)."""
        given = dict(variables or {})
        if planned.worst_cost > self.limits.max_cost:
            if self._cost(planned.document, planned.operation, given) > self.limits.max_cost:
                raise Unplannable("too costly: the executor says so")
        coerced = get_variable_values(
            self.schema, planned.operation.variable_definitions or (), given
        )
        if isinstance(coerced, list):
            raise Unplannable("variables that do not coerce: the executor says why")
        return replace(binding, variables=coerced.coerced)


async def answer(
    planned: Planned,
    binding: Binding,
    languages: list[str],
    graph: Graph,
    sources: Sources,
) -> dict[str, Any]:
    """The response's `data`: one Cypher read (none for an operation that reads nothing
    there), the reads rules make through services (a leaderboard's scores), and one more
    of the viewer's roles, from SQL, only if a rule needs them."""
    plan = planned.plan
    try:
        params = plan.bind(binding)
    except BadCursor as error:
        raise Unplannable("a cursor the executor refuses") from error
    row: Mapping[str, Any] = {}
    if plan.cypher is not None:
        rows = await graph.read_plain(generated(plan.cypher), **params)
        row = rows[0]
    run = Run(binding, params, languages)
    for load in plan.loads:
        await load(run, sources)
    try:
        return plan.shape(row, run)
    except NeedsStaffRoles:
        run.staff_roles = await sources.loaders().staff_roles()
        return plan.shape(row, run)
