"""The schema every country file in ``backends/seed_data/import_rules/`` must satisfy.

A country file is reviewed data: every figure names a source (by id, from the
file's ``sources``) and the date from which the source says it holds
(``as_of``). A figure nobody could confirm says ``status: unknown`` with a note
instead of a guess. Money is a decimal string in major units plus an ISO 4217
code (the loader turns it into integer minor units); rates are decimal
percentage strings ("12.5"). Texts the buyer reads come in every language the
assistant speaks.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Dict, List, Optional, Sequence

from pydantic import BaseModel, Field, root_validator, validator

from backends.money import MINOR_UNITS

LANGUAGES = ("en", "zh", "ru", "ar")  # every text the buyer reads
OPTIONAL_LANGUAGES = ("tr", "id")
CATEGORIES = (
    "phone", "laptop", "tablet", "headphones", "smartwatch", "camera", "drone", "tv", "home_appliance",
    "kitchenware", "furniture", "lighting", "clothing", "shoes", "bags", "jewelry", "cosmetics", "toys",
    "baby_products", "sports", "auto_parts", "tools", "books", "food", "pet_supplies", "batteries", "medicines",
)
# Classes of goods that countries prohibit or restrict; the catalog's categories map onto them
# (backends.import_rules.item_classes).
ITEM_CLASSES = (
    "lithium_batteries", "drones", "radio_equipment", "medicines", "dietary_supplements", "cosmetics", "food",
    "alcohol", "tobacco", "e_cigarettes", "weapons", "knives", "counterfeit_goods", "plants_and_seeds",
    "adult_material", "used_clothing",
)
STATUSES = ("known", "unknown", "none")  # none: the country has no such threshold or charge


class Strict(BaseModel):
    class Config:
        extra = "forbid"


class Text(Strict):
    en: str
    zh: str
    ru: str
    ar: str
    tr: Optional[str] = None
    id: Optional[str] = None

    @validator("en", "zh", "ru", "ar")
    def not_blank(cls, value):
        if not value.strip():
            raise ValueError("text may not be blank")
        return value.strip()


def _decimal(value: str, what: str) -> Decimal:
    if not isinstance(value, str):
        raise ValueError(f"{what} is a decimal string such as \"12.5\", not {value!r}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{what} {value!r} is not a decimal number") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"{what} must be a finite, non-negative number")
    return number


def one_of(field: str, choices: Sequence[str]):
    """A validator: ``field`` takes one of ``choices``."""

    def check(cls, value):
        if value not in choices:
            raise ValueError(f"{field} is one of {', '.join(choices)}")
        return value

    return validator(field, allow_reuse=True)(check)


def known_currency(field: str):
    """A validator: ``field`` is an ISO 4217 code the marketplace handles."""

    def check(cls, value):
        if value not in MINOR_UNITS:
            raise ValueError(f"unknown currency {value!r}; known: {', '.join(sorted(MINOR_UNITS))}")
        return value

    return validator(field, allow_reuse=True)(check)


def rate_at_most(limit: int):
    """A validator: ``rate_percent``, when given, is a decimal string of at most ``limit``."""

    def check(cls, value):
        if value is not None and _decimal(value, "rate_percent") > limit:
            raise ValueError(f"rate_percent is at most {limit}")
        return value

    return validator("rate_percent", allow_reuse=True)(check)


def given_exactly_when_known(field: str, message: str):
    """A root validator: ``field`` is given when the figure's status is known, and only then."""

    def check(cls, values):
        if (values["status"] == "known") != (values.get(field) is not None):
            raise ValueError(message)
        return values

    return root_validator(skip_on_failure=True, allow_reuse=True)(check)


class Amount(Strict):
    value: str = Field(..., description="major units, decimal string: \"200\", \"1000.50\"")
    currency: str

    @validator("value")
    def decimal_value(cls, value):
        _decimal(value, "amount")
        return value

    _currency = known_currency("currency")

    def minor(self) -> int:
        exact = Decimal(self.value).scaleb(MINOR_UNITS[self.currency])
        if exact != exact.to_integral_value():
            raise ValueError(f"{self.value} {self.currency} has more decimals than the currency")
        return int(exact)


class Sourced(Strict):
    """A figure's provenance: required unless the figure is unknown."""

    status: str = "known"
    source: Optional[str] = None
    as_of: Optional[date] = None
    note: Optional[Text] = None

    _status = one_of("status", STATUSES)

    @root_validator(skip_on_failure=True)
    def provenance(cls, values):
        if values["status"] == "unknown":
            if values.get("note") is None:
                raise ValueError("an unknown figure says why in a note")
        elif not values.get("source") or not values.get("as_of"):
            raise ValueError("a known figure (or a known absence) names its source and as_of date")
        return values


PERIODS = ("parcel", "transaction", "day", "month", "quarter", "year")


class Threshold(Sourced):
    """Below it, no duty (or no tax) on a parcel sent to an individual."""

    amount: Optional[Amount] = None
    per: str = "parcel"
    includes_shipping: bool = False  # the value compared is goods + shipping (CIF) rather than goods
    max_weight_kg: Optional[Decimal] = None

    _per = one_of("per", PERIODS)

    _amount = given_exactly_when_known(
        "amount", "a known threshold has an amount; an unknown or absent one has none")


class PeriodLimit(Sourced):
    """A cumulative limit beside the per-parcel threshold (per month, per year...)."""

    applies_to: str  # duty_free | tax_free | regime:<id> | import
    amount: Amount
    per: str

    _per = one_of("per", PERIODS)


class Vat(Sourced):
    label: str = "VAT"  # VAT, GST, НДС, ...
    rate_percent: Optional[str] = None
    includes_shipping: bool = True  # the taxable base includes shipping
    includes_duty: bool = True  # ... and the duty

    _rate = rate_at_most(100)
    _rate_given = given_exactly_when_known(
        "rate_percent", "a known VAT has a rate_percent; an unknown or absent one has none")


class CategoryRate(Sourced):
    rate_percent: Optional[str] = None

    _rate = rate_at_most(1000)
    _rate_given = given_exactly_when_known("rate_percent", "a known rate has a rate_percent")


DUTY_METHODS = ("ad_valorem", "flat_on_excess", "cbec_retail")


class FlatPerLine(Sourced):
    """Parcels worth at most ``up_to`` pay ``per_line`` per tariff line instead of the rate
    (the EU's low-value parcels from July 2026: several units of one product are one line)."""

    up_to: Amount
    per_line: Amount
    includes_shipping: bool = False


class Duty(Sourced):
    """How duty is charged on a parcel above the duty-free threshold.

    ad_valorem: the category's rate (else the default) on the whole customs value,
        and, when ``min_per_kg`` is given, at least that much per kilogram of the
        parcel (the EAEU's e-commerce goods rule from July 2026).
    flat_on_excess: one flat rate on the value above the threshold, at least
        ``min_per_kg`` per kilogram above the weight limit (the EAEU's rule for
        personal-use goods).
    cbec_retail: China's cross-border e-commerce retail import: within the
        regime's limits no duty, and import VAT at ``tax_discount_percent`` of
        the statutory rate.
    """

    method: str = "ad_valorem"
    includes_shipping: bool = True  # the customs value includes shipping (CIF)
    default_rate_percent: Optional[str] = None
    by_category: Dict[str, CategoryRate] = Field(default_factory=dict)
    flat_rate_percent: Optional[str] = None
    min_per_kg: Optional[Amount] = None
    vat_on_excess_only: bool = False  # flat_on_excess: VAT, if any, on the excess value only
    tax_discount_percent: Optional[str] = None
    flat_per_line: Optional[FlatPerLine] = None

    _method = one_of("method", DUTY_METHODS)

    @validator("by_category")
    def known_categories(cls, value):
        unknown = sorted(set(value) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown categories {unknown}; known: {', '.join(CATEGORIES)}")
        return value

    @root_validator(skip_on_failure=True)
    def method_fields(cls, values):
        method, status = values["method"], values["status"]
        if status != "known":
            return values
        if method == "ad_valorem" and values.get("default_rate_percent") is None:
            raise ValueError("ad_valorem duty needs a default_rate_percent for categories not listed")
        if method == "flat_on_excess" and values.get("flat_rate_percent") is None:
            raise ValueError("flat_on_excess duty needs a flat_rate_percent")
        if method == "cbec_retail" and values.get("tax_discount_percent") is None:
            raise ValueError("cbec_retail needs a tax_discount_percent")
        for name in ("default_rate_percent", "flat_rate_percent", "tax_discount_percent"):
            if values.get(name) is not None:
                _decimal(values[name], name)
        return values


class Fee(Sourced):
    id: str
    label: Text
    kind: str  # percent | fixed
    rate_percent: Optional[str] = None
    amount: Optional[Amount] = None
    base: str = "customs_value"  # customs_value | duty
    applies: str = "above_duty_free"  # always | above_duty_free

    @root_validator(skip_on_failure=True)
    def kind_fields(cls, values):
        kind = values.get("kind")
        if kind not in ("percent", "fixed"):
            raise ValueError("kind is percent or fixed")
        if (kind == "percent") != (values.get("rate_percent") is not None) or \
                (kind == "fixed") != (values.get("amount") is not None):
            raise ValueError("a percent fee has a rate_percent, a fixed one an amount")
        if values.get("rate_percent") is not None:
            _decimal(values["rate_percent"], "rate_percent")
        if values.get("base") not in ("customs_value", "duty"):
            raise ValueError("base is customs_value or duty")
        if values.get("applies") not in ("always", "above_duty_free"):
            raise ValueError("applies is always or above_duty_free")
        return values


ITEM_STATUSES = ("prohibited", "restricted", "allowed")


class ItemRule(Sourced):
    item: str
    rule: str  # prohibited | restricted | allowed
    requirement: Text  # what the buyer needs (permit, certificate, limit) or why it is prohibited

    @validator("item")
    def known_item(cls, value):
        if value not in ITEM_CLASSES:
            raise ValueError(f"unknown item class {value!r}; known: {', '.join(ITEM_CLASSES)}")
        return value

    _rule = one_of("rule", ITEM_STATUSES)


class SpecialRegime(Sourced):
    id: str
    name: Text
    summary: Text
    limits: List[PeriodLimit] = Field(default_factory=list)


class Source(Strict):
    id: str
    title: str
    publisher: str
    url: str
    dated: Optional[date] = None  # the document's own date, when it has one

    @validator("url")
    def web_address(cls, value):
        if not value.startswith(("https://", "http://")):
            raise ValueError("url is a web address")
        return value


class CountryRules(Strict):
    country: str
    names: Text
    currency: str
    reviewed_on: date
    sources: List[Source]
    duty_free_threshold: Threshold
    tax_free_threshold: Threshold
    period_limits: List[PeriodLimit] = Field(default_factory=list)
    vat: Vat
    duty: Duty
    fees: List[Fee] = Field(default_factory=list)
    items: List[ItemRule]
    special_regimes: List[SpecialRegime] = Field(default_factory=list)

    @validator("country")
    def alpha2(cls, value):
        if len(value) != 2 or not value.isupper() or not value.isalpha():
            raise ValueError("country is an ISO 3166-1 alpha-2 code in capitals")
        return value

    _currency = known_currency("currency")

    @root_validator(skip_on_failure=True)
    def references(cls, values):
        ids = [s.id for s in values["sources"]]
        if len(ids) != len(set(ids)):
            raise ValueError("source ids are unique")
        cited = []
        for name in ("duty_free_threshold", "tax_free_threshold", "vat", "duty"):
            cited.append((name, values[name].source))
        cited += [(f"duty.by_category.{k}", v.source) for k, v in values["duty"].by_category.items()]
        if values["duty"].flat_per_line is not None:
            cited.append(("duty.flat_per_line", values["duty"].flat_per_line.source))
        for group in ("period_limits", "fees", "items", "special_regimes"):
            cited += [(group, item.source) for item in values[group]]
        cited += [("special_regimes.limits", limit.source) for regime in values["special_regimes"]
                  for limit in regime.limits]
        missing = sorted({f"{where}: {source}" for where, source in cited if source and source not in ids})
        if missing:
            raise ValueError(f"cited sources that the file does not list: {missing}")
        items = [rule.item for rule in values["items"]]
        if len(items) != len(set(items)):
            raise ValueError("each item class appears once")
        absent = sorted(set(ITEM_CLASSES) - set(items))
        if absent:
            raise ValueError(f"every item class has a rule (allowed, restricted or prohibited); missing: {absent}")
        if values["duty"].method == "cbec_retail" and "cbec_retail" not in [r.id for r in values["special_regimes"]]:
            raise ValueError("the cbec_retail method describes its regime in special_regimes, with id cbec_retail")
        return values
