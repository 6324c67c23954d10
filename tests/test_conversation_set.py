"""The conversation test set (tests/conversations): every file follows the format and covers every journey in
both parts; a file that breaks the format is refused with the conversation and what is wrong; the player
answers the bot's questions from the conversation's answers and reads the outcome as the backends hold it
(against a fake bot here; `python -m tests.conversations` plays the set against the whole assistant)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conversations.conversation_set import (JOURNEYS, ConversationSetError, counts, load_file, load_set,
                                                  substitute)
from tests.conversations.player import Player, journey_button, question_key
from tests.conversations.report import table

LANGUAGES = ("en", "zh", "ru", "ar")


def test_every_language_has_at_least_40_conversations_over_every_journey_and_both_parts():
    conversations = load_set()
    assert {conversation.language for conversation in conversations} >= set(LANGUAGES)
    table_ = counts(conversations)
    for language in LANGUAGES:
        assert sum(n for (lang, _, _), n in table_.items() if lang == language) >= 40
        for journey in JOURNEYS:
            assert table_.get((language, journey, "development"), 0) >= 3, (language, journey)
            assert table_.get((language, journey, "held_out"), 0) >= 1, (language, journey)


def write(tmp_path: Path, conversations, language="en") -> Path:
    path = tmp_path / f"{language}.yml"
    path.write_text(yaml.safe_dump({"language": language, "conversations": conversations}, allow_unicode=True))
    return path


GOOD = {"id": "en-dispute-01", "journey": "dispute", "buyer": "buyer-my-hafiz", "order": "delivered",
        "turns": ["hi", "order {order} never came"], "answers": {"dispute_confirmed": "yes go ahead"},
        "expect": {"dispute": "opened", "never_asked": ["order_number"]}}


@pytest.mark.parametrize("change, message", [
    ({"journey": "shopping"}, "journey 'shopping'"),
    ({"part": "test"}, "part 'test'"),
    ({"order": "lost"}, "order 'lost'"),
    ({"turns": []}, "turns is a non-empty list"),
    ({"answers": {"dispute_mood": "angry"}}, "answers keys"),
    ({"expect": {"dispute": "maybe"}}, "expect dispute"),
    ({"expect": {"refund": {"requested": True, "amount": "a hundred"}}}, "'100 MYR'"),
    ({"order": None}, "names {order} but no order"),
    ({"buyer": "guest"}, "a guest has no orders"),
    ({"id": "ru-dispute-01"}, "must start with 'en-'"),
    ({"colour": "red"}, "unknown keys"),
])
def test_a_broken_conversation_is_refused_with_its_id_and_what_is_wrong(tmp_path, change, message):
    with pytest.raises(ConversationSetError, match=message.replace("{", r"\{").replace("(", r"\(")):
        load_file(write(tmp_path, [{**GOOD, **change}]))


def test_ids_are_unique_and_the_language_matches_the_file(tmp_path):
    with pytest.raises(ConversationSetError, match="ids used twice: en-dispute-01"):
        load_file(write(tmp_path, [GOOD, GOOD]))
    path = tmp_path / "en.yml"
    path.write_text(yaml.safe_dump({"language": "ru", "conversations": [GOOD]}))
    with pytest.raises(ConversationSetError, match="differs from the file's name"):
        load_file(path)
    assert load_file(write(tmp_path, [GOOD]))[0].expect["dispute"] == "opened"


def test_placeholders_are_filled():
    assert substitute("order {order} / {order_digits}", {"{order}": "SR-900001", "{order_digits}": "900001"}) == \
        "order SR-900001 / 900001"


def tracker(events, loop=None, requested=None):
    return {"events": events, "active_loop": {"name": loop} if loop else {}, "slots": {"requested_slot": requested}}


def bot(name, text="..."):
    return {"event": "bot", "text": text, "metadata": {"utter_action": name}}


def test_the_question_is_the_forms_requested_slot_or_the_bots_last_question():
    user = {"event": "user", "text": "hi"}
    assert question_key(tracker([user, bot("utter_ask_dispute_reason")], "dispute_form", "dispute_reason")) == \
        "dispute_reason"
    assert question_key(tracker([user, bot("utter_confirm_receipt_question")])) == "confirm_receipt_confirmed"
    assert question_key(tracker([user, bot("utter_which_order")])) == "order_number"
    assert question_key(tracker([user, bot("utter_greet")])) is None
    assert question_key(tracker([bot("utter_ask_dispute_reason"), user])) is None  # already answered


def test_offered_a_refund_or_a_dispute_the_buyer_taps_the_journey_they_came_for():
    user = {"event": "user", "text": "the lid came cracked"}
    offer = {**bot("utter_receipt_problem_reported", "I'm sorry…"), "data": {"buttons": [
        {"title": "Ask for a refund", "payload": '/request_refund{"order_id": "SR-900001"}'},
        {"title": "Open a dispute", "payload": '/open_dispute{"order_id": "SR-900001"}'}]}}
    assert journey_button(tracker([user, offer]), "dispute") == '/open_dispute{"order_id": "SR-900001"}'
    assert journey_button(tracker([user, offer]), "refund") == '/request_refund{"order_id": "SR-900001"}'
    assert journey_button(tracker([user, offer]), "search") is None  # no button of its own
    assert journey_button(tracker([offer, user]), "dispute") is None  # offered before the latest message


class FakeOrders:
    """No database: the player is given orders by number."""

    sessions = None

    def __init__(self):
        self.made = []

    def make(self, buyer, state, category=None, key=None, part_of=None):
        from tests.conversations.orders import FreshOrder

        self.made.append((buyer, state, category))
        return FreshOrder(f"SR-90000{len(self.made)}", "LP123", "CNY", 10000)


class FakeBot:
    """A dispute form that asks for the reason and the confirmation, and understands only a bare 'yes'."""

    def __init__(self):
        self.events = []
        self.received = []

    def say(self, text, sender, metadata):
        self.received.append((text, dict(metadata)))
        self.events.append({"event": "user", "text": text})
        asked = [e for e in self.events if e.get("event") == "bot"]
        if not asked:
            reply = bot("utter_ask_dispute_reason", "What is the dispute about?")
        elif text == "yes":
            reply = bot("utter_dispute_opened", "Opened.")
        else:
            reply = bot("utter_ask_dispute_confirmed", "Shall I open it?")
        self.events.append(reply)
        return [{"text": reply["text"]}]

    def tracker(self, sender):
        last = [e for e in self.events if e.get("event") == "bot"][-1]
        name = last["metadata"]["utter_action"]
        open_loop = name.startswith("utter_ask_")
        return tracker(self.events, "dispute_form" if open_loop else None,
                       name[len("utter_ask_"):] if open_loop else None)


def test_the_player_sends_the_turns_then_answers_each_question_at_most_twice(monkeypatch):
    from tests.conversations import player as player_module

    conversation = load_file_from(GOOD, answers={"dispute_reason": "never came", "dispute_confirmed": "yes go ahead"},
                                  expect={"dispute": "opened"})
    fake, orders = FakeBot(), FakeOrders()
    checked = []
    monkeypatch.setattr(player_module, "Checker", lambda *args: type("C", (), {
        "failures": lambda self: checked.append(args) or ["dispute: no dispute was opened"]})())
    outcome = Player(fake.say, fake.tracker, orders, lambda buyer: f"token-of-{buyer}").play(conversation)
    texts = [text for text, _ in fake.received]
    # the turns, then the reason when asked, then the confirmation twice (the bot does not take it), then stop
    assert texts == ["hi", "order SR-900001 never came", "yes go ahead", "yes go ahead"]
    assert {m["buyer_token"] for _, m in fake.received} == {"token-of-buyer-my-hafiz"}
    assert orders.made == [("buyer-my-hafiz", "delivered", None)]
    assert not outcome.completed and outcome.failures == ["dispute: no dispute was opened"]
    assert outcome.transcript[:2] == [("buyer", "hi"), ("bot", "What is the dispute about?")]
    lines = table([outcome])
    assert any(line.startswith("dispute") and "0% (0/1)" in line for line in lines)


def load_file_from(raw, **changes):
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        return load_file(write(Path(directory), [{**raw, **changes}]))[0]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path_factory.mktemp('set') / 'marketplace.db'}"
    subprocess.run([sys.executable, "-m", "backends.seed", url], check=True, capture_output=True)
    from tests.conversations.orders import OrderFactory

    factory = OrderFactory(url)
    yield factory
    factory.close()


def test_fresh_orders_are_made_in_the_state_asked_with_their_escrow(seeded):
    from backends.db import session_scope
    from backends.models import EscrowAccount, Order
    import sqlalchemy as sa

    made = {state: seeded.make("buyer-kz-aidana", state, "headphones" if state == "delivered" else None)
            for state in ("paid", "shipped", "customs_hold", "delivered")}
    numbers = [order.number for order in made.values()]
    assert len(set(numbers)) == 4 and all(number.startswith("SR-9") for number in numbers)
    assert made["paid"].tracking is None and made["shipped"].tracking
    with session_scope(seeded.sessions) as session:
        rows = dict(session.execute(sa.select(Order.number, EscrowAccount.state).join(EscrowAccount)
                                    .where(Order.number.in_(numbers))).all())
        statuses = dict(session.execute(sa.select(Order.number, Order.status).where(Order.number.in_(numbers))).all())
    assert rows == {number: "held" for number in numbers}
    assert statuses[made["customs_hold"].number] == "shipped" and statuses[made["delivered"].number] == "delivered"
    with pytest.raises(ValueError, match="order state 'lost'"):
        seeded.make("buyer-kz-aidana", "lost")
    with pytest.raises(ValueError, match="no buyer 'buyer-nobody'"):
        seeded.make("buyer-nobody", "paid")


def test_a_conversations_order_is_the_same_whatever_was_played_before_it(seeded):
    first = seeded.make("buyer-ru-dmitry", "delivered", key="ru-refund-01/order")
    for _ in range(3):
        seeded.make("buyer-ru-dmitry", "delivered")  # other conversations' orders in between
    again = seeded.make("buyer-ru-dmitry", "delivered", key="ru-refund-01/order")
    other = seeded.make("buyer-ru-dmitry", "delivered", key="ru-refund-02/order")
    assert again.number != first.number
    assert (again.total_minor, again.currency) == (first.total_minor, first.currency)
    assert again.tracking[:2] == first.tracking[:2] and again.tracking != first.tracking  # same carrier, own parcel
    assert (other.total_minor, other.tracking) != (first.total_minor, first.tracking)


def test_an_order_for_a_partial_refund_costs_well_more_than_the_part(seeded):
    from backends.db import session_scope
    from backends.money import RateTable

    for index in range(6):
        made = seeded.make("buyer-id-putri", "delivered", "clothing", key=f"en-refund-{index}/order",
                           part_of=(15000000, "IDR"))  # 150k rupiah asked back
        with session_scope(seeded.sessions) as session:
            paid_in_idr = RateTable.latest(session).convert(made.total_minor, made.currency, "IDR")
        assert paid_in_idr >= 1.5 * 15000000


def test_the_checker_reads_disputes_refunds_and_releases_from_the_backends(seeded):
    from backends.escrow.actors import Actor
    from backends.escrow.policy import ProtectionPolicy
    from backends.escrow.service import EscrowService
    from tests.conversations.player import Checker

    disputed, refunded, released, untouched = (seeded.make("buyer-my-hafiz", "delivered") for _ in range(4))
    service, buyer = EscrowService(seeded.sessions, ProtectionPolicy()), Actor("buyer", "buyer-my-hafiz", "api")
    service.open_dispute(disputed.number, buyer, "k1", "not_received", "never came")
    service.request_refund(refunded.number, buyer, "k2", "damaged", amount_minor=refunded.total_minor // 2,
                           return_goods=True)
    service.release(released.number, buyer, "k3")

    def check(order, expect):
        conversation = load_file_from(GOOD, expect=expect)
        return Checker(seeded, conversation, order, None, "sender-x", {"events": []}).failures()

    assert check(disputed, {"dispute": "opened", "dispute_reason": "not_received"}) == []
    assert check(untouched, {"dispute": "opened"}) == ["dispute: no dispute was opened"]
    assert check(disputed, {"dispute": "none"}) == ["dispute: a dispute was opened (not_received)"]
    assert check(refunded, {"refund": {"requested": True, "amount": f"{refunded.total_minor / 200:.2f} CNY"},
                            "return_item": True}) == []
    assert check(refunded, {"refund": {"requested": True, "amount": "all"}})[0].startswith("refund: ")
    assert check(untouched, {"refund": "none", "receipt": "none", "handoff": "none"}) == []
    assert check(released, {"receipt": "confirmed"}) == []
    assert check(untouched, {"receipt": "confirmed"}) == ["receipt: the payment was not released (escrow held)"]
