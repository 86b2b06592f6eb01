"""Live updates over graphql-transport-ws."""

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.fanout import Listener, SubscriberTooSlow
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
                award_id = decode(message)["payload"]["id"]
                forget(info.context.loaders.award_by_id, award_id)
                award = await award_by_id(info, award_id)
                if award is not None:
                    yield award
