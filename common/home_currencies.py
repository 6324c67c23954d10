"""The currency a guest's bare amount is read in, by the language they write (common/lexicon/home_currencies.yml)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional

import yaml

HOME_CURRENCIES = Path(__file__).resolve().parent / "lexicon" / "home_currencies.yml"


@lru_cache(maxsize=1)
def home_currencies() -> Dict[str, str]:
    data = yaml.safe_load(HOME_CURRENCIES.read_text(encoding="utf-8")) or {}
    return {str(language): str(code).upper() for language, code in data.items()}


def home_currency(language: Optional[str]) -> Optional[str]:
    """The language's one home currency, or None when it is spoken across several countries."""
    return home_currencies().get(language or "")
