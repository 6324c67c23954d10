"""bot/nlu_evaluation.py: entity F1 counts (entity, covered text) pairs, micro-averaged."""

from bot.nlu_evaluation import LanguageReport, entity_pairs


def test_entity_pairs_are_the_covered_text_whatever_the_canonical_value():
    text = "красные кроссовки до 5000"
    entities = [{"entity": "color", "start": 0, "end": 7, "value": "red"},
                {"entity": "product_category", "start": 8, "end": 17, "value": "sneakers"},
                {"entity": "amount", "value": "5000"}]  # no span: not comparable, left out
    assert entity_pairs(text, entities) == {("color", "красные"), ("product_category", "кроссовки")}


def test_entity_f1_is_micro_averaged_over_pairs():
    gold = [frozenset({("color", "red"), ("product_category", "shoes")}), frozenset(), frozenset({("country", "kz")})]
    predicted = [frozenset({("color", "red")}), frozenset({("amount", "5")}), frozenset({("country", "kz")})]
    report = LanguageReport("en", gold=["a", "b", "c"], predicted=["a", "b", "x"], texts=["", "", ""],
                            gold_entities=gold, predicted_entities=predicted)
    # found 2 of 3 annotated, 2 of 3 predicted right: F1 = 2*2 / (3+3)
    assert abs(report.entity_f1 - 4 / 6) < 1e-9
    assert abs(report.accuracy - 2 / 3) < 1e-9


def test_no_entities_anywhere_is_a_perfect_entity_score():
    report = LanguageReport("en", gold=["a"], predicted=["a"], texts=[""], gold_entities=[frozenset()],
                            predicted_entities=[frozenset()])
    assert report.entity_f1 == 1.0
