"""Who hosts an event (issue 15): an organisation's staff, a team's teachers and leaders
(a class's also the school's admins), a club's owners and moderators. They create the
host's events and, for each event, see who registered, show the check-in code, confirm
attendance and follow the live count (`visibility.hosts_event` for a read record)."""

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.errors import NotFound
from odznaka_graph.graph_model import teams
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.graph_model.events import EventRecord
from odznaka_graph.outcomes import TeamReason
from odznaka_graph.services.clubs import visible_club
from odznaka_graph.services.permissions import Action, allowed, require, require_staff, signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import manages_class


async def require_host(
    conn: AsyncConnection, graph: Graph, viewer: Viewer, host_type: str, host_id: str
) -> str:
    """The viewer's id when they may host events of this organisation, team or club; else
    NotFound (a team or members-only club they may not see) or PermissionDenied."""
    if host_type == "Organization":
        return await require_staff(conn, viewer, host_id, Action.EDIT_BADGES)
    if host_type == "Club":
        club = await visible_club(graph, viewer, host_id)
        return require(Action.MODERATE_CLUB, viewer, club.viewer_role)
    found = await teams.access(graph, host_id, viewer.id)
    if found is not None and manages_class(viewer, found.kind, found.role, found.staff_role):
        return signed_in(viewer)
    if found is None or not allowed(Action.SEE_TEAM, viewer, found.role):
        signed_in(viewer)
        raise NotFound("No such team.", reason=TeamReason.TEAM_NOT_FOUND)
    return require(Action.MANAGE_TEAM, viewer, found.role)


async def require_event_host(conn: AsyncConnection, viewer: Viewer, event: EventRecord) -> str:
    """As `require_host`, for an event read with the viewer's roles in its host."""
    if event.host_type == "Organization":
        return await require_staff(conn, viewer, event.host_id, Action.AWARD_BADGES)
    if event.host_type == "Club":
        return require(Action.MODERATE_CLUB, viewer, event.viewer_host_role)
    kind, role = event.host_kind or "", event.viewer_host_role
    if manages_class(viewer, kind, role, event.viewer_school_role):
        return signed_in(viewer)
    return require(Action.MANAGE_TEAM, viewer, role)
