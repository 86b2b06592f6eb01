"""A queued message as the e-mail that is sent: HTML with a plain-text part, in the
recipient's language, links from PUBLIC_BASE_URL, a Message-ID derived from the message's
id, and RFC 8058 one-click List-Unsubscribe on mail that is not transactional."""

import hashlib
import hmac
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2

from odznaka_graph.i18n import pick
from odznaka_graph.ledger.mail import Message
from odznaka_graph.mail.kinds import TRANSACTIONAL, MailKind
from odznaka_graph.mail.texts import WORDING, Text
from odznaka_graph.settings import Settings

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)
_FOOTER = {
    "pl": ("Nie chcesz takich wiadomości?", "Wypisz się"),
    "en": ("Don't want messages like this?", "Unsubscribe"),
}


class _Blank(dict[str, Any]):
    """Data for str.format_map: a missing name is left empty rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def unsubscribe_signature(secret: str, account_id: str, kind: str) -> str:
    key = hashlib.sha256(b"mail-unsubscribe:" + secret.encode()).digest()
    return hmac.new(key, f"{account_id}:{kind}".encode(), hashlib.sha256).hexdigest()


def unsubscribe_link(settings: Settings, account_id: str, kind: str) -> str:
    secret = settings.jwt_secret.get_secret_value()
    query = urlencode(
        {"a": account_id, "k": kind, "s": unsubscribe_signature(secret, account_id, kind)}
    )
    return f"{settings.public_base_url}/mail/unsubscribe?{query}"


def _link(settings: Settings, path: str, data: dict[str, Any]) -> str:
    if not path:
        return ""
    escaped = _Blank({key: quote(str(value), safe="") for key, value in data.items()})
    return settings.public_base_url + path.format_map(escaped)


def _in_language(data: dict[str, Any], locale: str) -> dict[str, Any]:
    """Texts given in several languages (a badge's name) in the recipient's."""
    return {
        key: pick(value, (locale,)) or "" if isinstance(value, dict) else value
        for key, value in data.items()
    }


def render(message: Message, settings: Settings) -> Rendered:
    kind = MailKind(message.kind)
    wording = WORDING[kind]
    text: Text = getattr(wording, message.locale, wording.en)
    data = _Blank(_in_language(message.data, message.locale) | {"to": message.recipient})
    unsubscribe = ""
    if kind not in TRANSACTIONAL and message.account_id:
        unsubscribe = unsubscribe_link(settings, message.account_id, kind.value)
    footer, label = _FOOTER.get(message.locale, _FOOTER["en"])
    subject = text.subject.format_map(data)
    values = {
        "locale": message.locale,
        "subject": subject,
        "paragraphs": [p.format_map(data) for p in text.paragraphs if p.format_map(data)],
        "items": [str(item) for item in message.data.get("items", [])],
        "action": text.action,
        "link": _link(settings, wording.path, message.data),
        "unsubscribe": unsubscribe,
        "footer": footer,
        "unsubscribe_label": label,
    }
    return Rendered(
        subject,
        _TEMPLATES.get_template("layout.txt").render(values),
        _TEMPLATES.get_template("layout.html").render(values),
    )


def message_id(message_key: str, settings: Settings) -> str:
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "odznaka.localhost"
    return f"<{message_key}@{domain}>"


def email(message: Message, settings: Settings) -> EmailMessage:
    rendered = render(message, settings)
    mail = EmailMessage()
    mail["From"] = settings.mail_from
    mail["To"] = message.recipient
    if settings.mail_reply_to:
        mail["Reply-To"] = settings.mail_reply_to
    mail["Subject"] = rendered.subject
    mail["Date"] = format_datetime(message.created_at)
    mail["Message-ID"] = message_id(message.id, settings)
    mail["Content-Language"] = message.locale
    if message.kind not in {kind.value for kind in TRANSACTIONAL} and message.account_id:
        link = unsubscribe_link(settings, message.account_id, message.kind)
        mail["List-Unsubscribe"] = f"<{link}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(rendered.text)
    mail.add_alternative(rendered.html, subtype="html")
    return mail
