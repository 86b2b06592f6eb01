"""Which mail a person gets (issue 14): their choice per optional kind, changed by a
mutation or by the one-click unsubscribe link (RFC 8058) in each such mail."""

import hmac
from dataclasses import dataclass

from odznaka_graph.errors import ValidationFailed
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ledger import mail as rows
from odznaka_graph.mail.kinds import OPTIONAL, MailKind, wanted
from odznaka_graph.mail.render import unsubscribe_signature
from odznaka_graph.outcomes import InputReason
from odznaka_graph.services.base import Stores
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer


@dataclass(frozen=True)
class PreferenceRecord:
    kind: MailKind
    enabled: bool


async def notification_preferences(
    loaders: Loaders, user: UserRecord
) -> list[PreferenceRecord] | None:
    """The viewer's own choices, every optional kind listed; None for anyone else."""
    return await own_preferences(loaders) if loaders.viewer.id == user.id else None


async def own_preferences(loaders: Loaders) -> list[PreferenceRecord]:
    """The signed-in viewer's choices (defaults when signed out)."""
    chosen = rows.Preferences(None, {})
    if loaders.viewer.id is not None:
        async with loaders.ledger.reading() as conn:
            chosen = await rows.preferences(conn, loaders.viewer.id)
    return [PreferenceRecord(kind, wanted(kind, chosen.choices)) for kind in OPTIONAL]


class MailPreferenceService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def set_preferences(self, viewer: Viewer, changes: dict[MailKind, bool]) -> str:
        account_id = signed_in(viewer)
        fixed = [kind.value for kind in changes if kind not in OPTIONAL]
        if fixed:
            raise ValidationFailed(
                {"preferences": f"Always sent, cannot be turned off: {', '.join(fixed)}."},
                reason=InputReason.INVALID_INPUT,
            )
        await self._choose(account_id, {kind.value: on for kind, on in changes.items()})
        return account_id

    async def unsubscribe(self, account_id: str, kind: str, signature: str) -> bool:
        """Turn a kind off by the signed link in its mail; False when the link is wrong."""
        secret = self.stores.settings.jwt_secret.get_secret_value()
        expected = unsubscribe_signature(secret, account_id, kind)
        if kind not in {k.value for k in OPTIONAL} or not hmac.compare_digest(expected, signature):
            return False
        await self._choose(account_id, {kind: False})
        return True

    async def _choose(self, account_id: str, choices: dict[str, bool]) -> None:
        async with self.stores.ledger.transaction() as conn:
            chosen = await rows.preferences(conn, account_id)
            merged = rows.Preferences(chosen.locale, chosen.choices | choices)
            await rows.save_preferences(conn, account_id, merged)
