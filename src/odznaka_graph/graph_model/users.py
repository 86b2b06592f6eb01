"""User nodes: the public side of an account."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph, Tx, native

UPSERT_USER: LiteralString = """
MERGE (u:User {id: $id})
ON CREATE SET u.createdAt = $createdAt
SET u.handle = $handle, u.displayName = $displayName
"""

UPDATE_PROFILE: LiteralString = """
MATCH (u:User {id: $id})
SET u += $props
"""

USERS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (u:User {id: id})
RETURN u {.*} AS user
"""

USER_BY_HANDLE: LiteralString = "MATCH (u:User {handle: $handle}) RETURN u {.*} AS user"

# Parts of a profile whose visibility the owner sets apart from the profile's own;
# each is stored on the User node as `<section>Visibility`.
PROFILE_SECTIONS = ("awards", "skills", "featured", "contacts")


@dataclass(frozen=True)
class UserRecord:
    id: str
    handle: str
    display_name: str
    bio: str | None
    avatar_url: str | None
    locale: str | None
    visibility: str
    created_at: datetime
    sections: dict[str, str] = field(default_factory=dict)
    featured_award_ids: list[str] = field(default_factory=list)
    # Where the user lives or studies (latitude, longitude, address), for nearby events;
    # the owner's to see only.
    home: tuple[float, float, str] | None = None
    # A pupil enrolled by their teacher (issue 15); `guarded`: under 16 without a
    # guardian's consent, so never public (services/visibility.py).
    pupil: bool = False
    guarded: bool = False
    hidden: bool = False  # hidden by a moderator's decision on a report (issue 15)


def to_user(props: dict[str, Any]) -> UserRecord:
    return UserRecord(
        id=props["id"],
        handle=props["handle"],
        display_name=props.get("displayName") or props["handle"],
        bio=props.get("bio"),
        avatar_url=props.get("avatarUrl"),
        locale=props.get("locale"),
        visibility=props.get("visibility") or "PUBLIC",
        created_at=native(props["createdAt"]),
        sections={s: props.get(f"{s}Visibility") or "PUBLIC" for s in PROFILE_SECTIONS},
        featured_award_ids=list(props.get("featuredAwardIds") or []),
        home=_home(props),
        pupil=bool(props.get("pupil")),
        guarded=bool(props.get("minorProtected")),
        hidden=bool(props.get("hidden")),
    )


def _home(props: dict[str, Any]) -> tuple[float, float, str] | None:
    if props.get("homeLatitude") is None or props.get("homeLongitude") is None:
        return None
    return (props["homeLatitude"], props["homeLongitude"], props.get("homeAddress") or "")


async def upsert_user(tx: Tx, id: str, handle: str, display_name: str, created_at: Any) -> None:
    await tx.run(UPSERT_USER, id=id, handle=handle, displayName=display_name, createdAt=created_at)


async def update_profile(tx: Tx, id: str, props: dict[str, Any]) -> None:
    await tx.run(UPDATE_PROFILE, id=id, props=props)


# deleteMyAccount (issue 14): during the grace period the profile is PRIVATE, so every read
# path that honours the visibility (the visibility service and its Cypher mirrors) hides
# it; signing in again restores the visibility chosen. Guarded, so replays change nothing.
HIDE_FOR_DELETION: LiteralString = """
MATCH (u:User {id: $id}) WHERE u.deletionPending IS NULL
SET u.deletionPending = true, u.visibilityBeforeDeletion = coalesce(u.visibility, 'PUBLIC'),
    u.visibility = 'PRIVATE'
"""
SHOW_AFTER_CANCEL: LiteralString = """
MATCH (u:User {id: $id}) WHERE u.deletionPending
SET u.visibility = u.visibilityBeforeDeletion
REMOVE u.deletionPending, u.visibilityBeforeDeletion
"""


async def hide_for_deletion(tx: Tx, id: str, pending: bool) -> None:
    await tx.run(HIDE_FOR_DELETION if pending else SHOW_AFTER_CANCEL, id=id)


async def users_by_ids(graph: Graph, ids: list[str]) -> dict[str, UserRecord]:
    rows = await graph.read(USERS_BY_IDS, ids=ids)
    return {row["user"]["id"]: to_user(row["user"]) for row in rows}


async def user_by_handle(graph: Graph, handle: str) -> UserRecord | None:
    rows = await graph.read(USER_BY_HANDLE, handle=handle)
    return to_user(rows[0]["user"]) if rows else None
