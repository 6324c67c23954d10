"""Rasa graph component that tells the language of each message.

It runs first in the NLU pipeline. The language goes into the message as the
``language`` property (so the tokenizer can pick the right segmenter) and into
the parse result, from which Rasa's slot extraction sets the ``language`` slot
(``bot/language_slot.py``). Channel metadata wins over the text; a message with no
reliable signal leaves ``language`` unset and the conversation keeps its slot.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language_detection import SUPPORTED_LANGUAGES, LanguageDetector

LANGUAGE = "language"
LANGUAGE_SOURCE = "language_source"
METADATA = "metadata"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class LanguageIdentifier(GraphComponent):
    """Sets ``language`` (and ``language_source``) on every message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"supported_languages": list(SUPPORTED_LANGUAGES), "min_latin_words": 2}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.detector = LanguageDetector(
            config["supported_languages"], config["min_latin_words"]
        )

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageIdentifier":
        return cls(config)

    @staticmethod
    def required_packages() -> List[Text]:
        return ["langid"]

    def _identify(self, message: Message, add_to_output: bool) -> None:
        text: Optional[str] = message.get(TEXT)
        if not isinstance(text, str):
            return
        guess = self.detector.detect(text, message.get(METADATA))
        if guess is None:
            return
        message.set(LANGUAGE, guess.language, add_to_output=add_to_output)
        message.set(LANGUAGE_SOURCE, guess.source, add_to_output=add_to_output)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._identify(example, add_to_output=False)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._identify(message, add_to_output=True)
        return messages
