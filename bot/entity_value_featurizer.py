"""Rasa featurizer: the regexes of the training data, plus one pattern per entity of every value the training
data knows for it, so that a value seen only as a synonym ("沙特阿拉伯" beside the annotated "沙特") is still
recognised.

An entity's values are the texts annotated with it in the examples and every synonym (``synonyms.yml``)
whose canonical value one of those annotations maps to. Each entity's pattern marks the tokens it covers:
the CRF entity extractor reads that as its ``pattern`` feature, and the intent classifier gets it as a
sentence feature (the message names a country). Values with Han characters match inside running text
(Chinese has no spaces); the others only as whole words. Nothing is read from outside the training data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Dict, Iterable, List, Set, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.nlu.utils import pattern_utils
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE, TEXT
from rasa.shared.nlu.training_data.training_data import TrainingData

PATTERN_PREFIX = "entity_value_"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def entity_values(training_data: TrainingData, entities: Iterable[str], min_length: int = 2) -> Dict[str, Set[str]]:
    """Every surface form the training data gives each of ``entities``, in lower case."""
    wanted = set(entities)
    synonyms = {key.lower(): str(value) for key, value in training_data.entity_synonyms.items()}
    annotated: Dict[str, Set[str]] = defaultdict(set)
    canonical: Dict[str, Set[str]] = defaultdict(set)
    for example in training_data.entity_examples:
        text = example.get(TEXT) or ""
        for entity in example.get(ENTITIES) or []:
            kind = entity.get(ENTITY_ATTRIBUTE_TYPE)
            if kind not in wanted or not isinstance(entity.get("start"), int):
                continue
            surface = text[entity["start"]:entity["end"]].strip().lower()
            annotated[kind].add(surface)
            value = str(entity.get(ENTITY_ATTRIBUTE_VALUE) or surface)
            canonical[kind].add(synonyms.get(value.lower(), value))
            canonical[kind].add(synonyms.get(surface, surface))
    values: Dict[str, Set[str]] = {}
    for kind in sorted(wanted):
        forms = set(annotated[kind])
        forms.update(key for key, value in synonyms.items() if value in canonical[kind])
        values[kind] = {form for form in forms if len(form) >= min_length}
    return values


def value_pattern(values: Iterable[str]) -> str:
    """One regex for all ``values``, longest first; whole words except where a value has Han characters."""
    parts = []
    for value in sorted(set(values), key=lambda v: (-len(v), v)):
        escaped = re.escape(value)
        parts.append(escaped if _HAN.search(value) else rf"(?<!\w){escaped}(?!\w)")
    return "|".join(parts)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class EntityValueFeaturizer(RegexFeaturizer):
    """RegexFeaturizer whose patterns also hold each entity's known values."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**RegexFeaturizer.get_default_config(), "entities": [], "min_value_length": 2}

    def train(self, training_data: TrainingData) -> Resource:
        patterns: List[Dict[str, str]] = pattern_utils.extract_patterns(
            training_data, use_lookup_tables=self._config["use_lookup_tables"],
            use_regexes=self._config["use_regexes"], use_word_boundaries=self._config["use_word_boundaries"])
        for kind, values in entity_values(training_data, self._config["entities"],
                                          self._config["min_value_length"]).items():
            if values:
                patterns.append({"name": f"{PATTERN_PREFIX}{kind}", "pattern": value_pattern(values)})
        self.known_patterns = patterns
        self._persist()
        return self._resource
