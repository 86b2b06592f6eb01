"""Which projected events notify whom, and as what: one table, `RULES`. To add a kind of
notification, add its kind and a row; recipients named in the payload need nothing else.

Asked to vouch (`peer.nominated`): the members who may vouch, i.e. the club's members but
the nominee and the nominator, owners and moderators first, then the longest-standing, at
most `VOUCHER_CAP`: a big club is not flooded, and the people most likely to act come first.
A badge's review result goes to its organisation's OWNERs, ADMINs and ISSUERs. Nobody is
notified of their own act.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from odznaka_graph.ledger.journal import OutboxEvent
from odznaka_graph.ledger.notifications import NotificationRecord, notification_id

VOUCHER_CAP = 20
VOUCHERS = "@vouchers"  # the club members who may vouch for the nomination (capped)
BADGE_STAFF = "@badge-staff"  # the staff of the badge's organisation


class NotificationKind(StrEnum):
    CONTACT_REQUESTED = "CONTACT_REQUESTED"
    CONTACT_ACCEPTED = "CONTACT_ACCEPTED"
    VOUCH_REQUESTED = "VOUCH_REQUESTED"
    BADGE_PUBLISHED = "BADGE_PUBLISHED"
    BADGE_REJECTED = "BADGE_REJECTED"
    AWARD_RECEIVED = "AWARD_RECEIVED"
    ADDED_TO_TEAM = "ADDED_TO_TEAM"
    BADGE_REQUESTED = "BADGE_REQUESTED"  # badge requests (issue 15)
    BADGE_REQUEST_DECLINED = "BADGE_REQUEST_DECLINED"


Payload = dict[str, Any]


def _always(kind: NotificationKind) -> Callable[[Payload], NotificationKind | None]:
    return lambda payload: kind


def _reviewed(payload: Payload) -> NotificationKind | None:
    status = (payload.get("props") or {}).get("status")
    return {
        "PUBLISHED": NotificationKind.BADGE_PUBLISHED,
        "REJECTED": NotificationKind.BADGE_REJECTED,
    }.get(status or "")


def _no_note(payload: Payload) -> str | None:
    return None


@dataclass(frozen=True)
class Rule:
    kind: Callable[[Payload], NotificationKind | None]  # None: this payload notifies nobody
    audience: str  # a payload field naming the one recipient, or VOUCHERS / BADGE_STAFF
    subject: tuple[str, str]  # the node it is about: (type, payload field with its id)
    actor: str | None = None  # the payload field naming who caused it
    note: Callable[[Payload], str | None] = _no_note  # words a person wrote with it


RULES: dict[str, Rule] = {
    "contact.requested": Rule(
        _always(NotificationKind.CONTACT_REQUESTED),
        "targetId",
        ("User", "userId"),
        actor="userId",
        note=lambda p: p.get("message"),
    ),
    "contact.accepted": Rule(
        _always(NotificationKind.CONTACT_ACCEPTED), "targetId", ("User", "userId"), "userId"
    ),
    "peer.nominated": Rule(
        _always(NotificationKind.VOUCH_REQUESTED), VOUCHERS, ("Nomination", "id"), "actorId"
    ),
    "badge.reviewed": Rule(
        _reviewed,
        BADGE_STAFF,
        ("Badge", "id"),
        note=lambda p: (p.get("props") or {}).get("reviewComment"),
    ),
    "award.issued": Rule(
        _always(NotificationKind.AWARD_RECEIVED), "recipientId", ("Award", "id"), "awardedBy"
    ),
    "award.claimed": Rule(_always(NotificationKind.AWARD_RECEIVED), "recipientId", ("Award", "id")),
    "team.member_added": Rule(
        _always(NotificationKind.ADDED_TO_TEAM), "userId", ("Team", "id"), "actorId"
    ),
    # Badge requests (issue 15): approval notifies through the award (AWARD_RECEIVED).
    "badge_request.created": Rule(
        _always(NotificationKind.BADGE_REQUESTED), BADGE_STAFF, ("Badge", "badgeId"), "actorId"
    ),
    "badge_request.declined": Rule(
        _always(NotificationKind.BADGE_REQUEST_DECLINED),
        "learnerId",
        ("Badge", "badgeId"),
        "actorId",
        note=lambda p: p.get("reason"),
    ),
}


@dataclass(frozen=True)
class Lookups:
    """Recipients that only the stores know, read once for a batch of events."""

    vouchers: dict[str, list[str]] = field(default_factory=dict)  # nomination → users
    staff: dict[str, list[str]] = field(default_factory=dict)  # badge → its issuer's staff


def subjects_needing(audience: str, events: list[OutboxEvent]) -> list[str]:
    """The subject ids of the events whose recipients come from the `audience` lookup."""
    found = {
        str(event.payload[RULES[event.topic].subject[1]])
        for event in events
        if event.topic in RULES and RULES[event.topic].audience == audience
    }
    return sorted(found)


def drafts(events: list[OutboxEvent], lookups: Lookups) -> list[NotificationRecord]:
    """The notifications these events make, at most one per event and recipient."""
    made: dict[str, NotificationRecord] = {}
    for event in events:
        rule = RULES.get(event.topic)
        kind = rule.kind(event.payload) if rule else None
        if rule is None or kind is None:
            continue
        for record in _for_event(event, rule, kind, lookups):
            made.setdefault(record.id, record)
    return list(made.values())


def _for_event(
    event: OutboxEvent, rule: Rule, kind: NotificationKind, lookups: Lookups
) -> list[NotificationRecord]:
    payload = event.payload
    subject_type, subject_field = rule.subject
    subject_id = payload.get(subject_field)
    actor = payload.get(rule.actor) if rule.actor else None
    note = rule.note(payload)
    return [
        NotificationRecord(
            id=notification_id(event.event_id, account),
            event_id=event.event_id,
            account_id=account,
            kind=kind.value,
            actor_id=actor,
            subject_type=subject_type if subject_id else None,
            subject_id=subject_id,
            data={"note": note} if note else {},
            created_at=event.created_at,
        )
        for account in _recipients(rule, payload, subject_id, lookups)
        if account != actor
    ]


def _recipients(rule: Rule, payload: Payload, subject_id: str | None, found: Lookups) -> list[str]:
    if rule.audience == VOUCHERS:
        return found.vouchers.get(subject_id or "", [])
    if rule.audience == BADGE_STAFF:
        return found.staff.get(subject_id or "", [])
    recipient = payload.get(rule.audience)
    return [recipient] if isinstance(recipient, str) and recipient else []
