"""Every response speaks every supported language, and has a default."""

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

from bot.language_detection import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, LanguageDetector

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = Domain.load(str(ROOT / "domain"))


def language_of(variation):
    for condition in variation.get("condition") or []:
        if condition.get("type") == "slot" and condition.get("name") == "language":
            return condition.get("value")
    return None


@pytest.mark.parametrize("response", sorted(DOMAIN.responses))
def test_response_has_every_language_and_a_default(response):
    variations = DOMAIN.responses[response]
    languages = [language_of(v) for v in variations if v.get("condition")]
    defaults = [v for v in variations if not v.get("condition")]
    assert defaults, f"{response} has no default variation"
    missing = set(SUPPORTED_LANGUAGES) - set(languages)
    assert not missing, f"{response} lacks {sorted(missing)}"


@pytest.mark.parametrize("response", sorted(DOMAIN.responses))
def test_each_variation_is_written_in_its_language(response):
    detector = LanguageDetector(SUPPORTED_LANGUAGES)
    for variation in DOMAIN.responses[response]:
        expected = language_of(variation) or DEFAULT_LANGUAGE
        texts = [variation.get("text", "")] + [b["title"] for b in variation.get("buttons", [])]
        assert detector.from_text(variation.get("text")) == expected, (response, variation.get("text"))
        for title in texts[1:]:
            assert detector.from_text(title) in (expected, None), (response, title)


def test_buttons_are_the_same_in_every_language():
    for response, variations in DOMAIN.responses.items():
        payloads = {tuple(b["payload"] for b in v.get("buttons", [])) for v in variations}
        assert len(payloads) == 1, f"{response} has different buttons per language: {payloads}"


def test_language_slot_is_set_inside_rasa_not_by_an_action():
    slot = next(s for s in DOMAIN.slots if s.name == "language")
    assert slot.mappings == [{"type": "custom"}]  # bot/language_slot.py sets it, no action server call
    assert not slot.influence_conversation


def test_every_response_an_action_sends_exists():
    from tests.test_data_validate import responses_sent_by_actions

    sent = responses_sent_by_actions()
    assert sent and sent <= set(DOMAIN.responses), sorted(sent - set(DOMAIN.responses))
