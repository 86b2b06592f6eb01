"""The services' own messages have a Polish text: every message raised in the package
(found by tests/service_message_scan.py) is in the Polish catalogue, so a new message
fails here until it is translated (services/messages/pl_*.py). The catalogue's matching
of templates and its choice of language, checked without a server."""

from odznaka_graph.services.messages import (
    CATALOGUES,
    Template,
    language,
    pl_arguments,
    pl_people,
    pl_phrases,
    pl_work,
    translate,
)
from odznaka_graph.services.messages.pl_phrases import ACTIONS
from odznaka_graph.services.permissions import Action
from tests.service_message_scan import missing_polish, scan


def test_every_raised_message_has_a_polish_text() -> None:
    assert scan().unfollowed == set(), "messages built in a way the scan cannot follow"
    missing = missing_polish()
    assert missing == {}, "translate these in services/messages/pl_*.py"


def test_the_scan_finds_messages_wherever_they_are_made() -> None:
    messages = scan().messages
    assert "No such badge." in messages  # a literal at the raise site
    assert "Sign in first." in messages  # an error class's default
    assert "You may not {}." in messages  # an f-string
    assert "Name the path to finish." in messages  # a validator's table of messages
    assert "A badge needs an image." in messages  # a dict built by a function elsewhere
    assert "The host {} could not be resolved." in messages  # another error's text put in


def test_polish_texts_use_only_the_english_placeholders() -> None:
    for english, polish in CATALOGUES["pl"].messages.items():
        template = Template.of(english)
        assert set(Template.of(polish).names) <= set(template.names), english
        assert all(template.pieces[1:-1]), f"adjacent placeholders cannot be told apart: {english}"


def test_every_action_a_role_allows_has_a_polish_text() -> None:
    assert set(ACTIONS) == set(Action)
    for action in Action:
        assert translate(f"You may not {action.value}.", ["pl"]).startswith("Nie możesz ")


def test_templates_are_filled_with_translated_values() -> None:
    assert translate("A draft badge cannot be edited.", ["pl"]) == (
        "Odznaki w stanie „szkic” nie można edytować."
    )
    assert translate(
        "Could not fetch the badge: The host x.test could not be resolved.", ["pl"]
    ) == ("Nie udało się pobrać odznaki: Nie udało się odnaleźć hosta x.test.")
    # the most specific template wins
    assert translate("`filter.skillIds` is not the id of a Skill.", ["pl"]) == (
        "`filter.skillIds` nie jest identyfikatorem typu Skill."
    )
    assert translate("`first` and `last` must be between 0 and 100.", ["pl"]) == (
        "`first` i `last` muszą wynosić od 0 do 100."
    )


def test_english_is_the_default_and_unknown_texts_stay() -> None:
    assert translate("No such badge.", []) == "No such badge."
    assert translate("No such badge.", ["de"]) == "No such badge."
    assert translate("No such badge.", ["en", "pl"]) == "No such badge."
    assert translate("No such badge.", ["uk", "pl"]) == "Nie ma takiej odznaki."
    assert translate("Something new.", ["pl"]) == "Something new."
    assert language(["de", "uk"]) == "en"


def test_no_message_is_translated_twice() -> None:
    """The area catalogues are merged into one: a text in two of them would hide one."""
    areas = [pl_arguments.MESSAGES, pl_people.MESSAGES, pl_work.MESSAGES, pl_phrases.PHRASES]
    seen: set[str] = set()
    for area in areas:
        assert seen.isdisjoint(area), sorted(seen & set(area))
        seen |= set(area)


def test_every_presentation_reason_has_a_polish_text() -> None:
    """PresentationRefused answers with its reason's own description (passed on, above)."""
    from odznaka_graph.outcomes import PresentationReason
    from odznaka_graph.services.messages import translate

    missing = [r.name for r in PresentationReason if translate(str(r.value), ["pl"]) == r.value]
    assert missing == []
