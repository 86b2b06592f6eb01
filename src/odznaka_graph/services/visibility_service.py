"""The one place every reader asks who may see what: GraphQL resolvers and loaders, the
public pages, PDFs, Open Badges hosting, verification, export and subscriptions.

A `Visibility` belongs to one viewer and one request (or one delivered event): it reads
what the rules in `services/visibility.py` need in batches — one query per kind of
record, whatever the number of items asked about — and keeps them for the request.
"""

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from odznaka_graph.graph_model import awards, badges, clubs, gamification, profiles, social, users
from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.badges import BadgeRecord
from odznaka_graph.graph_model.clubs import ClubRecord
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.graph_model.gamification import RankedLearner
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ledger import issuers
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.services.permissions import TEAM_MANAGERS, Action, allowed
from odznaka_graph.services.tokens import ANONYMOUS, Viewer
from odznaka_graph.services.visibility import (
    Audience,
    Reach,
    audience_of,
    award_reach,
    can_see_badge,
    can_see_club,
    can_see_profile,
    can_see_section,
    contact_matters,
    shows_progress,
)

K = TypeVar("K")
V = TypeVar("V")
Issuer = tuple[str | None, str | None]  # a badge's (organisation id, club id)


def by_key(
    fetch: Callable[[Graph, list[K]], Awaitable[dict[K, V]]], graph: Graph, default: Any = None
) -> DataLoader[K, V]:
    async def load(keys: Sequence[K]) -> list[V]:
        found = await fetch(graph, list(keys))
        return [found.get(key, default) for key in keys]

    return DataLoader(load_fn=load)


class Visibility:
    """Answers for one viewer; its loaders are shared with the request's other readers."""

    def __init__(self, graph: Graph, ledger: Ledger, viewer: Viewer = ANONYMOUS) -> None:
        self.viewer = viewer
        self.award_by_id = by_key(awards.awards_by_ids, graph)
        self.user_by_id = by_key(users.users_by_ids, graph)
        self.badge_by_id = by_key(badges.badges_by_ids, graph)
        self.club_by_id = by_key(lambda g, ids: clubs.clubs_by_ids(g, ids, viewer.id), graph)
        self.viewer_contact_by_user = by_key(
            lambda g, ids: profiles.viewer_contacts(g, ids, viewer.id), graph, False
        )
        self.blocked_by = by_key(social.blockers, graph, frozenset())
        self.team_board = by_key(
            lambda g, ids: gamification.boards(g, ids, viewer.id, TEAM_MANAGERS), graph
        )
        self._ledger = ledger
        self._staff_roles: asyncio.Future[dict[str, str]] | None = None

    # --- what the rules need, read once per request ---------------------------------

    async def staff_roles(self) -> dict[str, str]:
        """The viewer's roles in organisations, read once. Concurrent callers share one
        read: an empty placeholder would tell them "no roles" while it runs."""
        if self._staff_roles is None:
            self._staff_roles = asyncio.ensure_future(self._read_staff_roles())
        return await self._staff_roles

    async def _read_staff_roles(self) -> dict[str, str]:
        if self.viewer.id is None:
            return {}
        async with self._ledger.reading() as conn:
            return await issuers.roles_of(conn, self.viewer.id)

    async def blocks_viewer(self, user_id: str) -> bool:
        """Whether the user blocks the viewer (who blocks the viewer is read once)."""
        if self.viewer.id is None or self.viewer.id == user_id:
            return False
        return user_id in await self.blocked_by.load(self.viewer.id)

    async def is_contact(self, user: UserRecord) -> bool:
        """No round trip unless one of the user's settings says CONTACTS."""
        viewer = self.viewer
        if viewer.id is None or viewer.id == user.id or not contact_matters(user):
            return False
        return bool(await self.viewer_contact_by_user.load(user.id))

    async def audience(self, user: UserRecord) -> Audience:
        """Who the viewer is to the user: owner, contact or anyone."""
        return audience_of(self.viewer, user, await self.is_contact(user))

    # --- people -----------------------------------------------------------------------

    async def profile_visible(self, user: UserRecord) -> bool:
        blocked, contact = await asyncio.gather(self.blocks_viewer(user.id), self.is_contact(user))
        return can_see_profile(self.viewer, user, contact, blocked)

    async def user(self, user_id: str) -> UserRecord | None:
        """A profile the viewer may open."""
        record = await self.user_by_id.load(user_id)
        return record if record is not None and await self.profile_visible(record) else None

    async def person(self, user_id: str) -> UserRecord | None:
        """Someone named on a record the viewer may see (an award's holder or issuer):
        there unless they block the viewer; their sections keep their own rules."""
        record, blocked = await asyncio.gather(
            self.user_by_id.load(user_id), self.blocks_viewer(user_id)
        )
        return None if blocked else record

    async def sees_section(self, user: UserRecord, section: str) -> bool:
        """A profile section (awards, skills, featured, contacts); nothing of someone who
        blocks the viewer."""
        blocked, contact = await asyncio.gather(self.blocks_viewer(user.id), self.is_contact(user))
        if blocked:
            return False
        return can_see_section(audience_of(self.viewer, user, contact), user, section)

    async def shares_progress(self, member_ids: Sequence[str], team_role: str | None) -> set[str]:
        """The team members whose points, ranks and credential events reach the viewer:
        all of them for the team's teachers and leaders; else the viewer's own, and those
        whose profile shows the viewer their awards (a blocker's never). One read of the
        members whatever their number (a class's leaderboard and live activity)."""
        if allowed(Action.SEE_TEAM_PROGRESS, self.viewer, team_role):
            return set(member_ids)
        records = [r for r in await self.user_by_id.load_many(list(member_ids)) if r]
        facts = await asyncio.gather(*(self._relation(r) for r in records))
        return {
            r.id
            for r, (blocks, contact) in zip(records, facts, strict=True)
            if shows_progress(self.viewer, r, blocks, contact)
        }

    async def _relation(self, user: UserRecord) -> tuple[bool, bool]:
        """Whether the user blocks the viewer, and whether they are contacts."""
        return await asyncio.gather(self.blocks_viewer(user.id), self.is_contact(user))

    def shares_progress_among(
        self, learners: Sequence[RankedLearner], team_role: str | None
    ) -> list[RankedLearner]:
        """`shares_progress` for learners read with their facts (a team's board: one read
        of the team, its learners and their relation to the viewer)."""
        if allowed(Action.SEE_TEAM_PROGRESS, self.viewer, team_role):
            return list(learners)
        return [x for x in learners if shows_progress(self.viewer, x, x.blocks_viewer, x.contact)]

    # --- clubs and badges -------------------------------------------------------------

    async def club(self, club_id: str) -> ClubRecord | None:
        record = await self.club_by_id.load(club_id)
        return record if record is not None and can_see_club(self.viewer, record) else None

    async def badge(self, badge_id: str) -> BadgeRecord | None:
        record = await self.badge_by_id.load(badge_id)
        if record is None or can_see_badge(self.viewer, record, {}):
            return record  # a public badge needs no look-up of the viewer's roles
        role = None
        if record.club_id is not None and self.viewer.id is not None:
            club = await self.club_by_id.load(record.club_id)
            role = club.viewer_role if club else None
        if not can_see_badge(self.viewer, record, await self.staff_roles(), role):
            return None
        return record

    async def issuer_exists(self, issuer_id: str) -> bool:
        """An organisation, or a club the viewer may see (a members-only club's credentials
        and keys do not exist for outsiders)."""
        club = await self.club_by_id.load(issuer_id)
        return club is None or can_see_club(self.viewer, club)

    # --- awards -----------------------------------------------------------------------

    async def reach(
        self, records: Sequence[AwardRecord], known: Mapping[str, Issuer] | None = None
    ) -> list[Reach]:
        """How far each award reaches the viewer, in order. `known` gives badges' issuers
        when the caller read them already (the ledger is ahead of the graph)."""
        issuer_of = dict(known or {})
        missing = sorted({r.badge_id for r in records if r.badge_id not in issuer_of})
        for badge in await self.badge_by_id.load_many(missing):
            if badge is not None:
                issuer_of[badge.id] = (badge.organization_id, badge.club_id)
        holders = [r.recipient_id for r in records if r.recipient_id]
        club_ids = [c for _, c in (issuer_of.get(r.badge_id, (None, None)) for r in records) if c]
        found_users, found_clubs, roles = await asyncio.gather(
            self.user_by_id.load_many(holders),
            self.club_by_id.load_many(club_ids),
            self.staff_roles(),
        )
        people = {u.id: u for u in found_users if u is not None}
        groups = {c.id: c for c in found_clubs if c is not None}
        return list(
            await asyncio.gather(
                *(self._reach(r, people, groups, issuer_of, roles) for r in records)
            )
        )

    async def _reach(
        self,
        record: AwardRecord,
        people: dict[str, UserRecord],
        groups: dict[str, ClubRecord],
        issuer_of: dict[str, Issuer],
        roles: dict[str, str],
    ) -> Reach:
        if record.badge_id not in issuer_of:  # not in the graph yet: only its own people
            mine = self.viewer.id in (record.recipient_id, record.awarded_by_id)
            return Reach.SHOWN if mine and self.viewer.id else Reach.HIDDEN
        issuer = issuer_of[record.badge_id]
        holder = people.get(record.recipient_id) if record.recipient_id else None
        blocked, contact = False, False
        if holder is not None:
            blocked, contact = await asyncio.gather(
                self.blocks_viewer(holder.id), self.is_contact(holder)
            )
        club = groups.get(issuer[1]) if issuer[1] else None
        return award_reach(self.viewer, record, holder, issuer, roles, club, contact, blocked)

    async def awards(self, ids: Sequence[str]) -> list[AwardRecord | None]:
        """The awards the viewer may see, in order; None where not."""
        records = await self.award_by_id.load_many(list(ids))
        present = [r for r in records if r is not None]
        reaches = dict(zip([r.id for r in present], await self.reach(present), strict=True))
        return [r if r is not None and reaches[r.id] is Reach.SHOWN else None for r in records]

    async def award(self, award_id: str) -> AwardRecord | None:
        return (await self.awards([award_id]))[0]
