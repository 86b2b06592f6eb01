"""Kept only for resolvers/badges.py until its reads move to a services read view (the
catalogue's part of issue 12); the loaders themselves live in services/club_reads.py and
services/peer_award_reads.py. Delete this module with its last caller."""

from odznaka_graph.context import Info
from odznaka_graph.services import club_reads


async def viewer_club_role(info: Info, club_id: str) -> str | None:
    """The viewer's role in a club (None if not a member, or signed out)."""
    return await club_reads.viewer_role(info.context.loaders, club_id)
