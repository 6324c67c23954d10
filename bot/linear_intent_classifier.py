"""Rasa intent classifier: a linear support vector machine over the pipeline's sparse sentence features.

Chosen by measurement (``python -m scripts.compare_training nlu``, README "Training"): on the held-out split
it holds DIET's intent macro-F1 per language while training in seconds instead of minutes. The counts of the
word and character n-gram featurizers are weighted as tf-idf (sublinear term frequency, L2-normalized rows),
a one-vs-rest ``LinearSVC`` separates the intents, and its decision values become confidences through a
softmax whose temperature is fitted on out-of-fold predictions of the training data (so that the
FallbackClassifier's threshold means what it says: a confidence of 0.5 is right about half the time).

The trained model is plain arrays (numpy ``.npz``: weights, idf, temperature, intent names), loaded without
unpickling anything.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, vstack

logger = logging.getLogger(__name__)

MODEL_FILE = "linear_intent_classifier.npz"


def sentence_features(messages: List[Message], width: Optional[int] = None) -> csr_matrix:
    """One row per message: its sparse (and dense, if any) sentence features side by side."""
    rows = []
    for message in messages:
        _, sparse = message.get_sparse_features(TEXT)
        _, dense = message.get_dense_features(TEXT)
        parts = []
        if sparse is not None:
            parts.append(csr_matrix(sparse.features))
        if dense is not None:
            parts.append(csr_matrix(dense.features))
        row = _hstack(parts) if parts else csr_matrix((1, width or 0))
        rows.append(row)
    return vstack(rows).tocsr().astype(np.float64)


def _hstack(parts: List[csr_matrix]) -> csr_matrix:
    from scipy.sparse import hstack

    return hstack(parts).tocsr()


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    scaled = scores * temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Intents from a linear SVM over tf-idf weighted sentence features, with calibrated confidences."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Featurizer]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn", "scipy"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "C": 1.0,  # the SVM's regularization: smaller is smoother
            "calibration_folds": 3,  # out-of-fold predictions the confidence temperature is fitted on
            "ranking_length": 10,  # intents in the ranking (0: all)
            "random_seed": 42,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 weights: Optional[Dict[str, np.ndarray]] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage, self._resource = model_storage, resource
        self.weights = weights

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    # ------------------------------------------------------------------ training

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.model_selection import StratifiedKFold
        from sklearn.svm import LinearSVC

        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        intents = sorted({e.get(INTENT) for e in examples})
        if len(intents) < 2:
            logger.warning("LinearIntentClassifier: fewer than two intents to tell apart; not trained")
            return self._resource
        counts = sentence_features(examples)
        idf = self._idf(counts)
        features = self._weighted(counts, idf)
        labels = np.array([intents.index(e.get(INTENT)) for e in examples])

        def svm() -> LinearSVC:
            return LinearSVC(C=self.config["C"], class_weight="balanced", random_state=self.config["random_seed"])

        folds = StratifiedKFold(n_splits=self.config["calibration_folds"], shuffle=True,
                                random_state=self.config["random_seed"])
        out_of_fold = np.zeros((len(labels), len(intents)))
        for train_rows, held_rows in folds.split(features, labels):
            out_of_fold[held_rows] = svm().fit(features[train_rows], labels[train_rows]) \
                .decision_function(features[held_rows])
        temperature = self._fit_temperature(out_of_fold, labels)
        model = svm().fit(features, labels)
        self.weights = {"coef": model.coef_.astype(np.float32), "intercept": model.intercept_.astype(np.float32),
                        "idf": idf.astype(np.float32), "temperature": np.array([temperature]),
                        "intents": np.array(intents)}
        logger.info("LinearIntentClassifier: %d intents, %d features, confidence temperature %.2f",
                    len(intents), features.shape[1], temperature)
        self.persist()
        return self._resource

    @staticmethod
    def _idf(counts: csr_matrix) -> np.ndarray:
        documents = counts.shape[0]
        containing = np.bincount(counts.indices, minlength=counts.shape[1])
        return np.log((1 + documents) / (1 + containing)) + 1.0

    @staticmethod
    def _weighted(counts: csr_matrix, idf: np.ndarray) -> csr_matrix:
        """Sublinear tf-idf, each row scaled to unit length."""
        weighted = counts.copy()
        np.log1p(weighted.data, out=weighted.data)
        weighted = weighted.multiply(idf[: weighted.shape[1]]).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        return csr_matrix(weighted.multiply(1.0 / norms[:, None]))

    @staticmethod
    def _fit_temperature(scores: np.ndarray, labels: np.ndarray) -> float:
        """The softmax temperature that makes the out-of-fold confidences most likely (least log loss)."""
        from scipy.optimize import minimize_scalar

        rows = np.arange(len(labels))

        def log_loss(temperature: float) -> float:
            return float(-np.log(softmax(scores, temperature)[rows, labels] + 1e-12).mean())

        return float(minimize_scalar(log_loss, bounds=(0.1, 100.0), method="bounded").x)

    # ------------------------------------------------------------------ prediction

    def process(self, messages: List[Message]) -> List[Message]:
        if self.weights is None or not messages:
            return messages
        coef, idf = self.weights["coef"], self.weights["idf"]
        counts = sentence_features(messages, width=coef.shape[1])
        if counts.shape[1] != coef.shape[1]:
            raise ValueError(f"LinearIntentClassifier was trained on {coef.shape[1]} features, "
                             f"the pipeline gives {counts.shape[1]}: retrain the model")
        scores = self._weighted(counts, idf) @ coef.T + self.weights["intercept"]
        confidences = softmax(np.asarray(scores, dtype=np.float64), float(self.weights["temperature"][0]))
        intents = [str(name) for name in self.weights["intents"]]
        length = self.config["ranking_length"]
        for message, row in zip(messages, confidences):
            order = np.argsort(-row)
            ranking = [{"name": intents[i], "confidence": float(row[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[:length] if length > 0 else ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    # ------------------------------------------------------------------ storage

    def persist(self) -> None:
        if self.weights is None:
            return
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / MODEL_FILE, **self.weights)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LinearIntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / MODEL_FILE, allow_pickle=False) as stored:
                    weights = {name: stored[name] for name in stored.files}
        except (ValueError, FileNotFoundError):
            logger.warning("LinearIntentClassifier: no trained model in %s; it will predict nothing",
                           resource.name)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, weights)
