"""Import rules as loaded from the reviewed country files.

The whole validated file is kept per country (the estimator reads it back
through the schema); item rules are also rows of their own, so that a
question across countries ("where are drones prohibited?") is one query.
"""

from sqlalchemy import Column, Date, ForeignKey, Index, String, Text

from backends.models.base import Base, UTCDateTime


class ImportRuleSet(Base):
    __tablename__ = "import_rule_sets"

    country = Column(String(2), primary_key=True)
    currency = Column(String(3), nullable=False)
    reviewed_on = Column(Date, nullable=False)
    document = Column(Text, nullable=False)  # the validated country file, as JSON
    content_sha256 = Column(String(64), nullable=False)
    loaded_at = Column(UTCDateTime(), nullable=False)


class ImportItemRule(Base):
    __tablename__ = "import_item_rules"
    __table_args__ = (Index("ix_import_item_rules_item", "item", "rule"),)

    country = Column(ForeignKey("import_rule_sets.country", ondelete="CASCADE"), primary_key=True)
    item = Column(String(30), primary_key=True)
    rule = Column(String(12), nullable=False)  # prohibited | restricted | allowed
    requirement = Column(Text, nullable=False)  # JSON: {language: text}
    source_id = Column(String(80))
    as_of = Column(Date)
