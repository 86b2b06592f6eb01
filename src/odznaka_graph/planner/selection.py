"""A GraphQL selection as the planner reads it: the fields asked of one object type, by
response key and in response order, fragments flattened, and argument values that are
literals (known when the plan is made) or variables (bound per request).

Anything the planner does not take on — directives, fragments on abstract types, an
unknown field — raises `Unplannable`; the operation then runs field by field as before.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    InlineFragmentNode,
    SelectionSetNode,
    Undefined,
    ValueNode,
    value_from_ast_untyped,
)


class Unplannable(Exception):
    """This operation (or this request's variables) is left to the general executor."""


@dataclass(frozen=True)
class Asked:
    """One response key: the field, its arguments, and the merged sub-selection."""

    key: str
    name: str
    arguments: Mapping[str, ValueNode]
    selections: tuple[SelectionSetNode, ...]

    def argument(self, name: str) -> "Value":
        return Value(self.arguments.get(name))


@dataclass(frozen=True)
class Value:
    """An argument as written: a literal, a variable, or an input object with variables
    inside; its value comes per request."""

    node: ValueNode | None

    def of(self, variables: dict[str, Any]) -> Any:
        if self.node is None:
            return None
        found = value_from_ast_untyped(self.node, variables)
        return None if found is Undefined else found


def fields_of(
    object_type: GraphQLObjectType,
    selections: tuple[SelectionSetNode, ...],
    fragments: Mapping[str, FragmentDefinitionNode],
) -> list[Asked]:
    """The response keys asked of `object_type`, in order, same-key fields merged."""
    found: dict[str, list[FieldNode]] = {}
    for selection_set in selections:
        _collect(object_type, selection_set, fragments, found, set())
    return [_merge(key, nodes) for key, nodes in found.items()]


def _collect(
    object_type: GraphQLObjectType,
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    found: dict[str, list[FieldNode]],
    spread: set[str],
) -> None:
    for selection in selection_set.selections:
        if selection.directives:
            raise Unplannable("directives")
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            found.setdefault(key, []).append(selection)
        elif isinstance(selection, InlineFragmentNode):
            _on(object_type, selection.type_condition)
            _collect(object_type, selection.selection_set, fragments, found, spread)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in spread:  # validation forbids cycles; a repeat adds nothing
                continue
            spread.add(name)
            fragment = fragments[name]
            _on(object_type, fragment.type_condition)
            _collect(object_type, fragment.selection_set, fragments, found, spread)


def _on(object_type: GraphQLObjectType, condition: Any) -> None:
    if condition is not None and condition.name.value != object_type.name:
        raise Unplannable("a fragment on another or an abstract type")


def _merge(key: str, nodes: list[FieldNode]) -> Asked:
    first = nodes[0]
    # Validation made every field under one key the same field with the same arguments.
    return Asked(
        key=key,
        name=first.name.value,
        arguments={arg.name.value: arg.value for arg in first.arguments or ()},
        selections=tuple(n.selection_set for n in nodes if n.selection_set is not None),
    )
