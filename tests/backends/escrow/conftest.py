import pytest

from backends.escrow.actors import Actor
from backends.escrow.policy import ProtectionPolicy
from backends.escrow.service import EscrowService
from tests.backends.escrow.orders_for_escrow import FakeClock

POLICY = ProtectionPolicy(protection_days=15, extension_days=10, resume_grace_days=3)
PAYMENTS = Actor("system", "payments", "payments")
CARRIER = Actor("system", "carrier", "carrier")
BUYER = Actor("buyer", "buyer-t", "telegram")
OTHER_BUYER = Actor("buyer", "buyer-other", "web")
SELLER = Actor("seller", "seller-t", "api")
STAFF = Actor("staff", "agent-7", "console")


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def service(sessions, clock):
    return EscrowService(sessions, POLICY, clock)
