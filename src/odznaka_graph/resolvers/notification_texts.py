"""A notification said in one sentence, in the reader's language. Names come through the
same read rules as everywhere (a hidden profile is "Someone")."""

from odznaka_graph.context import Info
from odznaka_graph.i18n import pick
from odznaka_graph.ledger.notifications import NotificationRecord
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
}
SOMEONE = {"pl": "Ktoś", "en": "Someone", "uk": "Хтось", "de": "Jemand"}
UNNAMED = "…"


async def message_of(info: Info, record: NotificationRecord, lang: str | None) -> str:
    languages = info.context.languages(lang)
    template = pick(TEMPLATES[NotificationKind(record.kind)], languages) or ""
    actor = await _actor(info, record) or pick(SOMEONE, languages) or ""
    title = await _title(info, record, languages) or UNNAMED
    return template.format(actor=actor, title=title)


async def _actor(info: Info, record: NotificationRecord) -> str | None:
    from odznaka_graph.resolvers.accounts import user_by_id

    user = await user_by_id(info, record.actor_id) if record.actor_id else None
    return user.record.display_name if user else None


async def _title(info: Info, record: NotificationRecord, languages: list[str]) -> str | None:
    """The name of the badge (of the award or nomination) or team it is about."""
    from odznaka_graph.resolvers.badges import badge_by_id
    from odznaka_graph.resolvers.notifications import subject_of
    from odznaka_graph.schema.awards import Award
    from odznaka_graph.schema.badges import Badge
    from odznaka_graph.schema.peer_awards import Nomination
    from odznaka_graph.schema.teams import Team

    subject = await subject_of(info, record)
    badge_id = None
    if isinstance(subject, Award):
        badge_id = subject.record.badge_id
    elif isinstance(subject, Nomination):
        badge_id = subject.record.badge_id
    elif isinstance(subject, Badge | Team):
        return pick(subject.record.texts.get("name"), languages)
    badge = await badge_by_id(info, badge_id) if badge_id else None
    return pick(badge.record.texts.get("name"), languages) if badge else None
