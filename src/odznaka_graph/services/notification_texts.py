"""A notification said in one sentence, in the reader's language. Names come through the
same read rules as everywhere (a hidden profile is "Someone")."""

from typing import Any

from odznaka_graph.i18n import pick
from odznaka_graph.ledger.notifications import NotificationRecord
from odznaka_graph.services import badge_reads
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.notification_reads import subject
from odznaka_graph.services.notification_rules import NotificationKind

Kind = NotificationKind
TEMPLATES: dict[NotificationKind, dict[str, str]] = {
    Kind.CONTACT_REQUESTED: {
        "pl": "{actor} zaprasza Cię do kontaktów.",
        "en": "{actor} asks to become your contact.",
    },
    Kind.CONTACT_ACCEPTED: {
        "pl": "{actor} przyjmuje Twoje zaproszenie do kontaktów.",
        "en": "{actor} accepted your contact request.",
    },
    Kind.VOUCH_REQUESTED: {
        "pl": "{actor} zgłasza nominację do odznaki „{title}”: możesz ją poprzeć.",
        "en": "{actor} nominated a member for “{title}”: you can vouch for it.",
    },
    Kind.BADGE_PUBLISHED: {
        "pl": "Odznaka „{title}” przeszła recenzję i jest opublikowana.",
        "en": "“{title}” passed its review and is published.",
    },
    Kind.BADGE_REJECTED: {
        "pl": "Odznaka „{title}” wymaga poprawek po recenzji.",
        "en": "“{title}” was sent back after its review.",
    },
    Kind.AWARD_RECEIVED: {
        "pl": "Otrzymujesz odznakę „{title}”.",
        "en": "You received “{title}”.",
    },
    Kind.ADDED_TO_TEAM: {
        "pl": "{actor} dodaje Cię do zespołu „{title}”.",
        "en": "{actor} added you to “{title}”.",
    },
    Kind.BADGE_REQUESTED: {
        "pl": "{actor} prosi o odznakę „{title}”.",
        "en": "{actor} asks for “{title}”.",
    },
    Kind.BADGE_REQUEST_DECLINED: {
        "pl": "Twoja prośba o odznakę „{title}” została odrzucona.",
        "en": "Your request for “{title}” was declined.",
    },
}
SOMEONE = {"pl": "Ktoś", "en": "Someone", "uk": "Хтось", "de": "Jemand"}
UNNAMED = "…"


async def message(loaders: Loaders, record: NotificationRecord, languages: list[str]) -> str:
    """What happened, in the first of `languages` there is a text in."""
    template = pick(TEMPLATES[NotificationKind(record.kind)], languages) or ""
    actor = await _actor(loaders, record) or pick(SOMEONE, languages) or ""
    title = await _title(loaders, record, languages) or UNNAMED
    return template.format(actor=actor, title=title)


async def _actor(loaders: Loaders, record: NotificationRecord) -> str | None:
    user = await loaders.visibility.user(record.actor_id) if record.actor_id else None
    return user.display_name if user else None


async def _title(loaders: Loaders, record: NotificationRecord, languages: list[str]) -> str | None:
    """The name of the badge (of the award or nomination) or team it is about."""
    about = await subject(loaders, record)
    if about is None:
        return None
    found: Any = about.record
    if about.type_name in ("Badge", "Team"):
        return pick(found.texts.get("name"), languages)
    if about.type_name not in ("Award", "Nomination"):
        return None
    badge = await badge_reads.badge(loaders, found.badge_id)
    return pick(badge.texts.get("name"), languages) if badge else None
