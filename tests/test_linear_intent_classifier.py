"""bot/linear_intent_classifier.py: learns intents from the pipeline's sparse features, ranks them with
confidences that add up to one, and loads back from the model exactly as trained (plain arrays)."""

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.linear_intent_classifier import LinearIntentClassifier

EXAMPLES = {
    "track_order": ["where is my order", "track my parcel", "where is my package", "order status please",
                    "has my parcel shipped", "when will my order arrive", "track order SR-1", "parcel tracking"],
    "request_refund": ["I want a refund", "give me my money back", "refund please", "return and refund",
                       "can I get a refund", "money back for my order", "I need a refund now", "refund my payment"],
    "greet": ["hello", "hi there", "good morning", "hey", "hello bot", "hi", "good evening", "hey there"],
}


@pytest.fixture
def pipeline(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
        storage, Resource("featurizer"), context)
    data = TrainingData([Message.build(text, intent) for intent, texts in EXAMPLES.items() for text in texts])
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)

    def featurized(*texts):
        messages = [Message({"text": text}) for text in texts]
        tokenizer.process(messages)
        featurizer.process(messages)
        return messages
    return storage, context, data, featurized


def trained(pipeline, **config):
    storage, context, data, _ = pipeline
    classifier = LinearIntentClassifier.create({**LinearIntentClassifier.get_default_config(), **config}, storage,
                                               Resource("linear"), context)
    classifier.train(data)
    return classifier


def test_it_tells_the_intents_apart_with_a_ranking(pipeline):
    classifier = trained(pipeline)
    messages = classifier.process(pipeline[3]("where is my parcel", "refund please", "hello there"))
    assert [m.get("intent")["name"] for m in messages] == ["track_order", "request_refund", "greet"]
    for message in messages:
        ranking = message.get("intent_ranking")
        confidences = [r["confidence"] for r in ranking]
        assert confidences == sorted(confidences, reverse=True) and abs(sum(confidences) - 1) < 1e-6
        assert ranking[0] == message.get("intent")


def test_the_ranking_is_cut_to_its_length(pipeline):
    message, = trained(pipeline, ranking_length=2).process(pipeline[3]("track my order"))
    assert len(message.get("intent_ranking")) == 2


def test_it_loads_back_as_trained_without_pickles(pipeline):
    storage, context, _, featurized = pipeline
    classifier = trained(pipeline)
    loaded = LinearIntentClassifier.load(LinearIntentClassifier.get_default_config(), storage, Resource("linear"),
                                         context)
    for name, array in classifier.weights.items():
        assert np.array_equal(array, loaded.weights[name]), name
    before = classifier.process(featurized("money back"))[0].get("intent_ranking")
    after = loaded.process(featurized("money back"))[0].get("intent_ranking")
    assert before == after


def test_the_confidence_temperature_is_fitted_not_fixed(pipeline):
    classifier = trained(pipeline)
    assert 0.1 <= float(classifier.weights["temperature"][0]) <= 100.0


def test_a_pipeline_with_other_features_is_refused_clearly(pipeline):
    classifier = trained(pipeline)
    message = Message({"text": "hello"})
    from rasa.shared.nlu.training_data.features import Features
    from scipy.sparse import coo_matrix
    message.add_features(Features(coo_matrix(np.ones((1, 3))), "sentence", "text", "other"))
    with pytest.raises(ValueError, match="retrain"):
        classifier.process([message])


def test_untrained_it_predicts_nothing(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = LinearIntentClassifier.load({}, storage, Resource("missing"), context)
    message = Message({"text": "hello"})
    assert classifier.process([message])[0].get("intent") is None
