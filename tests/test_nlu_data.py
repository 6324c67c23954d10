"""The training data and the held-out split keep the contract of data/nlu/README.md."""

import re
from collections import Counter
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.language_detection import SUPPORTED_LANGUAGES, LanguageDetector

ROOT = Path(__file__).resolve().parent.parent
NLU = ROOT / "data" / "nlu"
SPLIT = ROOT / "tests" / "nlu_split"

CONTRACT_INTENTS = set(
    "greet goodbye thank affirm deny bot_challenge search_product track_order confirm_receipt "
    "request_refund open_dispute ask_import_rules human_handoff out_of_scope inform".split()
)
# Intents of our own beyond the contract: refining a page of search results; a messaging-app link code; a
# typed answer to the satisfaction survey.
INTENTS = CONTRACT_INTENTS | {"show_more", "ask_cheaper", "link_account", "rate_chat"}
ENTITIES = {"order_id", "tracking_number", "country", "product_category", "color", "amount", "currency",
            "link_code", "csat_score"}
CANONICAL = {
    "country": set("RU KZ UZ KG BY PK SA AE EG TR IR ID MY TH VN PH PL HU RS KE NG CN".split()),
    "product_category": set(
        "phone laptop tablet headphones smartwatch camera drone tv home_appliance kitchenware furniture "
        "lighting clothing shoes bags jewelry cosmetics toys baby_products sports auto_parts tools books "
        "food pet_supplies batteries medicines".split()
    ),
    "color": set("red blue green black white gray pink purple yellow orange brown gold silver beige".split()),
    "currency": set("RUB KZT UZS BYN SAR AED EGP TRY PKR IDR MYR USD EUR CNY".split()),
}
MIN_TRAINING_EXAMPLES = 40
MIN_TEST_EXAMPLES = 10


def normalized(text):
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def load(path):
    return load_data(str(path))


@pytest.fixture(scope="module", params=SUPPORTED_LANGUAGES)
def language(request):
    return request.param


@pytest.fixture(scope="module")
def training(language):
    return load(NLU / language)


@pytest.fixture(scope="module")
def held_out(language):
    return load(SPLIT / f"{language}.yml")


def test_every_contract_intent_has_enough_distinct_examples(language, training):
    counts = Counter()
    seen = set()
    for example in training.intent_examples:
        key = normalized(example.get("text"))
        if key not in seen:
            seen.add(key)
            counts[example.get("intent")] += 1
    assert set(counts) == INTENTS
    thin = {intent: n for intent, n in counts.items() if n < MIN_TRAINING_EXAMPLES}
    assert not thin, f"{language}: fewer than {MIN_TRAINING_EXAMPLES} distinct examples: {thin}"


def test_held_out_split_covers_every_intent(language, held_out):
    counts = Counter(e.get("intent") for e in held_out.intent_examples)
    assert set(counts) == INTENTS
    thin = {intent: n for intent, n in counts.items() if n < MIN_TEST_EXAMPLES}
    assert not thin, f"{language}: held-out split too small: {thin}"


def test_held_out_split_is_never_trained_on(language, held_out):
    trained = {normalized(e.get("text")) for lang in SUPPORTED_LANGUAGES for e in load(NLU / lang).intent_examples}
    leaked = [e.get("text") for e in held_out.intent_examples if normalized(e.get("text")) in trained]
    assert not leaked, f"{language}: held-out examples also in training: {leaked}"


def test_examples_are_written_in_their_language(language, training, held_out):
    detector = LanguageDetector(SUPPORTED_LANGUAGES)
    wrong = [
        e.get("text")
        for e in training.intent_examples + held_out.intent_examples
        if detector.from_text(e.get("text")) not in (language, None)
    ]
    assert not wrong, f"{language}: examples detected as another language: {wrong}"


def lowercased_synonyms(data):
    """As EntitySynonymMapper uses them: surface forms compared lowercased."""
    return {surface.lower(): canonical for surface, canonical in data.entity_synonyms.items()}


def test_entities_are_known_and_map_to_canonical_values(language, training, held_out):
    synonyms = lowercased_synonyms(training)
    unmapped = set()
    for example in training.training_examples + held_out.training_examples:
        for entity in example.get("entities") or []:
            assert entity["entity"] in ENTITIES, entity
            canonical = CANONICAL.get(entity["entity"])
            if canonical is None:
                continue
            value = synonyms.get(entity["value"].lower(), entity["value"])
            if value not in canonical:
                unmapped.add((entity["entity"], entity["value"]))
    assert not unmapped, f"{language}: values with no canonical form in synonyms.yml: {sorted(unmapped)}"


def test_synonyms_point_at_canonical_values(language, training):
    all_canonical = set().union(*CANONICAL.values())
    stray = {value for value in training.entity_synonyms.values() if value not in all_canonical}
    assert not stray, f"{language}: synonyms.yml maps to unknown canonical values: {stray}"


def test_every_entity_is_annotated_in_every_language(language, training):
    annotated = {e["entity"] for ex in training.training_examples for e in ex.get("entities") or []}
    assert annotated == ENTITIES


def test_no_surface_form_maps_to_two_values_across_languages():
    seen = {}
    conflicts = set()
    for lang in SUPPORTED_LANGUAGES:
        for surface, canonical in lowercased_synonyms(load(NLU / lang)).items():
            if seen.setdefault(surface, canonical) != canonical:
                conflicts.add((surface, seen[surface], canonical))
    assert not conflicts, f"one surface form, two canonical values: {sorted(conflicts)}"


def test_localized_category_names_map_to_one_value():
    synonyms = {}
    for lang in SUPPORTED_LANGUAGES:
        synonyms.update(lowercased_synonyms(load(NLU / lang)))
    assert [synonyms.get(word) for word in ("телефон", "手机", "هاتف")] == ["phone"] * 3
