"""Linear measures of a GraphQL operation: depth, aliases, cost and use of introspection.

Each fragment definition is walked once; its measure is kept and reused at every spread,
so a document of fragments that spread each other many times costs no more to measure
than it is long. A spread of a fragment still being walked (a cycle, which validation
rejects anyway) or of an unknown fragment counts as nothing.

The cost model (documented in the README, section "Limits"):
- a field with a selection set (an object, interface or union) costs 1, scalars and enums 0;
- a field with `first`/`last` arguments multiplies the cost of its selection by the page
  it asks for (the argument, a variable's value, the argument's default or the default
  page size), clamped to the largest page;
- a list field without `first`/`last` but with a list argument (`nodes(ids:)`) multiplies
  its selection by that list's length; other lists are embedded lists bounded where they
  are written and count once;
- fragments and inline fragments count as if spelled out where they are spread, and the
  branches of an abstract type as if they all applied.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    value_from_ast_untyped,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef

INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})
SIZE_ARGUMENTS = ("last", "first")
DEFAULT_PAGE_SIZE = 20  # what a connection returns without first/last (resolvers.common.window)
# Selection sets nested deeper than this (fields, inline fragments and spreads together)
# are not walked further: the document is too deep whatever else it holds.
NESTING_CAP = 128


@dataclass(frozen=True)
class Measure:
    depth: int = 0
    aliases: int = 0
    cost: int = 0
    introspection: bool = False

    def plus(self, other: "Measure") -> "Measure":
        """Two sibling selections together."""
        return Measure(
            depth=max(self.depth, other.depth),
            aliases=self.aliases + other.aliases,
            cost=self.cost + other.cost,
            introspection=self.introspection or other.introspection,
        )


EMPTY = Measure()


@dataclass(frozen=True)
class Pages:
    """The page sizes the cost model assumes for connections."""

    maximum: int
    default: int = DEFAULT_PAGE_SIZE


@dataclass
class Walker:
    """Measures the operations of one document; fragments measured once, then reused."""

    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    pages: Pages
    variables: dict[str, Any] = field(default_factory=dict)
    memo: dict[str, Measure] = field(default_factory=dict)
    fragments_walked: int = 0
    too_deep: bool = False
    _open: set[str] = field(default_factory=set)
    _nesting: int = 0

    @classmethod
    def of_document(
        cls,
        schema: GraphQLSchema,
        definitions: Any,
        pages: Pages,
        variables: Mapping[str, Any] | None = None,
    ) -> "Walker":
        fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
        return cls(schema, fragments, pages, dict(variables or {}))

    def operation(self, operation: OperationDefinitionNode) -> Measure:
        root = self.schema.get_root_type(operation.operation)
        return self._nested(operation.selection_set, root)

    def with_defaults(self, operation: OperationDefinitionNode) -> "Walker":
        """Variables of the operation: those given, else their declared defaults."""
        values = dict(self.variables)
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            if name not in values and definition.default_value is not None:
                values[name] = value_from_ast_untyped(definition.default_value)
        self.variables = values
        return self

    def _nested(self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None) -> Measure:
        self._nesting += 1
        try:
            if self._nesting > NESTING_CAP:
                self.too_deep = True
                return EMPTY
            total = EMPTY
            for selection in selection_set.selections:
                total = total.plus(self._selection(selection, parent))
            return total
        finally:
            self._nesting -= 1

    def _selection(self, selection: SelectionNode, parent: GraphQLNamedType | None) -> Measure:
        if isinstance(selection, FieldNode):
            return self._field(selection, parent)
        if isinstance(selection, InlineFragmentNode):
            kind = self._type(selection.type_condition) or parent
            return self._nested(selection.selection_set, kind)
        if isinstance(selection, FragmentSpreadNode):
            return self._fragment(selection.name.value)
        return EMPTY

    def _fragment(self, name: str) -> Measure:
        known = self.memo.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self._open:
            return EMPTY
        self._open.add(name)
        self.fragments_walked += 1
        measure = self._nested(definition.selection_set, self._type(definition.type_condition))
        self._open.discard(name)
        self.memo[name] = measure
        return measure

    def _field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Measure:
        aliases = 1 if node.alias else 0
        if node.selection_set is None:
            return Measure(aliases=aliases)
        definition = field_definition(self.schema, parent, node.name.value)
        inner_type = get_named_type(definition.type) if definition else None
        inner = self._nested(node.selection_set, inner_type)
        introspection = node.name.value in INTROSPECTION_ROOTS
        return Measure(
            # Introspection is bounded by graphql-core's MaxIntrospectionDepthRule instead.
            depth=0 if introspection else 1 + inner.depth,
            aliases=aliases + inner.aliases,
            cost=1 + self._size(node, definition) * inner.cost,
            introspection=introspection or inner.introspection,
        )

    def _size(self, node: FieldNode, definition: GraphQLField | None) -> int:
        """How many times the field's selection may be resolved."""
        if definition is None:
            return 1
        given = {argument.name.value: argument.value for argument in node.arguments or ()}
        if any(name in definition.args for name in SIZE_ARGUMENTS):
            for name in SIZE_ARGUMENTS:
                if name in given:
                    value = value_from_ast_untyped(given[name], self.variables)
                elif name in definition.args:
                    value = definition.args[name].default_value
                else:
                    continue
                if isinstance(value, int) and not isinstance(value, bool):
                    return max(0, min(value, self.pages.maximum))
            return min(self.pages.default, self.pages.maximum)
        if is_list_type(get_nullable_type(definition.type)):
            for value_node in given.values():
                value = value_from_ast_untyped(value_node, self.variables)
                if isinstance(value, list):
                    return len(value)
        return 1

    def _type(self, condition: NamedTypeNode | None) -> GraphQLNamedType | None:
        return self.schema.get_type(condition.name.value) if condition else None


def field_definition(
    schema: GraphQLSchema, parent: GraphQLNamedType | None, name: str
) -> GraphQLField | None:
    if name == "__typename":
        return TypeNameMetaFieldDef
    if parent is not None and parent is schema.query_type:
        if name == "__schema":
            return SchemaMetaFieldDef
        if name == "__type":
            return TypeMetaFieldDef
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        found: GraphQLField | None = parent.fields.get(name)
        return found
    return None
