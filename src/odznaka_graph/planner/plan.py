"""What the planner makes of one operation: one Cypher query (or none, for an operation
that reads nothing), the parameters it takes from each request, and a function that
shapes the query's one row into the response's `data`.

A field's rule gives Cypher map entries (`key: expression`, keys made here, never taken
from the document) and a shaper: a function from the map it sits in to the field's value
in the response. Objects are maps of their fields' entries; the response is built in the
document's order by the shapers, which also apply the visibility rules to the facts the
query read (services/visibility.py decides; the query only reads what the rules need).
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from graphql import (
    FragmentDefinitionNode,
    GraphQLObjectType,
    GraphQLSchema,
    SelectionSetNode,
    get_named_type,
)

from odznaka_graph.graph_model.driver import EPOCH
from odznaka_graph.planner.selection import Asked, Unplannable, fields_of
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.tokens import Viewer

Shaper = Callable[[Mapping[str, Any], "Run"], Any]
Entries = list[tuple[str, str]]  # (map key, Cypher expression)
Binder = Callable[["Binding"], dict[str, Any]]


class Sources(Protocol):
    """What a plan reads besides its one Cypher query, per request (planned_http.py): the
    services, and the request's loaders (the one visibility service), made when asked."""

    @property
    def services(self) -> Any: ...

    def loaders(self) -> Loaders: ...


# A read a rule makes through a service (a leaderboard's points are in the SQL store),
# after the Cypher query and before shaping; it leaves what it read in `run.found`.
Load = Callable[["Run", Sources], Awaitable[None]]


@dataclass(frozen=True)
class Binding:
    """What a request brings to a plan: its coerced variables and its viewer."""

    variables: dict[str, Any]
    viewer: Viewer
    max_page_size: int
    club_roles: list[str]
    now: datetime
    languages: list[str] = field(default_factory=list)  # the client's, best first


@dataclass
class Run:
    """One request's answer in the making: its binding, the bound parameters, and the
    viewer's staff roles once a rule has needed them (read from SQL, once)."""

    binding: Binding
    params: dict[str, Any]
    languages: list[str]
    staff_roles: dict[str, str] | None = None
    found: dict[str, Any] = field(default_factory=dict)  # what a parent read for its children

    def preferred(self, lang: Any) -> list[str]:
        """The languages to answer a text in: the asked `lang` (a `Language`), then the
        client's."""
        if lang is None:
            return self.languages
        return [str(getattr(lang, "value", lang)).lower(), *self.languages]

    @property
    def viewer(self) -> Viewer:
        return self.binding.viewer


class NeedsStaffRoles(Exception):
    """A rule needs the viewer's roles in organisations: read them, then shape again."""


@dataclass
class Object:
    """One object's selection: its Cypher map entries and its shaper."""

    entries: Entries
    shape: Callable[[Mapping[str, Any], Run], dict[str, Any]]


def cypher_map(entries: Entries) -> str:
    """A Cypher map literal of the entries (`{}` when there are none)."""
    return "{" + ", ".join(f"{key}: {expression}" for key, expression in entries) + "}"


Rule = Callable[["Builder", str, Asked], tuple[Entries, Shaper]]


@dataclass
class Builder:
    """Makes one plan: fresh keys, variable names and parameter names, and the binders
    that fill the parameters from each request."""

    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    rules: Mapping[str, Mapping[str, Rule]]
    binders: list[Binder] = field(default_factory=list)
    loads: list[Load] = field(default_factory=list)
    prelude: list[str] = field(default_factory=list)  # CALL () clauses before the RETURN
    found_entries: Entries = field(default_factory=list)  # read with a record, for children
    badge_of: dict[str, str] = field(default_factory=dict)  # award variable → its badge's
    _count: int = 0

    def key(self) -> str:
        self._count += 1
        return f"k{self._count}"

    def variable(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    def param(self, name: str) -> str:
        self._count += 1
        return f"p{self._count}_{name}"

    def bind(self, binder: Binder) -> None:
        self.binders.append(binder)

    def load(self, load: Load) -> None:
        self.loads.append(load)

    def field_type(self, type_name: str, field_name: str) -> GraphQLObjectType:
        """The object type a field of `type_name` returns (lists and non-null unwrapped)."""
        parent = self.schema.get_type(type_name)
        assert isinstance(parent, GraphQLObjectType)
        found = get_named_type(parent.fields[field_name].type)
        if not isinstance(found, GraphQLObjectType):
            raise Unplannable(f"{type_name}.{field_name} is abstract")
        return found

    def object(self, type_name: str, var: str, selections: tuple[SelectionSetNode, ...]) -> Object:
        """The fields asked of `type_name`, the object bound to Cypher variable `var`."""
        object_type = self.schema.get_type(type_name)
        assert isinstance(object_type, GraphQLObjectType)
        rules = self.rules.get(type_name)
        if rules is None:
            raise Unplannable(f"no rules for {type_name}")
        entries: Entries = []
        shapers: list[tuple[str, Shaper]] = []
        for asked in fields_of(object_type, selections, self.fragments):
            if asked.name == "__typename":
                shapers.append((asked.key, constant(type_name)))
                continue
            rule = rules.get(asked.name)
            if rule is None:
                raise Unplannable(f"{type_name}.{asked.name}")
            more, shaper = rule(self, var, asked)
            entries += more
            shapers.append((asked.key, shaper))

        def shape(found: Mapping[str, Any], run: Run) -> dict[str, Any]:
            return {key: shaper(found, run) for key, shaper in shapers}

        return Object(entries, shape)


def constant(value: Any) -> Shaper:
    return lambda found, run: value


@dataclass(frozen=True)
class Plan:
    """One operation, planned. `cypher` is None when the graph needs no reading."""

    cypher: str | None
    binders: tuple[Binder, ...]
    shape: Callable[[Mapping[str, Any], Run], dict[str, Any]]
    loads: tuple[Load, ...] = ()

    def bind(self, binding: Binding) -> dict[str, Any]:
        """The query's parameters for one request; `Unplannable` when its variables ask
        for something the plan leaves to the general executor (it then answers)."""
        params: dict[str, Any] = {
            "readerId": binding.viewer.id,
            "viewerId": binding.viewer.id,
            "readerClubRoles": binding.club_roles,
            "now": binding.now,
            "epoch": EPOCH,
        }
        for binder in self.binders:
            params |= binder(binding)
        return params
