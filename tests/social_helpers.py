"""Builders for the social graph tests: mutations by name, a user's lists, counts."""

from typing import Any

from odznaka_graph.ids import local_id
from tests.helpers import Api, Person
from tests.profile_helpers import audit

RELATION = """... on UserRelation { following followedBy contact requestSent requestReceived
  blocked user { handle } }"""
MUTATIONS = (
    "follow",
    "unfollow",
    "requestContact",
    "acceptContact",
    "declineContact",
    "removeContact",
    "blockUser",
    "unblockUser",
)
LISTS = """query($h: String!, $first: Int, $after: String, $last: Int, $before: String) {
  user(handle: $h) {
    followers(first: $first, after: $after, last: $last, before: $before) { ...page }
    following(first: $first, after: $after, last: $last, before: $before) { ...page }
    contacts(first: $first, after: $after, last: $last, before: $before) { ...page }
    contactsCount } }
fragment page on UserConnection { totalCount edges { cursor node { handle } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }"""
REQUESTS = """{ me {
  incomingContactRequests { totalCount edges { node { userId message requestedAt
    user { handle } } } }
  outgoingContactRequests { totalCount edges { node { userId message user { handle } } } }
  blockedUsers { totalCount edges { node { userId blockedAt user { handle } } } } } }"""


async def act(
    api: Api, name: str, actor: Person | None, target: Person | str, message: str | None = None
) -> dict[str, Any]:
    kind = "RequestContactInput" if name == "requestContact" else "UserIdInput"
    user_id = target if isinstance(target, str) else target.id
    given: dict[str, Any] = {"userId": user_id}
    if message is not None:
        given["message"] = message
    query = (
        f"mutation($input: {kind}!) {{ {name}(input: $input) {{ __typename "
        "... on MutationError { code message reason } "
        f"... on ValidationError {{ fields {{ field message }} }} {RELATION} }} }}"
    )
    data = await api.query(query, {"input": given}, actor.token if actor else None)
    return data[name]  # type: ignore[no-any-return]


async def lists(api: Api, owner: Person, viewer: Person | None, **page: Any) -> dict[str, Any]:
    variables = {"h": owner.handle} | page
    data = await api.query(LISTS, variables, viewer.token if viewer else None)
    return data["user"]  # type: ignore[no-any-return]


def handles(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["handle"] for edge in connection["edges"]]


async def audit_count(api: Api, target: Person, action: str) -> int:
    return len(await audit(api, "User", target.id, "User", action))


async def contact_relationships(api: Api, a: Person, b: Person) -> int:
    rows = await api.runtime.services.stores.graph.read(
        "MATCH (:User {id: $a})-[r:CONTACT]-(:User {id: $b}) RETURN count(r) AS n",
        a=local_id(a.id, "User"),
        b=local_id(b.id, "User"),
    )
    return rows[0]["n"]  # type: ignore[no-any-return]
