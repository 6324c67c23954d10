"""The backends' API keys are stored as hashes, one kind of caller each; the development entries never run in
production."""

import pytest
from pydantic import ValidationError

from backends.settings import Settings
from common import api_keys, development_secrets
from common.settings import InsecureSettings

REAL_KEYS = {"assistant": "a-real-assistant-key-8f2c", "carrier": "a-real-carrier-key-71d0"}
PRODUCTION = dict(profile="production", database_url="postgresql://silkroad@127.0.0.1/silkroad",
                  rasa_api_token="a-real-rasa-token-5e1b")


@pytest.mark.parametrize("raw", [
    "silkroad-dev-key",                                  # the old format: a raw key
    "assistant:silkroad-dev-assistant-key",              # a raw key with its kind
    "assistant:sha256:abc",                              # not a whole digest
    f"cashier:sha256:{'0' * 64}",                        # no such kind
    "",
])
def test_a_raw_key_or_a_malformed_entry_is_refused_saying_what_an_entry_is(raw):
    with pytest.raises(ValidationError) as refused:
        Settings(backend_api_keys=raw)
    message = str(refused.value)
    assert "SILKROAD_BACKEND_API_KEYS" in message
    assert raw == "" or "<kind>:sha256:<64 hex digits>" in message
    assert "silkroad-dev" not in message  # a key pasted by mistake is not echoed into the logs


def test_the_settings_hold_hashes_and_kind_of_finds_the_kind_only_for_its_key():
    digests = Settings(backend_api_keys=api_keys.entries(REAL_KEYS)).api_keys
    assert digests == {kind: frozenset({api_keys.key_digest(key)}) for kind, key in REAL_KEYS.items()}
    assert all(key not in str(digests) for key in REAL_KEYS.values())
    assert api_keys.kind_of(REAL_KEYS["carrier"], digests) == "carrier"
    assert api_keys.kind_of(REAL_KEYS["assistant"], digests) == "assistant"
    for wrong in ("", None, REAL_KEYS["carrier"] + " ", REAL_KEYS["carrier"].upper(),
                  api_keys.key_digest(REAL_KEYS["carrier"]), development_secrets.BACKEND_API_KEYS["carrier"]):
        assert api_keys.kind_of(wrong, digests) is None, wrong


def test_a_kind_may_have_two_keys_while_one_is_rotated_out():
    entries = ",".join([api_keys.entry("shop", "old-shop-key-1"), api_keys.entry("shop", "new-shop-key-2")])
    digests = Settings(backend_api_keys=entries).api_keys
    assert api_keys.kind_of("old-shop-key-1", digests) == api_keys.kind_of("new-shop-key-2", digests) == "shop"


def test_production_refuses_the_development_entries():
    with pytest.raises(InsecureSettings) as refused:
        Settings(**PRODUCTION)  # the default: the development keys' entries
    assert any("SILKROAD_BACKEND_API_KEYS" in problem for problem in refused.value.problems)
    development_shop_key = development_secrets.BACKEND_API_KEYS["shop"]
    mixed = ",".join([api_keys.entries(REAL_KEYS), api_keys.entry("shop", development_shop_key)])
    with pytest.raises(InsecureSettings, match="SILKROAD_BACKEND_API_KEYS"):
        Settings(**PRODUCTION, backend_api_keys=mixed)
    assert Settings(**PRODUCTION, backend_api_keys=api_keys.entries(REAL_KEYS)).production
