"""scripts/compare_training.py: candidates differ from config.yml only where they say; component times are
read from Rasa's training log."""

from scripts.compare_training import (CORE_CANDIDATES, NLU_CANDIDATES, base_config, component_seconds,
                                      core_table)

LOG = """2026-12-06 17:09:04 INFO     rasa.engine.training.hooks  - Starting to train component 'CountVectorsFeaturizer'.
2026-12-06 17:09:06 INFO     rasa.engine.training.hooks  - Finished training component 'CountVectorsFeaturizer'.
2026-12-06 17:09:09 INFO     rasa.engine.training.hooks  - Starting to train component 'CountVectorsFeaturizer'.
2026-12-06 17:09:10 INFO     rasa.engine.training.hooks  - Finished training component 'CountVectorsFeaturizer'.
Epochs: 100%|##########| 3/3
2026-12-06 17:09:15 INFO     rasa.engine.training.hooks  - Starting to train component 'DIETClassifier'.
2026-12-06 17:18:05 INFO     rasa.engine.training.hooks  - Finished training component 'DIETClassifier'.
"""


def test_component_times_come_from_the_log():
    assert component_seconds(LOG) == {"CountVectorsFeaturizer": 3.0, "DIETClassifier": 530.0}


def test_nlu_candidates_change_only_the_intent_and_entity_models():
    base = base_config()
    shared = {"LanguageIdentifier", "MultilingualTokenizer", "EntityValueFeaturizer", "CountVectorsFeaturizer",
              "EntitySynonymMapper", "UnknownWordsFallback", "FallbackClassifier"}
    for candidate in NLU_CANDIDATES:
        config = candidate.edit(base)
        names = [c["name"].rsplit(".", 1)[-1] for c in config["pipeline"]]
        assert shared <= set(names), candidate.name
        assert names[-3:] == ["EntitySynonymMapper", "UnknownWordsFallback", "FallbackClassifier"]
        assert config["policies"] == base["policies"]
        assert ("LexicalSyntacticFeaturizer" in names) == ("DIETClassifier" in names), candidate.name
    assert NLU_CANDIDATES[0].edit(base) != base  # the reference DIET is not config.yml any more
    assert next(c for c in NLU_CANDIDATES if c.name == "linear+crf").edit(base) == base


def test_core_candidates_change_only_the_policies():
    base = base_config()
    for candidate in CORE_CANDIDATES:
        config = candidate.edit(base)
        assert config["pipeline"] == base["pipeline"], candidate.name
        assert config["policies"][0]["name"] == "RulePolicy"


def test_the_core_table_lists_each_policys_time_and_the_errors():
    table = core_table({"ted-40": {"seconds": 80.2, "components": {"TEDPolicy": 13.0, "RulePolicy": 1.0},
                                   "errors": 0}})
    assert "| ted-40 | 80 | RulePolicy 1, TEDPolicy 13 | 0 |" in table
