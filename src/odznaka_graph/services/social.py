"""The social graph: following, contacts by request and accept, and blocking.

These are community graph data with no ledger meaning, so they are written to Neo4j
directly: each change locks both users and reads where they stand in the same graph
transaction as the write, which an outbox projection (applied later) could not do. A
change that happened then leaves an audit row and an outbox event (`user.followed`,
`contact.requested`, ...; no projection handler, so the relay marks them done and
notifications can pick them up). Repeating a change changes nothing and records nothing.

Who may: any signed-in user (no role in any scope), subject to the object rules below.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, ValidationFailed
from odznaka_graph.graph_model import social as social_graph
from odznaka_graph.graph_model.driver import Tx
from odznaka_graph.graph_model.social import Relation
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import AccountReason, SocialReason
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model

NO_SUCH_USER = "No such user."
# What a change did (the audit action and its details); None when it changed nothing.
Done = tuple[str, dict[str, Any]] | None
Change = Callable[[Tx, Relation, datetime], Awaitable[Done]]


class ContactRequestInput(Model):
    message: Annotated[str, Field(max_length=500)] | None = None


# The object rules. A user who blocks the actor does not exist for the actor (the same
# answer as an unknown id, so a block is never revealed); a user the actor blocks must be
# unblocked before anything else.


def other_than_self(actor_id: str, target_id: str) -> None:
    if actor_id == target_id:
        raise ValidationFailed({"userId": "That is you."}, reason=SocialReason.TARGET_IS_SELF)


def target_there(relation: Relation | None) -> Relation:
    if relation is None or relation.blocked_by:
        raise NotFound(NO_SUCH_USER, reason=AccountReason.USER_NOT_FOUND)
    return relation


def not_blocking(relation: Relation) -> None:
    if relation.blocks:
        raise Conflict(
            "You have blocked this user; unblock them first.", reason=SocialReason.USER_BLOCKED
        )


class SocialService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def follow(self, viewer: Viewer, target_id: str) -> str:
        actor = signed_in(viewer)

        async def change(tx: Tx, relation: Relation, at: datetime) -> Done:
            not_blocking(relation)
            if relation.follows:
                return None
            await social_graph.follow(tx, actor, target_id, at)
            return "user.followed", {}

        return await self._apply(actor, target_id, change)

    async def unfollow(self, viewer: Viewer, target_id: str) -> str:
        actor = signed_in(viewer)

        async def change(tx: Tx, relation: Relation, at: datetime) -> Done:
            if not relation.follows:
                return None
            await social_graph.remove(tx, actor, target_id, outgoing=["FOLLOWS"])
            return "user.unfollowed", {}

        return await self._apply(actor, target_id, change)

    async def request_contact(self, viewer: Viewer, target_id: str, message: str | None) -> str:
        """Ask to become contacts; when the other side asked first, they are contacts now."""
        actor = signed_in(viewer)
        request = parse(ContactRequestInput, {"message": message})

        async def change(tx: Tx, relation: Relation, at: datetime) -> Done:
            not_blocking(relation)
            if relation.contact or relation.request_sent:
                return None
            if relation.request_received:
                await social_graph.connect(tx, actor, target_id, at)
                return "contact.accepted", {"mutual": True}
            await social_graph.request_contact(tx, actor, target_id, request.message, at)
            return "contact.requested", {"message": request.message}

        return await self._apply(actor, target_id, change)

    async def accept_contact(self, viewer: Viewer, requester_id: str) -> str:
        actor = signed_in(viewer)

        async def change(tx: Tx, relation: Relation, at: datetime) -> Done:
            not_blocking(relation)
            if relation.contact:
                return None
            if not relation.request_received:
                raise NotFound(
                    "No contact request from this user.",
                    reason=SocialReason.CONTACT_REQUEST_NOT_FOUND,
                )
            await social_graph.connect(tx, actor, requester_id, at)
            return "contact.accepted", {"mutual": False}

        return await self._apply(actor, requester_id, change)

    async def decline_contact(self, viewer: Viewer, requester_id: str) -> str:
        actor = signed_in(viewer)

        async def change(tx: Tx, relation: Relation, at: datetime) -> Done:
            if not relation.request_received:
                return None
            await social_graph.remove(tx, actor, requester_id, incoming=["CONTACT_REQUEST"])
            return "contact.declined", {}

        return await self._apply(actor, requester_id, change)

    async def remove_contact(self, viewer: Viewer, target_id: str) -> str:
        """End a contact, or withdraw one's own pending request."""
        actor = signed_in(viewer)

        async def change(tx: Tx, relation: Relation, at: datetime) -> Done:
            if not (relation.contact or relation.request_sent):
                return None
            await social_graph.remove(
                tx, actor, target_id, outgoing=["CONTACT", "CONTACT_REQUEST"], incoming=["CONTACT"]
            )
            return "contact.removed", {"wasContact": relation.contact}

        return await self._apply(actor, target_id, change)

    async def block(self, viewer: Viewer, target_id: str) -> str:
        """Block a user: follows both ways, pending requests and the contact go."""
        actor = signed_in(viewer)

        async def change(tx: Tx, relation: Relation, at: datetime) -> Done:
            if relation.blocks:
                return None
            every = ["FOLLOWS", "CONTACT_REQUEST", "CONTACT"]
            await social_graph.remove(tx, actor, target_id, outgoing=every, incoming=every)
            await social_graph.block(tx, actor, target_id, at)
            return "user.blocked", {"wasContact": relation.contact}

        return await self._apply(actor, target_id, change)

    async def unblock(self, viewer: Viewer, target_id: str) -> str:
        actor = signed_in(viewer)

        async def change(tx: Tx, relation: Relation, at: datetime) -> Done:
            if not relation.blocks:
                return None
            await social_graph.remove(tx, actor, target_id, outgoing=["BLOCKS"])
            return "user.unblocked", {}

        return await self._apply(actor, target_id, change)

    async def _apply(self, actor: str, target_id: str, change: Change) -> str:
        """Lock the pair, check the rules, change, and audit what changed (if anything).
        Returns the target's id."""
        other_than_self(actor, target_id)
        at = now()

        async def in_graph(tx: Tx) -> Done:
            relation = target_there(await social_graph.lock_pair(tx, actor, target_id))
            return await change(tx, relation, at)

        done = await self.stores.graph.in_transaction(in_graph)
        if done is not None:
            action, details = done
            payload = {"userId": actor, "targetId": target_id, "at": at.isoformat(), **details}
            await self.stores.commit(lambda conn: _audit(conn, actor, target_id, action, payload))
        return target_id


async def _audit(
    conn: AsyncConnection, actor: str, target_id: str, action: str, payload: dict[str, Any]
) -> None:
    await record(
        conn,
        actor_id=actor,
        action=action,
        subject_type="User",
        subject_id=target_id,
        payload=payload,
    )
