"""The backends' API keys are stored as hashes, one kind of caller each."""

import pytest

from common import api_keys


def test_a_key_is_found_by_its_hash_only():
    digests = api_keys.parse(api_keys.entries({"assistant": "key-a", "carrier": "key-c"}) + ","
                             + api_keys.entry("carrier", "key-c-next"))
    assert api_keys.kind_of("key-a", digests) == "assistant"
    assert api_keys.kind_of("key-c", digests) == api_keys.kind_of("key-c-next", digests) == "carrier"  # rotation
    assert api_keys.kind_of("key-x", digests) is None and api_keys.kind_of("", digests) is None
    assert "key-a" not in api_keys.entries({"assistant": "key-a"})


@pytest.mark.parametrize("raw", ["silkroad-dev-key", "assistant:key", "boss:sha256:" + "0" * 64,
                                 "assistant:sha256:" + "0" * 63, "", " , "])
def test_malformed_entries_are_refused_saying_what_an_entry_is(raw):
    with pytest.raises(ValueError, match="SILKROAD_BACKEND_API_KEYS"):
        api_keys.parse(raw)
    if raw.strip(" ,"):
        with pytest.raises(ValueError, match="sha256"):
            api_keys.parse(raw)
