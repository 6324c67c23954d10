"""Journey 3 end to end through the REST webhook: the buyer's yes releases the escrow exactly once,
checked in the backend's ledger and audit trail, in every language."""

import uuid

import pytest

from tests.buyer_tokens import sign_buyer_token
from tests.servers import say_texts

# Buyers with a delivered demo order; the language is the one they write in.
CONVERSATIONS = {
    "en": ("buyer-my-hafiz", "the package for {number} arrived", "yes"),
    "zh": ("buyer-ae-b2b-gulfmart", "订单{number}确认收货", "是的"),
    "ru": ("buyer-ru-dmitry", "подтверждаю получение заказа {number}", "да"),
    "ar": ("buyer-ae-omar", "تأكيد استلام الطلب {number}", "نعم"),
}


@pytest.fixture
def stack(assistant_stack):
    return assistant_stack.rasa_url, assistant_stack.backends


def say(rasa_url, sender, text, buyer):
    return say_texts(rasa_url, text, sender, {"buyer_token": sign_buyer_token(buyer)})


@pytest.fixture
def staff(assistant_stack):
    """What support staff read in the console (signed in): the escrow's audit trail."""
    console = assistant_stack.console()

    def read(path):
        answer = console.get(f"{assistant_stack.shop_url}{path}", timeout=10)
        answer.raise_for_status()
        return answer.json()
    return read


def releases(staff, number):
    audit = staff(f"/console/api/orders/{number}/escrow/audit")
    return [e for e in audit if e["action"] == "release" and e["outcome"] == "ok"]


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_a_yes_releases_the_escrow_once(stack, staff, language):
    rasa_url, backends = stack
    buyer, claim, yes = CONVERSATIONS[language]
    number = next(o.number for o in backends.orders.orders(buyer, language) if o.status == "delivered")
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    question = say(rasa_url, sender, claim.format(number=number), buyer)
    assert len(question) == 1 and number in question[0], question
    assert backends.escrow.state(buyer, number).state == "held"  # nothing moves before the yes
    done = say(rasa_url, sender, yes, buyer)
    assert len(done) == 1 and number in done[0], done
    say(rasa_url, sender, yes, buyer)  # a second yes
    state = backends.escrow.state(buyer, number)
    assert state.state == "released" and state.released_to_seller == state.amount
    events = releases(staff, number)
    assert len(events) == 1 and events[0]["actor_id"] == buyer and events[0]["channel"] == "rest"


def test_a_no_keeps_the_payment_on_hold(stack, staff):
    rasa_url, backends = stack
    buyer = "buyer-kz-aidana"
    number = next(o.number for o in backends.orders.orders(buyer, "ru") if o.status == "delivered")
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(rasa_url, sender, f"заказ {number} получил, все хорошо", buyer)
    reply = say(rasa_url, sender, "нет", buyer)
    assert len(reply) == 1 and "удержании" in reply[0]
    assert backends.escrow.state(buyer, number).state == "held" and releases(staff, number) == []
