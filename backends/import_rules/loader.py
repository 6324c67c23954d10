"""Load the reviewed country files into the database (part of ``python -m backends.seed``).

Idempotent: a country whose file is unchanged is left as it is; a changed file
replaces the country's rules; a country whose file is gone is removed. A file
that fails validation stops the load with the validator's message.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Optional

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backends.import_rules.validate import RULES_DIR, read_country
from backends.models import ImportItemRule, ImportRuleSet
from backends.models.base import utc_now


def load_import_rules(session: Session, directory: Optional[Path] = None) -> int:
    """Returns how many countries were (re)loaded."""
    directory = directory or RULES_DIR
    existing = {row.country: row for row in session.execute(select(ImportRuleSet)).scalars()}
    seen, loaded = set(), 0
    for path in sorted(directory.glob("[A-Z][A-Z].yml")):
        rules = read_country(path)
        document = rules.json(exclude_none=True)
        digest = hashlib.sha256(document.encode()).hexdigest()
        seen.add(rules.country)
        row = existing.get(rules.country)
        if row is not None and row.content_sha256 == digest:
            continue
        if row is not None:
            session.execute(delete(ImportItemRule).where(ImportItemRule.country == rules.country))
            session.delete(row)
            session.flush()
        session.add(ImportRuleSet(country=rules.country, currency=rules.currency, reviewed_on=rules.reviewed_on,
                                  document=document, content_sha256=digest, loaded_at=utc_now()))
        session.flush()
        session.add_all(ImportItemRule(country=rules.country, item=rule.item, rule=rule.rule,
                                       requirement=json.dumps(rule.requirement.dict(exclude_none=True),
                                                              ensure_ascii=False),
                                       source_id=rule.source, as_of=rule.as_of) for rule in rules.items)
        loaded += 1
    for country in set(existing) - seen:
        session.execute(delete(ImportItemRule).where(ImportItemRule.country == country))
        session.delete(existing[country])
    session.flush()
    return loaded
