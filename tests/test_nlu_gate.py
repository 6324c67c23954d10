"""The NLU gate: each language at or above 0.90 intent macro-F1 and 0.85 entity F1 on the held-out split."""

import pytest

from bot.language_detection import SUPPORTED_LANGUAGES
from bot.nlu_evaluation import evaluate, format_report

MIN_MACRO_F1 = 0.90
MIN_ENTITY_F1 = 0.85


@pytest.fixture(scope="module")
def reports(agent):
    reports = evaluate(agent, SUPPORTED_LANGUAGES)
    print(format_report(reports))
    return reports


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_macro_f1_per_language(reports, language):
    report = reports[language]
    assert report.macro_f1 >= MIN_MACRO_F1, format_report({language: report}, show_errors=True)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_entity_f1_per_language(reports, language):
    report = reports[language]
    assert report.entity_f1 >= MIN_ENTITY_F1, format_report({language: report})
