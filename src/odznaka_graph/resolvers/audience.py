"""Who the viewer is to a profile: owner, contact or anyone, looked up only when it matters."""

from odznaka_graph.context import Info
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.services.visibility import (
    Audience,
    audience_of,
    can_see_profile,
    contact_matters,
)


async def is_contact(info: Info, user: UserRecord) -> bool:
    """Whether the viewer is the user's contact; no round trip unless a setting says CONTACTS."""
    viewer = info.context.viewer
    if viewer.id is None or viewer.id == user.id or not contact_matters(user):
        return False
    return bool(await info.context.loaders.viewer_contact_by_user.load(user.id))


async def audience(info: Info, user: UserRecord) -> Audience:
    return audience_of(info.context.viewer, user, await is_contact(info, user))


async def blocks_viewer(info: Info, user: UserRecord) -> bool:
    """Whether the user blocks the viewer; who blocks the viewer is read once per request."""
    viewer = info.context.viewer
    if viewer.id is None or viewer.id == user.id:
        return False
    return user.id in await info.context.loaders.blocked_by.load(viewer.id)


async def profile_visible(info: Info, user: UserRecord) -> bool:
    blocked = await blocks_viewer(info, user)
    return can_see_profile(info.context.viewer, user, await is_contact(info, user), blocked)
