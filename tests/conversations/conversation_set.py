"""The conversation test set's files (tests/conversations/<language>.yml): read, checked, and turned into
``Conversation`` objects. The format is described in tests/conversations/README.md; a file that breaks it
is refused with the conversation's id and what is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

HERE = Path(__file__).resolve().parent
JOURNEYS = ("search", "import_rules", "track", "confirm_receipt", "refund", "dispute", "handoff")
PARTS = ("development", "held_out")
ORDER_STATES = ("paid", "shipped", "customs_hold", "delivered")
ANSWER_KEYS = ("order_number", "refund_reason", "refund_return", "refund_amount", "refund_confirmed",
               "dispute_reason", "dispute_description", "dispute_evidence", "dispute_confirmed",
               "confirm_receipt_confirmed", "search_category", "search_budget", "search_destination",
               "destination_country")
EXPECT_KEYS = ("dispute", "dispute_reason", "refund", "return_item", "receipt", "handoff", "track", "track_order",
               "search", "import_rules", "never_asked")
PLACEHOLDERS = ("{order}", "{order_digits}", "{tracking}", "{other_order}")
_AMOUNT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s+([A-Z]{3})\s*$")


class ConversationSetError(ValueError):
    """A conversation file that does not follow the format."""


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def parse(cls, text: Any, where: str) -> "Money":
        match = _AMOUNT.match(str(text))
        if not match:
            raise ConversationSetError(f"{where}: an amount is written '100 MYR' (got {text!r})")
        try:
            return cls(Decimal(match.group(1).replace(",", ".")), match.group(2))
        except InvalidOperation as error:
            raise ConversationSetError(f"{where}: {text!r} is not an amount") from error


@dataclass
class Conversation:
    id: str
    language: str
    journey: str
    part: str
    buyer: Optional[str]  # None: a guest
    turns: List[str]
    answers: Dict[str, str] = field(default_factory=dict)
    expect: Dict[str, Any] = field(default_factory=dict)
    order: Optional[str] = None
    order_category: Optional[str] = None
    other_order: Optional[str] = None

    @property
    def needs_order(self) -> bool:
        return self.order is not None


def _text(value: Any, where: str) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
        raise ConversationSetError(f"{where}: a non-empty text is expected (got {value!r})")
    return str(value)


def _conversation(raw: Dict[str, Any], language: str, source: Path) -> Conversation:
    if not isinstance(raw, dict):
        raise ConversationSetError(f"{source.name}: every conversation is a mapping (got {raw!r})")
    cid = raw.get("id")
    where = f"{source.name}: {cid}"
    if not isinstance(cid, str) or not cid.startswith(f"{language}-"):
        raise ConversationSetError(f"{source.name}: id {cid!r} must start with '{language}-'")
    unknown = set(raw) - {"id", "journey", "part", "buyer", "order", "order_category", "other_order", "turns",
                          "answers", "expect"}
    if unknown:
        raise ConversationSetError(f"{where}: unknown keys {sorted(unknown)}")
    journey, part = raw.get("journey"), raw.get("part", "development")
    if journey not in JOURNEYS:
        raise ConversationSetError(f"{where}: journey {journey!r} is not one of {', '.join(JOURNEYS)}")
    if part not in PARTS:
        raise ConversationSetError(f"{where}: part {part!r} is not one of {', '.join(PARTS)}")
    buyer = raw.get("buyer", "guest")
    for key in ("order", "other_order"):
        if raw.get(key) is not None and raw[key] not in ORDER_STATES:
            raise ConversationSetError(f"{where}: {key} {raw[key]!r} is not one of {', '.join(ORDER_STATES)}")
    if (raw.get("order") or raw.get("other_order")) and buyer == "guest":
        raise ConversationSetError(f"{where}: a guest has no orders")
    turns = raw.get("turns") or []
    if not isinstance(turns, list) or not turns:
        raise ConversationSetError(f"{where}: turns is a non-empty list")
    turns = [_text(turn, f"{where}, turn {index + 1}") for index, turn in enumerate(turns)]
    answers = raw.get("answers") or {}
    if not isinstance(answers, dict) or set(answers) - set(ANSWER_KEYS):
        raise ConversationSetError(f"{where}: answers keys are {', '.join(ANSWER_KEYS)}")
    answers = {key: _text(value, f"{where}, answer {key}") for key, value in answers.items()}
    expect = raw.get("expect") or {}
    if not isinstance(expect, dict) or not expect or set(expect) - set(EXPECT_KEYS):
        raise ConversationSetError(f"{where}: expect is a mapping of {', '.join(EXPECT_KEYS)}")
    _check_expectations(expect, where)
    texts = " ".join(turns + list(answers.values()))
    if ("{order}" in texts or "{order_digits}" in texts or "{tracking}" in texts) and not raw.get("order"):
        raise ConversationSetError(f"{where}: the text names {{order}} but no order is made (order: <state>)")
    if "{other_order}" in texts and not raw.get("other_order"):
        raise ConversationSetError(f"{where}: the text names {{other_order}} but other_order is not set")
    return Conversation(cid, language, journey, part, None if buyer == "guest" else buyer, turns, answers, expect,
                        raw.get("order"), raw.get("order_category"), raw.get("other_order"))


def _check_expectations(expect: Dict[str, Any], where: str) -> None:
    checks = {"dispute": ("opened", "none"), "receipt": ("confirmed", "none"), "handoff": ("queued", "none"),
              "track": ("shown",), "track_order": ("other",)}
    for key, allowed in checks.items():
        if key in expect and expect[key] not in allowed:
            raise ConversationSetError(f"{where}: expect {key} is one of {', '.join(allowed)}")
    refund = expect.get("refund")
    if refund is not None and refund != "none":
        if not isinstance(refund, dict) or refund.get("requested") is not True:
            raise ConversationSetError(f"{where}: expect refund is none or {{requested: true, amount: ...}}")
        amount = refund.get("amount", "all")
        if amount != "all":
            Money.parse(amount, f"{where}, refund amount")
    for key in ("search", "import_rules"):
        if key in expect and not isinstance(expect[key], dict):
            raise ConversationSetError(f"{where}: expect {key} is a mapping")
    if "search" in expect and "max_price" in expect["search"]:
        Money.parse(expect["search"]["max_price"], f"{where}, search max_price")
    if "import_rules" in expect and "amount" in expect["import_rules"]:
        Money.parse(expect["import_rules"]["amount"], f"{where}, import_rules amount")
    never = expect.get("never_asked", [])
    if not isinstance(never, list) or set(never) - set(ANSWER_KEYS):
        raise ConversationSetError(f"{where}: never_asked lists answer keys")


def load_file(path: Path) -> List[Conversation]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ConversationSetError(f"{path.name}: not YAML ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
        raise ConversationSetError(f"{path.name}: a mapping with 'language' and 'conversations'")
    language = data.get("language")
    if language != path.stem:
        raise ConversationSetError(f"{path.name}: language {language!r} differs from the file's name")
    conversations = [_conversation(raw, language, path) for raw in data["conversations"]]
    seen: Dict[str, int] = {}
    for conversation in conversations:
        seen[conversation.id] = seen.get(conversation.id, 0) + 1
    repeated = sorted(cid for cid, count in seen.items() if count > 1)
    if repeated:
        raise ConversationSetError(f"{path.name}: ids used twice: {', '.join(repeated)}")
    return conversations


def load_set(directory: Path = HERE, languages: Optional[List[str]] = None) -> List[Conversation]:
    files = sorted(directory.glob("*.yml"))
    if languages:
        files = [path for path in files if path.stem in languages]
    return [conversation for path in files for conversation in load_file(path)]


def substitute(text: str, values: Dict[str, str]) -> str:
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def counts(conversations: List[Conversation]) -> Dict[Tuple[str, str, str], int]:
    """(language, journey, part) -> number of conversations."""
    table: Dict[Tuple[str, str, str], int] = {}
    for conversation in conversations:
        key = (conversation.language, conversation.journey, conversation.part)
        table[key] = table.get(key, 0) + 1
    return table
