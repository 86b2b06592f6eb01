"""Read views of accounts: people by id or handle, as the viewer may see them, and the
viewer's own e-mail addresses."""

from dataclasses import dataclass

from odznaka_graph.errors import NotFound
from odznaka_graph.graph_model import users
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ledger import accounts as account_rows
from odznaka_graph.outcomes import AccountReason
from odznaka_graph.services.loaders import Loaders, forget


@dataclass(frozen=True)
class EmailRecord:
    email: str
    verified: bool


async def user(loaders: Loaders, user_id: str | None) -> UserRecord | None:
    """A profile the viewer may open (one batched read per request), or None."""
    return await loaders.visibility.user(user_id) if user_id else None


async def fresh_user(loaders: Loaders, user_id: str) -> UserRecord:
    """The viewer's profile, read again after a change to it."""
    forget(loaders.user_by_id, user_id)
    found = await user(loaders, user_id)
    if found is None:  # the owner always sees their own profile, once it is projected
        raise NotFound("No such user.", reason=AccountReason.USER_NOT_FOUND)
    return found


async def me(loaders: Loaders) -> UserRecord | None:
    return await user(loaders, loaders.viewer.id)


async def user_by_handle(loaders: Loaders, handle: str) -> UserRecord | None:
    record = await users.user_by_handle(loaders.graph, handle.lower())
    if record is None or not await loaders.visibility.profile_visible(record):
        return None
    return record


async def emails(loaders: Loaders, user: UserRecord) -> list[EmailRecord]:
    """The viewer's own addresses; empty for anyone else's profile."""
    if loaders.viewer.id != user.id:
        return []
    async with loaders.ledger.reading() as conn:
        rows = await account_rows.emails_of(conn, user.id)
    return [EmailRecord(row.email, row.verified_at is not None) for row in rows]


def home_place(loaders: Loaders, user: UserRecord) -> tuple[float, float, str] | None:
    """(latitude, longitude, address) of where the user lives or studies; theirs only."""
    return user.home if loaders.viewer.id == user.id else None
