"""The base of every request body: a JSON object, nothing else.

pydantic reads anything ``dict()`` accepts as an object (``[]`` as ``{}``, ``[["note", "x"]]`` as a note): a
client that sent a list meant something else, and is told so with a 422 rather than served a guess.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.errors import DictError


class RequestBody(BaseModel):
    @classmethod
    def validate(cls, value: Any) -> "RequestBody":
        if not isinstance(value, (dict, cls)):
            raise DictError()
        return super().validate(value)
