"""Live updates over graphql-transport-ws."""

from collections.abc import AsyncGenerator

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.errors import Unauthenticated
from odznaka_graph.pubsub import user_channel
from odznaka_graph.resolvers.awards import award_by_id
from odznaka_graph.resolvers.loaders import forget
from odznaka_graph.schema.awards import Award


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Credentials awarded to the signed-in user.")
    async def award_received(self, info: Info) -> AsyncGenerator[Award, None]:
        viewer = info.context.viewer
        if viewer.id is None:
            raise Unauthenticated("Send your access token in connection_init first.")
        pubsub = info.context.services.pubsub
        async for message in pubsub.messages(user_channel(viewer.id)):
            forget(info.context.loaders.award_by_id, message["payload"]["id"])
            award = await award_by_id(info, message["payload"]["id"])
            if award is not None:
                yield award
