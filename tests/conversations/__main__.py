"""Plays the conversation test set against the whole assistant and prints the journey completion rates.

    python -m tests.conversations [--language ru] [--part held_out] [--id ru-dispute-01] [--transcripts]
                                  [--json results.json] [--file my_conversations.yml]

Starts the embedded assistant as the end-to-end tests do (tests/assistant_stack.py: freshly seeded
backends, the action server, Rasa with the current model), plays every conversation as its buyer (a new
order for each conversation that needs one), checks what happened in the backends, and prints the share
of completed conversations per language and journey, development and held-out parts side by side, then
each failure. ``--transcripts`` prints the failed conversations as they went. ``--file`` plays the
conversations of other files in the set's format instead (a mystery-shopper session's, written on the spot)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

from tests import buyer_tokens
from tests.conversations.conversation_set import PARTS, load_file, load_set
from tests.conversations.orders import OrderFactory
from tests.conversations.player import Outcome, Player
from tests.conversations.report import failures, rates, table, transcript


def play_all(stack, database_url: str, conversations) -> List[Outcome]:
    from tests.servers import say, tracker_of

    factory = OrderFactory(database_url)
    try:
        player = Player(lambda text, sender, metadata: say(stack.rasa_url, text, sender, metadata),
                        lambda sender: tracker_of(stack.rasa_url, sender), factory, buyer_tokens.sign_buyer_token)
        return [player.play(conversation) for conversation in conversations]
    finally:
        factory.close()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", action="append", help="only these languages (repeatable)")
    parser.add_argument("--part", choices=PARTS, help="only this part")
    parser.add_argument("--id", action="append", help="only these conversations (repeatable)")
    parser.add_argument("--model", type=Path, help="default: the model of the current training data")
    parser.add_argument("--transcripts", action="store_true", help="print each failed conversation")
    parser.add_argument("--json", type=Path, help="also write every outcome to this file")
    parser.add_argument("--file", type=Path, action="append",
                        help="play the conversations of this file instead of the set (repeatable)")
    args = parser.parse_args(argv)
    if args.file:
        conversations = [c for path in args.file for c in load_file(path)
                         if not args.language or c.language in args.language]
    else:
        conversations = load_set(languages=args.language)
    if args.part:
        conversations = [c for c in conversations if c.part == args.part]
    if args.id:
        conversations = [c for c in conversations if c.id in args.id]
    if not conversations:
        print("no conversation matches", file=sys.stderr)
        return 2
    if args.model is None:
        from scripts.train_model import ensure_model
        args.model = ensure_model()
    from tests.assistant_stack import running_assistant_stack

    workdir = Path(tempfile.mkdtemp(prefix="silkroad-conversations-"))
    with running_assistant_stack(args.model.resolve(), workdir) as stack:
        outcomes = play_all(stack, f"sqlite:///{workdir / 'marketplace.db'}", conversations)
    print("\n".join(table(outcomes)))
    print()
    for line in failures(outcomes):
        print(line)
    if args.transcripts:
        for outcome in outcomes:
            if not outcome.completed:
                print(f"\n{outcome.conversation.id}:\n{transcript(outcome)}")
    if args.json:
        args.json.write_text(json.dumps({
            "rates": {"/".join(key): list(value) for key, value in rates(outcomes).items()},
            "outcomes": [{"id": o.conversation.id, "completed": o.completed, "failures": o.failures,
                          "error": o.error, "transcript": o.transcript, "readings": o.readings}
                         for o in outcomes]},
            ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
