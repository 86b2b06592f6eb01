"""updateGamificationSettings: a command of its own, which leaves an audit row."""

import sqlalchemy as sa

from odznaka_graph.ids import local_id
from odznaka_graph.ledger.tables import audit_log
from tests.helpers import Api, register

SETTINGS = "... on GamificationSettings { hideRankOutsideClass }"


async def _audit(api: Api, user_id: str) -> list[tuple[str, str | None, dict]]:  # type: ignore[type-arg]
    subject = (audit_log.c.subject_type == "User") & (audit_log.c.subject_id == user_id)
    query = sa.select(audit_log.c.action, audit_log.c.actor_id, audit_log.c.data)
    async with api.runtime.services.stores.ledger.reading() as conn:
        rows = await conn.execute(query.where(subject).order_by(audit_log.c.id))
    return [(r.action, r.actor_id, r.data) for r in rows if r.action.startswith("gamification.")]


async def test_a_settings_change_is_audited_and_read_back_signed_out_none(api: Api) -> None:
    me = await register(api)
    saved = await api.mutate(
        "updateGamificationSettings", {"hideRankOutsideClass": True}, SETTINGS, me.token
    )
    assert saved == {"__typename": "GamificationSettings", "hideRankOutsideClass": True}
    read = await api.query(
        "{ me { gamificationSettings { hideRankOutsideClass } } }", token=me.token
    )
    assert read["me"]["gamificationSettings"] == {"hideRankOutsideClass": True}
    user_id = local_id(me.id, "User")
    assert await _audit(api, user_id) == [
        ("gamification.settings_changed", user_id, {"id": user_id, "hideRankOutsideClass": True})
    ]

    # signed out: refused, and nothing more recorded
    refused = await api.mutate(
        "updateGamificationSettings", {"hideRankOutsideClass": False}, SETTINGS
    )
    assert (refused["__typename"], refused["code"]) == ("PermissionDeniedError", "UNAUTHENTICATED")
    assert len(await _audit(api, user_id)) == 1
