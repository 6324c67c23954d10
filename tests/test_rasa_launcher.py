"""bot/server.py, the launcher of every Rasa process: what it hands to Rasa."""

import pytest

from bot import rasa_patches, server


def test_the_rasa_server_applies_the_fixes(monkeypatch):
    """bot/server.py installs them before Rasa starts."""
    calls = []
    monkeypatch.setattr("sys.argv", ["python -m bot.server"])  # main() sets them for Rasa: restored after
    monkeypatch.delenv(server.ACTION_TOKEN_VARIABLE, raising=False)
    monkeypatch.delenv("SANIC_REQUEST_MAX_SIZE", raising=False)
    monkeypatch.setattr(rasa_patches, "apply", lambda: calls.append("apply"))
    monkeypatch.setattr("rasa.__main__.main", lambda: calls.append("rasa"))
    assert server.main(["--model", "models/none.tar.gz"]) == 0
    assert calls == ["apply", "rasa"]


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "--looks-like-an-option", "plain_token"])
def test_rasa_reads_any_api_token_the_launcher_passes(token):
    """A generated secret may begin with "-" (URL-safe base64): Rasa's own parser still reads it as the token."""
    from rasa.__main__ import create_argument_parser

    options = server.parser().parse_args(["--model", "m.tar.gz"])
    arguments = server.rasa_arguments(options, token, ["https://shop.example"])
    parsed = create_argument_parser().parse_args(arguments)
    assert parsed.auth_token == token
    assert parsed.cors == ["https://shop.example"]
