"""The loaded rules of a country, read back through the schema (cached by content)."""

from __future__ import annotations

from functools import lru_cache
from typing import List

from sqlalchemy import select
from sqlalchemy.orm import Session

from backends.import_rules.schema import CountryRules
from backends.models import ImportRuleSet


class UnknownCountry(LookupError):
    pass


@lru_cache(maxsize=64)
def _parse(document: str, _digest: str) -> CountryRules:
    return CountryRules.parse_raw(document)


def rules_for(session: Session, country: str) -> CountryRules:
    row = session.get(ImportRuleSet, (country or "").upper())
    if row is None:
        raise UnknownCountry(f"no import rules for {country!r}")
    return _parse(row.document, row.content_sha256)


def all_rules(session: Session) -> List[CountryRules]:
    rows = session.execute(select(ImportRuleSet).order_by(ImportRuleSet.country)).scalars()
    return [_parse(row.document, row.content_sha256) for row in rows]
