"""A trained graph component's one JSON file in the model: written when it trains, read when the model loads."""

from __future__ import annotations

import json
from typing import Any, Optional

from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def write_json(model_storage: ModelStorage, resource: Resource, name: str, value: Any) -> None:
    with model_storage.write_to(resource) as directory:
        (directory / name).write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def read_json(model_storage: ModelStorage, resource: Resource, name: str) -> Optional[Any]:
    """The file's value, None when the component was never trained (Rasa has no directory for it)."""
    try:
        with model_storage.read_from(resource) as directory:
            return json.loads((directory / name).read_text(encoding="utf-8"))
    except ValueError:
        return None
