"""Read views of peer awards: nominations and their vouches (club members only), and what
the peer-award commands return."""

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from odznaka_graph.errors import NotFound
from odznaka_graph.graph_model import peer_awards
from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.badges import BadgeRecord
from odznaka_graph.graph_model.clubs import ClubRecord
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.graph_model.keyed_pages import PageKey
from odznaka_graph.graph_model.peer_awards import NominationRecord, VouchRecord
from odznaka_graph.ledger import credentials
from odznaka_graph.outcomes import AwardReason, BadgeReason, PeerAwardReason
from odznaka_graph.paging import Page, Window
from odznaka_graph.services.club_reads import page_of, viewer_role
from odznaka_graph.services.loaders import Loaders, forget
from odznaka_graph.services.permissions import Action, allowed
from odznaka_graph.services.profiles import award_record
from odznaka_graph.services.visibility import can_see_nomination


def _nominations_by_id(loaders: Loaders) -> DataLoader[str, NominationRecord | None]:
    viewer_id = loaders.viewer.id

    async def load(ids: list[str]) -> list[NominationRecord | None]:
        found = await peer_awards.nominations_by_ids(loaders.graph, ids, viewer_id)
        return [found.get(nomination_id) for nomination_id in ids]

    return loaders.extra("nomination_by_id", load)


async def nomination(
    loaders: Loaders, nomination_id: str, fresh: bool = False
) -> NominationRecord | None:
    """A nomination, for members of its club only (as node(id:) too)."""
    loader = _nominations_by_id(loaders)
    if fresh:
        forget(loader, nomination_id)
    record = await loader.load(nomination_id)
    if record is None:
        return None
    role = await viewer_role(loaders, record.club_id)
    return record if can_see_nomination(loaders.viewer, role) else None


async def changed_nomination(loaders: Loaders, nomination_id: str) -> NominationRecord:
    """The nomination a command just changed."""
    found = await nomination(loaders, nomination_id, fresh=True)
    if found is None:
        raise NotFound("No such nomination.", reason=PeerAwardReason.NOMINATION_NOT_FOUND)
    return found


async def nominations(
    loaders: Loaders, club: ClubRecord, status: str | None, window: Window
) -> Page[NominationRecord] | None:
    """A club's nominations, newest first; None for anyone but its members."""
    if not allowed(Action.ACT_IN_CLUB, loaders.viewer, club.viewer_role):
        return None
    viewer_id = loaders.viewer.id

    async def fetch(graph: Graph, keys: Sequence[PageKey]) -> dict[PageKey, Page[NominationRecord]]:
        return dict(await peer_awards.nomination_pages(graph, keys, status, viewer_id))

    return await page_of(loaders, f"nominations_by_club:{status}", fetch, club.id, window)


async def vouches(loaders: Loaders, record: NominationRecord, window: Window) -> Page[VouchRecord]:
    """Who vouched, first vouch first (the caller may see the nomination)."""
    return await page_of(
        loaders, "vouches_by_nomination", peer_awards.vouch_pages, record.id, window
    )


async def changed_badge(loaders: Loaders, badge_id: str) -> BadgeRecord:
    """The peer badge a command just created."""
    forget(loaders.badge_by_id, badge_id)
    found = await loaders.visibility.badge(badge_id)
    if found is None:
        raise NotFound("No such badge.", reason=BadgeReason.BADGE_NOT_FOUND)
    return found


async def revoked_award(loaders: Loaders, award_id: str) -> AwardRecord:
    """The award as the ledger holds it just after its revocation (the graph follows)."""
    async with loaders.ledger.reading() as conn:
        row = await credentials.award(conn, award_id)
    if row is None:
        raise NotFound("No such award.", reason=AwardReason.AWARD_NOT_FOUND)
    return award_record(row)
