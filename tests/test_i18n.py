"""Texts in several languages: best match by Accept-Language or argument, with fallback."""

from odznaka_graph.i18n import parse_accept_language, pick
from tests.helpers import Api, published_badge, verified_issuer

QUERY = """{ badges { edges { node {
  name description en: name(lang: EN) translations { field lang text } } } } }"""


def test_accept_language_parsing() -> None:
    assert parse_accept_language("en-GB,en;q=0.9,pl;q=0.8") == ["en", "pl"]
    assert parse_accept_language("fr, de;q=0.5, pl;q=0") == ["de"]
    assert parse_accept_language(None) == []


def test_pick_falls_back_to_polish_then_english_then_any() -> None:
    assert pick({"pl": "Cześć", "en": "Hi"}, ["de"]) == "Cześć"
    assert pick({"en": "Hi"}, ["de"]) == "Hi"
    assert pick({"uk": "Привіт"}, ["de"]) == "Привіт"
    assert pick({}, ["pl"]) is None


async def test_the_client_language_wins_and_all_translations_are_readable(api: Api) -> None:
    issuer = await verified_issuer(api)
    await published_badge(api, issuer)
    polish = (await api.query(QUERY))["badges"]["edges"][0]["node"]
    assert polish["name"] == "Analiza danych" and polish["en"] == "Data analysis"
    english = await api.query(QUERY, headers={"Accept-Language": "en-US,en;q=0.9"})
    node = english["badges"]["edges"][0]["node"]
    assert node["name"] == "Data analysis" and node["description"] == "Badge description."
    assert {"field": "howToObtain", "lang": "EN", "text": "Finish the course and project."} in (
        node["translations"]
    )
