"""Every mail template, in Polish and English, rendered in Chromium (issue 14): nothing left
unfilled, the button's link from PUBLIC_BASE_URL, no sideways scrolling on a 375-pixel
phone; a screenshot of each goes to artifacts/mail-<kind>-<language>.png."""

from datetime import UTC, datetime

import pytest

from odznaka_graph.ledger.mail import Message
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.mail.render import render
from odznaka_graph.settings import Settings
from tests.chromium import ARTIFACTS, chromium

DATA = {
    "token": "a-token",
    "awardId": "00000000-0000-4000-8000-000000000001",
    "badgeName": {"pl": "Analiza danych", "en": "Data analysis"},
    "inviterName": "@ola",
    "newEmail": "ola.nowa@example.org",
    "erasesOn": "2026-12-18",
    "name": "Ola N.",
    "outcome": "PUBLISHED",
    "comment": "Bardzo dobry opis efektów uczenia się.",
    "from": "@ola.stara",
    "into": "@ola",
}
DIGEST = {"items": ["2 × nowe odznaki", "1 × zaproszenia do kontaktów"], "count": 3}


def _message(kind: MailKind, locale: str) -> Message:
    at = datetime(2026, 12, 4, tzinfo=UTC)
    return Message(
        "00000000-0000-4000-8000-00000000000a",
        kind.value,
        "ola@example.org",
        "account-1",
        locale,
        DATA,
        "QUEUED",
        0,
        at,
        None,
        at,
        None,
    )


@pytest.mark.parametrize("locale", ["pl", "en"])
async def test_every_mail_renders_in_chromium_without_gaps(locale: str, settings: Settings) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 375, "height": 700})
        for kind in MailKind:
            rendered = render(_message(kind, locale), settings)
            assert "{" not in rendered.text + rendered.subject, (kind, rendered.text)
            await page.set_content(rendered.html)
            assert await page.title() == rendered.subject
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (kind, width)
            links = await page.eval_on_selector_all("a", "found => found.map(a => a.href)")
            assert all(link.startswith(settings.public_base_url) for link in links), links
            if kind is not MailKind.PASSWORD_CHANGED:
                assert links, kind
            path = ARTIFACTS / f"mail-{kind.value.lower()}-{locale}.png"
            await page.screenshot(path=str(path), full_page=True)
