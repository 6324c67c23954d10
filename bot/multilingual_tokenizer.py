"""Rasa tokenizer that segments each message with its own language's rules.

spaCy's rule-based tokenizers (``spacy.blank``: no model download) for English,
Russian and Arabic; Chinese with spaCy's Chinese tokenizer on the jieba
segmenter, applied only to runs of Han characters so that order ids, tracking
numbers and Latin brand names next to Chinese text stay whole tokens.

Each token's lemma is its normalized spelling (``bot.text_normalization``),
which the featurizers use; the token text and offsets stay as typed.

Chinese entity words the buyer data annotates (乌兹, 巴铁, 尿不湿...) are not all
in jieba's dictionary, and its HMM glues unknown words to their neighbours
(乌兹会). Training learns every annotated or synonym Han entity form and stores
them with the model; when it loads they join jieba's vocabulary, and dictionary
compounds around a learned word are split (买手机 -> 买 手机).

The language comes from the ``language`` property that ``LanguageIdentifier``
sets; texts without one (bot responses in end-to-end featurization, messages
with no clear signal) are detected here or fall back to the default language.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Dict, Iterable, Iterator, List, Optional, Set, Text, Tuple

import jieba
import spacy
from spacy.language import Language
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language_detection import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, LanguageDetector
from bot.language_identifier import LANGUAGE
from bot.text_normalization import normalize_word

logger = logging.getLogger(__name__)
jieba.setLogLevel(logging.WARNING)

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# spaCy strips affixes from a word one at a time, searching the rest of the word each time: quadratic in the
# word's length (10,000 opening brackets or emoji took 10 s). No word is longer than this; a longer run of
# non-space characters (or of Han characters, for jieba) is cut into pieces of this length first.
MAX_WORD = 64
_LONG_WORD = re.compile(r"\S{%d,}" % (MAX_WORD + 1))
LEARNED_WORDS_FILE = "han_entity_words.json"


def learned_han_words(training_data: TrainingData) -> Set[str]:
    """Han-only entity forms: annotated spans and synonym surface forms."""
    words = {
        example.get(TEXT)[entity["start"] : entity["end"]]
        for example in training_data.entity_examples
        for entity in example.get("entities") or []
    }
    words.update(training_data.entity_synonyms)
    return {word for word in words if _HAN_RUN.fullmatch(word)}


def _load_pipeline(language: str) -> Language:
    if language == "zh":
        return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return spacy.blank(language)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=True
)
class MultilingualTokenizer(Tokenizer):
    """Per-language spaCy tokenization, Chinese segmented with jieba."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            "languages": list(SUPPORTED_LANGUAGES),
            "default_language": DEFAULT_LANGUAGE,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
        learned_words: Iterable[str] = (),
    ) -> None:
        super().__init__(config)
        self._model_storage = model_storage
        self._resource = resource
        self.languages = list(config["languages"])
        self.default_language = config["default_language"]
        if self.default_language not in self.languages:
            raise ValueError(
                f"default_language '{self.default_language}' is not one of {self.languages}"
            )
        self.detector = LanguageDetector(self.languages)
        self._pipelines: Dict[str, Language] = {}
        self.learned_words = sorted(set(learned_words))
        self._learned = frozenset(word for word in self.learned_words if len(word) > 1)
        self._longest_learned = max(map(len, self._learned), default=0)
        for word in self.learned_words:
            jieba.add_word(word)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MultilingualTokenizer":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Learns the Han entity words of the training data and stores them."""
        words = sorted(learned_han_words(training_data))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / LEARNED_WORDS_FILE).write_text(
                json.dumps(words, ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "MultilingualTokenizer":
        try:
            with model_storage.read_from(resource) as directory:
                words = json.loads((directory / LEARNED_WORDS_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning("model has no learned Chinese entity words; using jieba's dictionary only")
            words = []
        return cls(config, model_storage, resource, words)

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy", "jieba"]

    def _pipeline(self, language: str) -> Language:
        if language not in self._pipelines:
            self._pipelines[language] = _load_pipeline(language)
        return self._pipelines[language]

    def language_of(self, message: Message, attribute: Text) -> str:
        text = message.get(attribute)
        language: Optional[str] = message.get(LANGUAGE) if attribute == TEXT else None
        if language not in self.languages:
            language = self.detector.from_text(text)
        return language or self.default_language

    def segment(self, text: str, language: str) -> List[Tuple[str, int]]:
        """Words of ``text`` with their character offsets.

        Runs of Han characters are always segmented by the Chinese tokenizer
        (a Chinese product name inside a Russian message is still words); the
        rest by the message language's tokenizer (the default language's when
        the message is Chinese, for ids and Latin brand names).
        """
        other = self.default_language if language == "zh" else language
        if "zh" not in self.languages:
            return list(self._spacy_words(text, 0, other))
        words: List[Tuple[str, int]] = []
        position = 0
        for han in _HAN_RUN.finditer(text):
            words.extend(self._spacy_words(text[position : han.start()], position, other))
            words.extend(self._spacy_words(han.group(), han.start(), "zh"))
            position = han.end()
        words.extend(self._spacy_words(text[position:], position, other))
        return words

    def _spacy_words(self, text: str, offset: int, language: str) -> Iterator[Tuple[str, int]]:
        """The words of ``text``; runs longer than MAX_WORD are tokenized in MAX_WORD pieces (linear time)."""
        position = 0
        for long_word in _LONG_WORD.finditer(text):
            yield from self._spacy_tokens(text[position:long_word.start()], offset + position, language)
            for start in range(long_word.start(), long_word.end(), MAX_WORD):
                end = min(start + MAX_WORD, long_word.end())
                yield from self._spacy_tokens(text[start:end], offset + start, language)
            position = long_word.end()
        yield from self._spacy_tokens(text[position:], offset + position, language)

    def _spacy_tokens(self, text: str, offset: int, language: str) -> Iterator[Tuple[str, int]]:
        if not text.strip():
            return
        for token in self._pipeline(language)(text):
            if not token.is_space and token.text.strip():
                if language == "zh":
                    yield from self._split_on_learned_words(token.text, offset + token.idx)
                else:
                    yield token.text, offset + token.idx

    def _split_on_learned_words(self, word: str, start: int) -> Iterator[Tuple[str, int]]:
        """Split a jieba word around a learned entity word inside it (买手机 -> 买 手机).

        Only learned words of two or more characters split: a single character
        (包, 书) sits inside too many unrelated words (包裹, 书包).
        """
        if len(word) < 3 or word in self._learned:
            yield word, start
            return
        position = 0
        piece_start = 0
        while position < len(word):
            match = next(
                (
                    learned
                    for length in range(min(self._longest_learned, len(word) - 1), 1, -1)
                    if (learned := word[position : position + length]) in self._learned
                ),
                None,
            )
            if match is None:
                position += 1
                continue
            if position > piece_start:
                yield word[piece_start:position], start + piece_start
            yield match, start + position
            position += len(match)
            piece_start = position
        if piece_start < len(word):
            yield word[piece_start:], start + piece_start

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        words = self.segment(text, self.language_of(message, attribute))
        if not words:
            words = [(text, 0)]
        tokens = [Token(word, start, lemma=normalize_word(word)) for word, start in words]
        return self._apply_token_pattern(tokens)
