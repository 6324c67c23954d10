"""Rasa graph component: a message made mostly of words the assistant was never trained on is not understood.

DIET spreads its confidence over the intents it knows, so keyboard mashing ("asdfgh qwerty", "щшгнеку")
comes out as a confident "thank" or "deny". This component, placed after the intent classifier and before
the FallbackClassifier, learns the vocabulary of the training examples (the tokenizer's normalized words)
and, when fewer than ``min_known_ratio`` of a message's words are in it, sets the intent confidence to 0:
the FallbackClassifier then predicts ``nlu_fallback`` and the bot asks to rephrase, then offers a person.
Words inside extracted entities (order numbers, link codes, amounts) and bare numbers or punctuation do not
count, so "SR-204517" or "K7QM-X3PA" alone stay understood.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.model_files import read_json, write_json

VOCABULARY_FILE = "vocabulary.json"
_NOT_A_WORD = re.compile(r"^[\W\d_]+$")


def _key(token: Any) -> str:
    return str(token.lemma or token.text).lower()


def words_of(message: Message) -> List[Any]:
    """The message's tokens that are words: not numbers or punctuation, not inside an extracted entity."""
    spans = [(e.get("start", -1), e.get("end", -1)) for e in message.get(ENTITIES) or []]
    return [token for token in message.get(TOKENS_NAMES[TEXT]) or []
            if not _NOT_A_WORD.match(token.text)
            and not any(start <= token.start < end for start, end in spans)]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnknownWordsFallback(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_known_ratio": 0.3}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 vocabulary: Optional[Iterable[str]] = None) -> None:
        self.min_known_ratio = float(config["min_known_ratio"])
        self._model_storage, self._resource = model_storage, resource
        self.vocabulary: Set[str] = set(vocabulary or ())

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "UnknownWordsFallback":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "UnknownWordsFallback":
        # trained with no examples: nothing is known, nothing is judged
        return cls(config, model_storage, resource, read_json(model_storage, resource, VOCABULARY_FILE) or [])

    def train(self, training_data: TrainingData) -> Resource:
        self.vocabulary = {_key(token) for example in training_data.training_examples
                           for token in words_of(example)}
        write_json(self._model_storage, self._resource, VOCABULARY_FILE, sorted(self.vocabulary))
        return self._resource

    def known_ratio(self, message: Message) -> Optional[float]:
        """The share of the message's words seen in training; None when it has no words to judge."""
        words = words_of(message)
        if not words or not self.vocabulary:
            return None
        return sum(_key(token) in self.vocabulary for token in words) / len(words)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ratio = self.known_ratio(message)
            intent = message.get(INTENT)
            if ratio is None or ratio >= self.min_known_ratio or not intent:
                continue
            message.set(INTENT, {**intent, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
            ranking = message.get(INTENT_RANKING_KEY) or []
            message.set(INTENT_RANKING_KEY, [{**r, PREDICTED_CONFIDENCE_KEY: 0.0} for r in ranking],
                        add_to_output=True)
        return messages
