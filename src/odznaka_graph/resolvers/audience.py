"""Who the viewer is to a profile: owner, contact or anyone, looked up only when it matters.
The answers come from the request's visibility service (services/visibility_service.py)."""

from odznaka_graph.context import Info
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.services.visibility import Audience, audience_of


async def is_contact(info: Info, user: UserRecord) -> bool:
    """Whether the viewer is the user's contact; no round trip unless a setting says CONTACTS."""
    return await info.context.loaders.visibility.is_contact(user)


async def audience(info: Info, user: UserRecord) -> Audience:
    return audience_of(info.context.viewer, user, await is_contact(info, user))


async def blocks_viewer(info: Info, user: UserRecord) -> bool:
    """Whether the user blocks the viewer; who blocks the viewer is read once per request."""
    return await info.context.loaders.visibility.blocks_viewer(user.id)


async def profile_visible(info: Info, user: UserRecord) -> bool:
    return await info.context.loaders.visibility.profile_visible(user)
