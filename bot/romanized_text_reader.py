"""Rasa graph component: a message typed in Latin letters in Russian or Arabic is read back into its script
before anything else sees it (``bot/romanization.py``).

It runs first in the NLU pipeline. Trained, it keeps the words the language knows: the NLU's training
examples and synonyms, the words of the lexicons the Rasa side and the actions read (``common/lexicon``), and
the ``wordfreq`` package's frequency lists (shipped in the package). Processing a message, it replaces the
text the rest of the pipeline reads with the reading ("gde moy zakaz" -> "где мой заказ") and keeps what was
typed as ``romanized_text`` in the parse result; the language identifier then tells the language from the
script. The conversation's events keep the typed text (the console shows what the buyer wrote); the
actions read the reading from the parse data (``actions/conversation.text_of``).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Text

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language_detection import script_of
from bot.model_files import read_json, write_json
from bot.romanization import LATIN, LATIN_LANGUAGES, ROMANIZATION, RomanizedReader, Vocabulary, load_schemes, vocabulary_scores

ROMANIZED_TEXT = "romanized_text"
VOCABULARY_FILE = "romanization_vocabulary.json"
LEXICONS = ROMANIZATION.parent
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def words_by_language(texts: Iterable[str], scripts: Dict[str, str]) -> Dict[str, Counter]:
    """Each text's words counted under the language of their script (``scripts``: script -> language; the
    Latin script's words under LATIN)."""
    counts: Dict[str, Counter] = {language: Counter() for language in {LATIN, *scripts.values()}}
    for text in texts:
        for word in _WORD.findall(str(text).lower()):
            script = script_of(word[0])
            language = LATIN if script == "latin" else scripts.get(script or "")
            if language:
                counts[language][word] += 1
    return counts


def lexicon_texts(directory: Path = LEXICONS, skip: Iterable[Path] = (ROMANIZATION,)) -> List[str]:
    """Every string in the lexicon files (the phrases the actions and the Rasa side look for)."""
    skipped = {path.resolve() for path in skip}
    texts: List[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            texts.append(value)

    for path in sorted(directory.glob("*.yml")):
        if path.resolve() not in skipped:
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return texts


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class RomanizedTextReader(GraphComponent):
    """Replaces a romanized message's text by its reading in the language's script."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # languages: the romanized ones read back; latin_languages: those whose words are kept as typed
        return {"languages": ["ru", "ar"], "latin_languages": list(LATIN_LANGUAGES)}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["wordfreq"]

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 scores: Optional[Dict[str, Dict[str, float]]] = None) -> None:
        schemes = load_schemes()
        unknown = set(config["languages"]) - set(schemes)
        if unknown:
            raise ValueError(f"no romanization scheme for {sorted(unknown)} in {ROMANIZATION.name}")
        self.schemes = {language: schemes[language] for language in config["languages"]}
        self.latin_languages = tuple(config["latin_languages"])
        self._model_storage, self._resource = model_storage, resource
        self.reader = RomanizedReader(self.schemes, Vocabulary(scores or {}, self.schemes)) if scores else None

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "RomanizedTextReader":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "RomanizedTextReader":
        return cls(config, model_storage, resource, read_json(model_storage, resource, VOCABULARY_FILE))

    def train(self, training_data: TrainingData) -> Resource:
        texts = [example.get(TEXT) or "" for example in training_data.training_examples]
        texts += list(training_data.entity_synonyms) + lexicon_texts()
        scripts = {scheme.script: language for language, scheme in self.schemes.items()}
        scores = vocabulary_scores(words_by_language(texts, scripts), self.schemes, self.latin_languages)
        write_json(self._model_storage, self._resource, VOCABULARY_FILE, scores)
        self.reader = RomanizedReader(self.schemes, Vocabulary(scores, self.schemes))
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data  # the examples are written in their own scripts

    def process(self, messages: List[Message]) -> List[Message]:
        if self.reader is None:
            return messages
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.startswith("/"):
                continue
            reading = self.reader.read(text)
            if reading is not None and reading.text != text:
                message.set(ROMANIZED_TEXT, text, add_to_output=True)
                message.set(TEXT, reading.text, add_to_output=True)
        return messages
