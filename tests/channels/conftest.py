"""The channel tests run on the session's assistant (tests/assistant_stack.py): every channel, with fakes of
Telegram's and WhatsApp's APIs."""

import pytest

from bot.settings import rasa_settings


@pytest.fixture(autouse=True)
def fresh_rasa_settings():
    """Each test reads the Rasa settings from the environment it sets (the process caches them)."""
    rasa_settings.cache_clear()
    yield
    rasa_settings.cache_clear()


@pytest.fixture
def channel_stack(assistant_stack):
    return assistant_stack
