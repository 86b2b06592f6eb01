"""Read views of notifications: the viewer's own (anyone else's do not exist) and what
each is about, through the same read rules as node(id:)."""

from collections.abc import Sequence
from typing import NamedTuple

from odznaka_graph.graph_model import peer_awards
from odznaka_graph.graph_model.peer_awards import NominationRecord
from odznaka_graph.ledger import notifications as rows
from odznaka_graph.ledger.notifications import NotificationRecord
from odznaka_graph.paging import Page, Window
from odznaka_graph.services import award_reads, badge_reads, path_reads
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.notifications import from_message
from odznaka_graph.services.visibility import can_see_nomination

__all__ = ["NotificationRecord"]


class Subject(NamedTuple):
    """What a notification is about: its type name and its record."""

    type_name: str
    record: object


async def notifications(
    loaders: Loaders, user_id: str, window: Window, unread_only: bool
) -> tuple[Page[NotificationRecord], int] | None:
    """A page of the viewer's notifications, newest first, and how many are unread; None
    for anyone else's."""
    if loaders.viewer.id is None or loaders.viewer.id != user_id:
        return None
    async with loaders.ledger.reading() as conn:
        found = await rows.page(conn, user_id, window, unread_only)
        unread = found.total if unread_only else await rows.count(conn, user_id, True)
    return found, unread


MISSED_MAX = 500  # per catch-up; a client resubscribes from the last sequence for more


async def missed(loaders: Loaders, since: int) -> list[tuple[int, NotificationRecord]]:
    """The viewer's notifications pushed after the live sequence `since`, oldest first,
    with their sequence (at most MISSED_MAX)."""
    if loaders.viewer.id is None:
        return []
    async with loaders.ledger.reading() as conn:
        found = await rows.pushed_since(conn, loaders.viewer.id, since, MISSED_MAX)
    return [(sequence, from_message(payload)) for sequence, payload in found]


async def notification(loaders: Loaders, notification_id: str) -> NotificationRecord | None:
    """One of the viewer's notifications: one query for every id asked in the request."""
    viewer_id = loaders.viewer.id

    async def load(ids: Sequence[str]) -> list[NotificationRecord | None]:
        if viewer_id is None:
            return [None for _ in ids]
        async with loaders.ledger.reading() as conn:
            found = await rows.of_account(conn, viewer_id, list(ids))
        return [found.get(i) for i in ids]

    record: NotificationRecord | None = await loaders.extra("notification_by_id", load).load(
        notification_id
    )
    return record


async def subject(loaders: Loaders, record: NotificationRecord) -> Subject | None:
    """The notification's subject, when the viewer may see it."""
    subject_id = record.subject_id
    if subject_id is None:
        return None
    found: object | None = None
    match record.subject_type:
        case "Award":
            found = await award_reads.award(loaders, subject_id)
        case "Badge":
            found = await badge_reads.badge(loaders, subject_id)
        case "User":
            found = await loaders.visibility.user(subject_id)
        case "Team":
            found = await path_reads.team(loaders, subject_id)
        case "Nomination":
            found = await _nomination(loaders, subject_id)
    return Subject(str(record.subject_type), found) if found is not None else None


async def _nomination(loaders: Loaders, nomination_id: str) -> NominationRecord | None:
    """A nomination, for members of its club only. Shares the request's
    `nomination_by_id` loader with the clubs' own reads."""
    graph, viewer_id = loaders.graph, loaders.viewer.id

    async def load(ids: Sequence[str]) -> list[NominationRecord | None]:
        found = await peer_awards.nominations_by_ids(graph, list(ids), viewer_id)
        return [found.get(i) for i in ids]

    record: NominationRecord | None = await loaders.extra("nomination_by_id", load).load(
        nomination_id
    )
    if record is None:
        return None
    club = await loaders.visibility.club_by_id.load(record.club_id) if viewer_id else None
    role = club.viewer_role if club else None
    return record if can_see_nomination(loaders.viewer, role) else None
