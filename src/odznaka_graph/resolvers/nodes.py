"""node(id:) and nodes(ids:): any entity by global id, with the same read rules."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import from_global
from odznaka_graph.resolvers.accounts import user_by_id
from odznaka_graph.resolvers.awards import award_by_id
from odznaka_graph.resolvers.badges import badge_by_id
from odznaka_graph.resolvers.challenges import challenge_by_id
from odznaka_graph.resolvers.clubs import club_by_id
from odznaka_graph.resolvers.events import event_by_id
from odznaka_graph.resolvers.external_credentials import external_credential_by_id
from odznaka_graph.resolvers.notifications import notification_by_id
from odznaka_graph.resolvers.organizations import organization_by_id
from odznaka_graph.resolvers.paths import path_by_id
from odznaka_graph.resolvers.peer_awards import nomination_by_id
from odznaka_graph.resolvers.teams import team_by_id
from odznaka_graph.schema.args import Id, described
from odznaka_graph.schema.arguments import UserInputError
from odznaka_graph.schema.common import Node
from odznaka_graph.schema.decorators import field
from odznaka_graph.schema.skills import Skill
from odznaka_graph.services import skill_reads


async def _skill(info: Info, skill_id: str) -> Skill | None:
    record = await skill_reads.skill(info.context.loaders, skill_id)
    return Skill(record=record) if record else None


RESOLVERS: dict[str, Callable[[Info, str], Awaitable[Node | None]]] = {
    "User": user_by_id,
    "Organization": organization_by_id,
    "Badge": badge_by_id,
    "Award": award_by_id,
    "Skill": _skill,
    "Event": event_by_id,
    "Club": club_by_id,
    "Nomination": nomination_by_id,
    "Team": team_by_id,
    "Path": path_by_id,
    "Notification": notification_by_id,
    "ExternalCredential": external_credential_by_id,
    "Challenge": challenge_by_id,
}


async def resolve_node(info: Info, global_id: str) -> Node | None:
    decoded = from_global(global_id)
    if decoded is None or decoded[0] not in RESOLVERS:
        return None
    type_name, entity_id = decoded
    return await RESOLVERS[type_name](info, entity_id)


@strawberry.type
class NodeQueries:
    @field(description="Any object by its global id, or null if unseen or unknown.")
    async def node(self, info: Info, id: Id) -> Node | None:
        return await resolve_node(info, id)

    @field(description="Several objects by global id, in order; null where unseen.")
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], described("Global ids; the answer keeps their order.")],
    ) -> list[Node | None]:
        if len(ids) > info.context.services.stores.settings.max_page_size:
            raise UserInputError("Ask for at most 100 ids at once.")
        return list(await asyncio.gather(*(resolve_node(info, i) for i in ids)))

    @field(description="Skills whose name contains the text.")
    async def skills(
        self,
        info: Info,
        search: Annotated[str, described("Words in the skill's name; empty: any.")] = "",
        first: Annotated[int, described("At most this many skills.")] = 20,
    ) -> list[Skill]:
        limit = max(0, min(first, info.context.services.stores.settings.max_page_size))
        records = await skill_reads.search(info.context.loaders, search, limit)
        return [Skill(record=record) for record in records]
