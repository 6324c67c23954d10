"""Make the production secrets.

    python -m common.secrets new                 # a random secret (shop tokens, Rasa's API, the action server, proofs)
    python -m common.secrets new-key assistant   # a backend API key and its SILKROAD_BACKEND_API_KEYS entry
    python -m common.secrets entry assistant KEY # the entry of an existing key (the key read from stdin if -)

docs/security.md says which setting takes which, and how to rotate them.
"""

from __future__ import annotations

import argparse
import secrets as random_source
import sys
from typing import List, Optional

from common.api_keys import KINDS, entry


def new_secret() -> str:
    return random_source.token_urlsafe(32)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m common.secrets", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("new", help="a random secret (32 bytes, URL-safe)")
    new_key = commands.add_parser("new-key", help="a backend API key for one kind of caller, and its entry")
    new_key.add_argument("kind", choices=KINDS)
    existing = commands.add_parser("entry", help="the SILKROAD_BACKEND_API_KEYS entry of an existing key")
    existing.add_argument("kind", choices=KINDS)
    existing.add_argument("key", help="the key, or - to read it from standard input")
    args = parser.parse_args(argv)
    if args.command == "new":
        print(new_secret())
    elif args.command == "new-key":
        key = new_secret()
        print(f"key (give it to the {args.kind}):   {key}")
        print(f"entry (add it to SILKROAD_BACKEND_API_KEYS): {entry(args.kind, key)}")
    else:
        key = sys.stdin.readline().strip() if args.key == "-" else args.key
        print(entry(args.kind, key))
    return 0


if __name__ == "__main__":
    sys.exit(main())
