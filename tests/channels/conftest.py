"""The channel tests run on the session's assistant (tests/assistant_stack.py): every channel, with fakes of
Telegram's and WhatsApp's APIs."""

import pytest


@pytest.fixture
def channel_stack(assistant_stack):
    return assistant_stack
