"""The peer-award rules that need no store: which nomination a key names, when an award is
due, the refusals a graph outcome stands for, and the audit entry of a nomination."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from odznaka_graph.errors import Conflict, PermissionDenied, RateLimited, ValidationFailed
from odznaka_graph.graph_model.peer_awards import NominationRecord
from odznaka_graph.ids import new_id
from odznaka_graph.outcomes import AwardReason, ClubReason, PeerAwardReason
from odznaka_graph.services.awards import ALREADY_HELD

# Nomination ids are derived from (nominator, idempotency key): a retried nomination finds
# the one it made before.
NOMINATION_KEYS = uuid.UUID("6a2f8c1e-5b7d-4e39-8f0a-2c4d6e8f1a3b")


def award_due(nomination: NominationRecord, vouches: int) -> bool:
    """The award is due: the vouches reach the threshold and no award is known yet."""
    return nomination.award_id is None and vouches >= nomination.threshold


def award_key(nomination_id: str) -> str:
    return f"peer-nomination:{nomination_id}"


def nomination_id(user_id: str, key: str | None) -> str:
    """The same key from the same member always names the same nomination."""
    return str(uuid.uuid5(NOMINATION_KEYS, f"{user_id}:{key}")) if key else new_id()


def day_start(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def refuse_nomination(outcome: str, at: datetime) -> None:
    if outcome == "LIMIT":
        retry = day_start(at) + timedelta(days=1) - at
        raise RateLimited(
            "You have used today's nominations in this club; more from midnight UTC.",
            max(1, int(retry.total_seconds()) + 1),
            reason=PeerAwardReason.NOMINATION_LIMIT_REACHED,
        )
    if outcome == "HELD":
        raise Conflict(ALREADY_HELD, reason=AwardReason.ALREADY_HOLDS_BADGE)
    if outcome == "ALREADY_NOMINATED":
        raise Conflict(
            "They are nominated for this badge already: vouch for that nomination.",
            reason=PeerAwardReason.ALREADY_NOMINATED,
        )
    if outcome == "NOMINEE_NOT_MEMBER":
        raise ValidationFailed(
            {"nominee_id": "Not a member of this club."}, reason=ClubReason.NOT_A_MEMBER
        )


def vouch_refusal(outcome: str) -> Exception:
    refusals: dict[str, Exception] = {
        "NOT_MEMBER": PermissionDenied(
            "Only members of the club vouch for its nominations.", reason=ClubReason.NOT_A_MEMBER
        ),
        "NOMINEE": PermissionDenied(
            "Nobody vouches for their own award.", reason=PeerAwardReason.SELF_VOUCH
        ),
        "NOMINATOR": Conflict(
            "Your nomination already counts as your vouch.",
            reason=PeerAwardReason.NOMINATOR_VOUCHED,
        ),
        "ALREADY_VOUCHED": Conflict(
            "You vouched for this nomination already.", reason=PeerAwardReason.ALREADY_VOUCHED
        ),
        "CLOSED": Conflict(
            "This nomination has been awarded already.", reason=PeerAwardReason.NOMINATION_AWARDED
        ),
        "NOMINEE_LEFT": Conflict(
            "The nominee has left the club.", reason=PeerAwardReason.NOMINEE_LEFT
        ),
    }
    return refusals[outcome]


def audit_entry(
    actor: str, action: str, nomination_id: str, badge_id: str, nominee_id: str, club_id: str
) -> dict[str, Any]:
    payload = {"id": nomination_id, "badgeId": badge_id, "nomineeId": nominee_id}
    return {
        "actor_id": actor,
        "action": action,
        "subject_type": "Nomination",
        "subject_id": nomination_id,
        # The club and the actor, for the club's live stream and for notifications.
        "payload": payload | {"clubId": club_id, "actorId": actor},
    }
