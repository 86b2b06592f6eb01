"""Planned profiles: `user(handle:)` and `me`, a user's basic fields and awards page, each
award with its badge and the badge's issuer — the reads clients make most.

The facts the visibility rules need are read alongside (`_v` entries): who the person
shows what to, whether they block the viewer or count them as a contact, a badge's state
and club role. The decisions are `services/visibility_facts.py`'s, made while shaping.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from odznaka_graph.graph_model.profiles import club_readable
from odznaka_graph.planner.connections import PageArguments, connection
from odznaka_graph.planner.fields import global_id, localized, prop, time
from odznaka_graph.planner.plan import (
    Builder,
    Entries,
    NeedsStaffRoles,
    Object,
    Rule,
    Run,
    Shaper,
    cypher_map,
)
from odznaka_graph.planner.selection import Asked, Unplannable, fields_of
from odznaka_graph.services.visibility import PUBLIC_BADGE_STATES
from odznaka_graph.services.visibility_facts import (
    SECTIONS,
    BadgeFacts,
    ProfileFacts,
    badge_public,
    badge_shown,
    profile_shown,
    section_shown,
)

PROFILE_FACTS = (
    "[{v}.id, {v}.visibility, "
    + ", ".join(f"{{v}}.{s}Visibility" for s in SECTIONS)
    + ", {v}.featuredAwardIds, "
    "EXISTS {{ ({v})-[:BLOCKS]->(:User {{id: $readerId}}) }}, "
    "EXISTS {{ ({v})-[:CONTACT]-(:User {{id: $readerId}}) }}, "
    "coalesce({v}.minorProtected, false), coalesce({v}.hidden, false)]"
)
# The issuer and the viewer's club role matter only for a badge that is not public (CASE
# reads them only then): a page of public badges costs no look-up for them.
BADGE_FACTS = (
    "CASE WHEN {v}.status IN "
    + str(sorted(PUBLIC_BADGE_STATES))
    + " AND coalesce({v}.visibility, 'PUBLIC') = 'PUBLIC' THEN"
    " [{v}.status, {v}.visibility, {v}.clubId, null, null, coalesce({v}.hidden, false)] ELSE "
    "[{v}.status, {v}.visibility, {v}.clubId, "
    "COLLECT {{ MATCH ({v})-[:ISSUED_BY]->({v}o:Organization) RETURN {v}o.id }}[0], "
    "CASE WHEN {v}.clubId IS NULL OR $readerId IS NULL THEN null ELSE "
    "COLLECT {{ MATCH (:Club {{id: {v}.clubId}})<-[{v}m:MEMBER_OF]-(:User {{id: $readerId}}) "
    "RETURN {v}m.role }}[0] END, coalesce({v}.hidden, false)] END"
)


def _display_name(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
    key = b.key()  # as `to_user`: the handle when no display name is set
    name = f"{var}.displayName"
    expression = f"CASE WHEN {name} IS NULL OR {name} = '' THEN {var}.handle ELSE {name} END"
    return [(key, expression)], lambda found, run: found[key]


def _status(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
    key = b.key()  # as `Award.status`
    expression = (
        f"[{var}.revokedAt IS NOT NULL, {var}.expiresAt, EXISTS {{ ({var})<-[:EARNED]-(:User) }}]"
    )

    def shape(found: Mapping[str, Any], run: Run) -> str:
        revoked, expires, claimed = found[key]
        if revoked:
            return "REVOKED"
        if expires is not None and _native(expires) <= run.binding.now:
            return "EXPIRED"
        return "VALID" if claimed else "PENDING_CLAIM"

    return [(key, expression)], shape


def _evidence(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
    """As `Award.evidence`: each (url, narrative) pair, empty texts as null."""
    key = b.key()
    evidence_type = b.field_type("Award", "evidence")
    fields = fields_of(evidence_type, asked.selections, b.fragments)
    for item in fields:
        if item.name not in ("url", "narrative", "__typename"):
            raise Unplannable(f"Evidence.{item.name}")

    def one(url: str, narrative: str) -> dict[str, Any]:
        values = {"url": url or None, "narrative": narrative or None, "__typename": "Evidence"}
        return {item.key: values[item.name] for item in fields}

    def shape(found: Mapping[str, Any], run: Run) -> Any:
        urls, notes = found[key]
        return [one(u, n) for u, n in zip(urls or [], notes or [], strict=False)]

    return [(key, f"[{var}.evidenceUrls, {var}.evidenceNarratives]")], shape


def _native(value: Any) -> datetime:
    from odznaka_graph.graph_model.driver import native

    found: datetime = native(value)
    return found


def _organization(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
    """A badge's issuer: the organisation it is ISSUED_BY (a peer badge has none)."""
    key, org = b.key(), b.variable("o")
    found_object = b.object("Organization", org, asked.selections)
    expression = (
        f"COLLECT {{ MATCH ({var})-[:ISSUED_BY]->({org}:Organization) "
        f"RETURN {cypher_map(found_object.entries)} }}[0]"
    )

    def shape(found: Mapping[str, Any], run: Run) -> Any:
        value = found[key]
        return None if value is None else found_object.shape(value, run)

    return [(key, expression)], shape


def visible_badge(
    b: Builder, badge: str, selections: tuple[Any, ...]
) -> tuple[str, Callable[[Any, Run], Any]]:
    """The Cypher map of a badge bound to `badge` (its asked fields and its facts), and
    the shaper of that map: null when the viewer may not see the badge."""
    found_object = b.object("Badge", badge, selections)
    entries = [*found_object.entries, ("_v", BADGE_FACTS.format(v=badge))]

    def shape(value: Any, run: Run) -> Any:
        if value is None or not _badge_visible(BadgeFacts.of(value["_v"]), run):
            return None
        return found_object.shape(value, run)

    return cypher_map(entries), shape


def _badge(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
    """The award's badge: the one its list matched already, else found by OF."""
    key = b.key()
    matched = b.badge_of.get(var)
    badge = matched or b.variable("b")
    projection, shape_badge = visible_badge(b, badge, asked.selections)
    expression = (
        projection
        if matched
        else f"COLLECT {{ MATCH ({var})-[:OF]->({badge}:Badge) RETURN {projection} }}[0]"
    )
    return [(key, expression)], lambda found, run: shape_badge(found[key], run)


def _badge_visible(facts: BadgeFacts, run: Run) -> bool:
    if badge_public(facts):
        return True
    if not run.viewer.signed_in:
        return False
    if run.staff_roles is None:
        raise NeedsStaffRoles()
    return badge_shown(run.viewer, facts, run.staff_roles)


def _awards(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
    """`User.awards`, newest first, without a filter (a filter is left to the executor)."""
    key, award, badge = b.key(), b.variable("a"), b.variable("b")
    pages = PageArguments(b, asked, unplanned=("filter",))
    kind = b.field_type("User", "awards")

    def node(selections: tuple[Any, ...]) -> Object:
        b.badge_of[award] = badge  # matched with the award: no second look-up
        return b.object("Award", award, selections)

    node_object, shape_page = connection(b, kind, asked, pages, node)
    # The readable awards are matched once, with their sort keys: the total is their
    # number, the page is cut from them (before, the match ran twice: -16 % db hits).
    found, pair, at = b.variable("all"), b.variable("p"), b.variable("k")
    match = f"MATCH ({var})-[:EARNED]->({award}:Award)-[:OF]->({badge}:Badge) WHERE " + (
        club_readable(var, badge, award)
    )
    after = pages.after_condition(at, f"{award}.id")
    expression = (
        f"[{found} IN [COLLECT {{ {match} "
        f"RETURN [{award}, {badge}, {award}.issuedAt.epochMillis] }}] | "
        f"{{total: size({found}), rows: COLLECT {{ UNWIND {found} AS {pair} "
        f"WITH {pair}[0] AS {award}, {pair}[1] AS {badge}, {pair}[2] AS {at} "
        f"WHERE {after} AND EXISTS {{ ({award})-[:AWARDED_BY]->(:User) }} "
        f"WITH {award}, {badge}, {at} ORDER BY {at} DESC, {award}.id DESC LIMIT ${pages.limit} "
        f"RETURN [{at}, {award}.id, {cypher_map(node_object.entries)}] }}}}][0]"
    )

    def shape(found: Mapping[str, Any], run: Run) -> Any:
        shown = section_shown(run.viewer, ProfileFacts.of(found["_v"]), "awards")
        return shape_page(found[key] if shown else None, run)

    return [(key, expression)], shape


def _profile_root(by_handle: bool) -> Rule:
    """A root field answering one person when the viewer may see their profile: the
    `handle` argument's, or the viewer's own."""

    def rule(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
        key, user = b.key(), b.variable("u")
        found_object = b.object("User", user, asked.selections)
        entries = [*found_object.entries, ("_v", PROFILE_FACTS.format(v=user))]
        match = f"{{handle: ${_handle_param(b, asked)}}}" if by_handle else "{id: $readerId}"
        expression = f"COLLECT {{ MATCH ({user}:User {match}) RETURN {cypher_map(entries)} }}[0]"

        def shape(found: Mapping[str, Any], run: Run) -> Any:
            value = found[key]
            if value is None or not profile_shown(run.viewer, ProfileFacts.of(value["_v"])):
                return None
            return found_object.shape(value, run)

        return [(key, expression)], shape

    return rule


def _handle_param(b: Builder, asked: Asked) -> str:
    """A parameter bound to the lower-cased `handle` argument."""
    handle = asked.argument("handle")
    name = b.param("handle")
    b.bind(lambda binding: {name: str(handle.of(binding.variables) or "").lower()})
    return name


RULES: dict[str, dict[str, Rule]] = {
    "Query": {
        "user": _profile_root(by_handle=True),
        "me": _profile_root(by_handle=False),
    },
    "User": {
        "id": global_id("User"),
        "handle": prop("{v}.handle"),
        "displayName": _display_name,
        "bio": prop("{v}.bio"),
        "avatarUrl": prop("{v}.avatarUrl"),
        "locale": prop("{v}.locale"),
        "visibility": prop("coalesce({v}.visibility, 'PUBLIC')"),
        "createdAt": time("createdAt"),
        "awards": _awards,
    },
    "Award": {
        "id": global_id("Award"),
        "issuedAt": time("issuedAt"),
        "expiresAt": time("expiresAt"),
        "revokedAt": time("revokedAt"),
        "revokeReason": prop("{v}.revokeReason"),
        "status": _status,
        "evidence": _evidence,
        "badge": _badge,
    },
    "Badge": {
        "id": global_id("Badge"),
        "name": localized("name", required=True),
        "description": localized("description"),
        "eqfLevel": prop("{v}.eqfLevel"),
        "pqfLevel": prop("{v}.pqfLevel"),
        "imageUrl": prop("{v}.imageUrl"),
        "workloadHours": prop("{v}.workloadHours"),
        "issuer": _organization,
    },
    "Organization": {
        "id": global_id("Organization"),
        "name": localized("name", required=True),
        "description": localized("description"),
    },
}
