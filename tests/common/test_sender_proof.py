"""A sender proof names its channel and sender: it verifies only for them, only with the secret it was signed
with, only unchanged and only until it expires."""

import time

import pytest

from common import sender_proof
from common.buyer_tokens import sign_buyer_token, verify_buyer_token

SECRET = "a-secret-shared-by-rasa-and-the-actions"


def test_a_proof_verifies_for_its_own_channel_and_sender():
    proof = sender_proof.sign(SECRET, "telegram", "1001", platform_verified=True)
    verified = sender_proof.verify(SECRET, proof, "telegram", "1001")
    assert verified.platform_verified and verified.buyer_id is None


@pytest.mark.parametrize("channel,sender,signed_with", [
    ("rest", "1001", SECRET),  # the same chat id claimed through another channel
    ("telegram", "1002", SECRET),  # copied into another conversation
    ("telegram", "1001", "another-secret"),  # signed by someone else
])
def test_a_proof_does_not_verify_elsewhere(channel, sender, signed_with):
    proof = sender_proof.sign(signed_with, "telegram", "1001", platform_verified=True)
    assert sender_proof.verify(SECRET, proof, channel, sender) is None


@pytest.mark.parametrize("change", [{"buyer_id": "buyer-other"}, {"platform_verified": True},
                                    {"expires_at": 4_000_000_000}, {"channel": "telegram"}, {"mac": "0" * 64},
                                    {"v": 2}])
def test_a_changed_proof_does_not_verify(change):
    proof = sender_proof.sign(SECRET, "socketio", "web-1", buyer_id="buyer-sa-noura")
    assert sender_proof.verify(SECRET, {**proof, **change}, "socketio", "web-1") is None


@pytest.mark.parametrize("value", [None, "x", [], {"v": 1}, {"v": 1, "issued_at": "1", "expires_at": 2, "mac": "x",
                                                            "platform_verified": False, "channel": "rest"}])
def test_malformed_proofs_name_nobody(value):
    assert sender_proof.verify(SECRET, value, "rest", "x") is None


def test_a_proof_expires_with_the_token_it_came_from():
    now = time.time()
    proof = sender_proof.sign(SECRET, "socketio", "web-1", buyer_id="b", expires_at=int(now) + 60, now=now)
    assert sender_proof.verify(SECRET, proof, "socketio", "web-1", now=now + 59)
    assert sender_proof.verify(SECRET, proof, "socketio", "web-1", now=now + 61) is None
    lasting = sender_proof.sign(SECRET, "socketio", "web-1", now=now)  # never longer than its lifetime
    assert sender_proof.verify(SECRET, lasting, "socketio", "web-1", now=now + sender_proof.LIFETIME_SECONDS) is None


def test_buyer_tokens_are_verified_with_the_shops_secret():
    token = sign_buyer_token("buyer-kz-aidana", SECRET)
    assert verify_buyer_token(token, SECRET).buyer_id == "buyer-kz-aidana"
    for forged in (sign_buyer_token("buyer-kz-aidana", "not-the-shops-secret-but-long-enough-0123"),
                   sign_buyer_token("buyer-kz-aidana", SECRET, lifetime_seconds=-10), "not.a.token", "", None, 5,
                   "x" * 5000):
        assert verify_buyer_token(forged, SECRET) is None
