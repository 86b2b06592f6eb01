"""Live updates over graphql-transport-ws."""

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.fanout import Listener, SubscriberTooSlow
from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.pubsub import decode, user_channel
from odznaka_graph.resolvers.awards import award_by_id
from odznaka_graph.resolvers.common import ClientError
from odznaka_graph.resolvers.loaders import forget
from odznaka_graph.schema.awards import Award


def signed_in(info: Info) -> str:
    viewer = info.context.viewer
    if viewer.id is None:
        raise ClientError("Send your access token in connection_init first.", "UNAUTHENTICATED")
    return viewer.id


@asynccontextmanager
async def listening(info: Info, channel: str) -> AsyncIterator[Listener]:
    """A channel's messages; a subscriber that falls behind gets a clear error to act on."""
    try:
        async with info.context.services.pubsub.listen(channel) as listener:
            yield listener
    except SubscriberTooSlow as error:
        raise ClientError(str(error), "SUBSCRIBER_TOO_SLOW") from None


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Credentials awarded to the signed-in user.")
    async def award_received(self, info: Info) -> AsyncGenerator[Award, None]:
        async with listening(info, user_channel(signed_in(info))) as listener:
            async for message in listener:
                event = decode(message)
                award = _issued(event) or await _read(info, event["payload"]["id"])
                if award is not None:
                    yield award


def _issued(event: dict[str, Any]) -> Award | None:
    """A newly issued award carries all it is in the event: no read per subscriber."""
    if event["topic"] != "award.issued":
        return None
    p = event["payload"]
    record = AwardRecord(
        id=p["id"],
        badge_id=p["badgeId"],
        recipient_id=p["recipientId"],
        awarded_by_id=p["awardedBy"],
        issued_at=datetime.fromisoformat(p["issuedAt"]),
        expires_at=datetime.fromisoformat(p["expiresAt"]) if p.get("expiresAt") else None,
        evidence=[
            {"url": e.get("url") or "", "narrative": e.get("narrative") or ""}
            for e in p.get("evidence") or []
        ],
        revoked_at=None,
        revoke_reason=None,
    )
    return Award(record=record)


async def _read(info: Info, award_id: str) -> Award | None:
    forget(info.context.loaders.award_by_id, award_id)
    return await award_by_id(info, award_id)
