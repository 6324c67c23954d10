"""Print intent accuracy and macro-F1 per language on the held-out split.

    python -m scripts.evaluate_nlu [--model models/....tar.gz] [--errors] [--lang ru]
"""

from __future__ import annotations

import argparse
import logging
import sys

from bot.language_detection import SUPPORTED_LANGUAGES
from bot.nlu_evaluation import evaluate, format_report
from scripts.train_model import ensure_model


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="NLU evaluation on tests/nlu_split")
    parser.add_argument("--model", help="model archive (default: train or reuse the current one)")
    parser.add_argument("--lang", action="append", choices=SUPPORTED_LANGUAGES, help="only these languages")
    parser.add_argument("--worst", type=int, default=5, help="confusions listed per language")
    parser.add_argument("--errors", action="store_true", help="list every misclassified message")
    args = parser.parse_args(argv)
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)

    agent = Agent.load(args.model or str(ensure_model()))
    reports = evaluate(agent, args.lang or SUPPORTED_LANGUAGES)
    print(format_report(reports, worst=args.worst, show_errors=args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
