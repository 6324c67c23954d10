"""Landed cost: what a parcel costs the buyer at the door, and which rule decided it.

All charges are computed in the destination's currency (integer minor units,
Decimal arithmetic, each charge rounded half-even once) and the total is also
given in the buyer's currency. A value exactly at a threshold is under it
("not exceeding"). A figure the data marks unknown makes the estimate
incomplete rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Dict, List, Optional, Tuple

from backends.import_rules.item_classes import item_classes_of
from backends.import_rules.schema import CATEGORIES, Amount, CountryRules, ItemRule, Threshold
from backends.money import RateTable, check_currency


class InvalidParcel(ValueError):
    pass


@dataclass(frozen=True)
class Parcel:
    country: str
    category: str
    unit_price_minor: int
    currency: str
    quantity: int = 1
    shipping_minor: int = 0
    weight_kg: Optional[Decimal] = None

    def check(self) -> "Parcel":
        check_currency(self.currency)
        if self.category not in CATEGORIES:
            raise InvalidParcel(f"unknown category {self.category!r}; one of: {', '.join(CATEGORIES)}")
        if self.unit_price_minor <= 0 or self.quantity <= 0 or self.shipping_minor < 0:
            raise InvalidParcel("price and quantity are positive, shipping is not negative")
        if self.weight_kg is not None and self.weight_kg <= 0:
            raise InvalidParcel("weight_kg is positive")
        return self


@dataclass
class Reason:
    """One rule that applied, as a code with parameters; rendered per language by explanations."""

    code: str
    params: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Charge:
    kind: str  # duty | vat | fee
    id: str
    status: str  # charged | exempt | unknown
    amount_minor: Optional[int] = None  # in the destination's currency
    rate_percent: Optional[str] = None
    source: Optional[str] = None
    as_of: Optional[date] = None


@dataclass
class Estimate:
    country: str
    category: str
    currency: str
    goods_minor: int
    shipping_minor: int
    customs_value_minor: int
    rule: str  # allowed | restricted | prohibited
    item_rules: List[ItemRule]
    charges: List[Charge]
    reasons: List[Reason]
    rates_as_of: date

    @property
    def complete(self) -> bool:
        return self.rule != "prohibited" and all(c.status != "unknown" for c in self.charges)

    @property
    def taxes_minor(self) -> int:
        return sum(c.amount_minor or 0 for c in self.charges if c.status == "charged")

    @property
    def total_minor(self) -> int:
        return self.goods_minor + self.shipping_minor + self.taxes_minor


def _percent(amount_minor: int, rate_percent: str) -> int:
    exact = Decimal(amount_minor) * Decimal(rate_percent) / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _money(amount_minor: int, currency: str) -> Dict[str, Any]:
    return {"amount_minor": int(amount_minor), "currency": currency}


class _Calculation:
    def __init__(self, rules: CountryRules, parcel: Parcel, rates: RateTable):
        self.rules, self.parcel, self.rates = rules, parcel, rates
        self.currency = rules.currency
        self.reasons: List[Reason] = []
        self.charges: List[Charge] = []
        self.currencies = {parcel.currency, self.currency}  # every currency a conversion used
        self.excess_local: Optional[int] = None  # flat_on_excess: the value above the threshold
        goods = parcel.unit_price_minor * parcel.quantity
        self.goods_in_price_currency = goods
        self.goods = self.local(goods)
        self.shipping = self.local(parcel.shipping_minor)
        duty = rules.duty
        self.customs_value = self.goods + (self.shipping if duty.includes_shipping else 0)

    def convert(self, amount_minor: int, source: str, target: str) -> int:
        self.currencies.update((source, target))
        return self.rates.convert(amount_minor, source, target)

    def local(self, amount_minor: int, currency: Optional[str] = None) -> int:
        return self.convert(amount_minor, currency or self.parcel.currency, self.currency)

    def value_in(self, currency: str, includes_shipping: bool) -> int:
        """The parcel's value in a limit's own currency, with or without shipping as the limit counts it."""
        value = self.goods_in_price_currency + (self.parcel.shipping_minor if includes_shipping else 0)
        return self.convert(value, self.parcel.currency, currency)

    def value_against(self, threshold: Threshold) -> int:
        return self.value_in(threshold.amount.currency, threshold.includes_shipping)

    def under(self, threshold: Threshold, kind: str) -> Optional[bool]:
        """True: exempt under the threshold; False: above it (or none exists); None: unknown."""
        if threshold.status == "none":
            self.reasons.append(Reason(f"no_{kind}_threshold"))
            return False
        if threshold.status == "unknown":
            self.reasons.append(Reason(f"{kind}_threshold_unknown"))
            return None
        value = self.value_against(threshold)
        limit = threshold.amount.minor()
        params = {"value": _money(value, threshold.amount.currency),
                  "threshold": _money(limit, threshold.amount.currency), "per": threshold.per,
                  "includes_shipping": threshold.includes_shipping}
        overweight = (threshold.max_weight_kg is not None and self.parcel.weight_kg is not None
                      and self.parcel.weight_kg > threshold.max_weight_kg)
        if value <= limit and not overweight:
            self.reasons.append(Reason(f"under_{kind}_threshold", params))
            return True
        if overweight:
            self.reasons.append(Reason("over_weight_limit", {"weight_kg": str(self.parcel.weight_kg),
                                                             "limit_kg": str(threshold.max_weight_kg)}))
        if value > limit:
            self.reasons.append(Reason(f"over_{kind}_threshold", params))
        return False

    def per_kg(self, rate: Amount, kilograms: Decimal) -> Tuple[int, int]:
        """(the rate per kg in local minor units, that rate times ``kilograms``)."""
        per_kg = self.local(rate.minor(), rate.currency)
        return per_kg, int((per_kg * kilograms).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))

    # -------------------------------------------------------------- charges

    def flat_per_line(self) -> bool:
        """A low-value parcel that pays a flat amount per tariff line (one product: one line)."""
        flat = self.rules.duty.flat_per_line
        if flat is None or flat.status != "known":
            return False
        value = self.value_in(flat.up_to.currency, flat.includes_shipping)
        if value > flat.up_to.minor():
            return False
        amount = self.local(flat.per_line.minor(), flat.per_line.currency)
        self.reasons.append(Reason("flat_duty_per_line", {
            "value": _money(value, flat.up_to.currency), "limit": _money(flat.up_to.minor(), flat.up_to.currency),
            "per_line": _money(flat.per_line.minor(), flat.per_line.currency)}))
        self.charges.append(Charge("duty", "duty", "charged", amount, None, flat.source, flat.as_of))
        return True

    def duty_ad_valorem(self) -> Optional[bool]:
        duty = self.rules.duty
        if self.flat_per_line():
            return False
        exempt = self.under(self.rules.duty_free_threshold, "duty")
        if exempt:
            self.charges.append(Charge("duty", "duty", "exempt", 0, source=duty.source, as_of=duty.as_of))
            return True
        if exempt is None:
            self.charges.append(Charge("duty", "duty", "unknown"))
            return None
        rate = duty.by_category.get(self.parcel.category)
        if (rate is not None and rate.status == "unknown") or (rate is None and duty.status != "known"):
            self.reasons.append(Reason("duty_rate_unknown", {"category": self.parcel.category}))
            self.charges.append(Charge("duty", "duty", "unknown"))
            return False
        percent = rate.rate_percent if rate is not None else duty.default_rate_percent
        source = (rate or duty).source
        as_of = (rate or duty).as_of
        self.reasons.append(Reason("duty_rate", {"rate_percent": percent, "category": self.parcel.category,
                                                 "category_specific": rate is not None}))
        amount = _percent(self.customs_value, percent)
        if duty.min_per_kg is not None and self.parcel.weight_kg is not None:  # at least so much per kg
            per_kg, minimum = self.per_kg(duty.min_per_kg, self.parcel.weight_kg)
            if minimum > amount:
                amount = minimum
                self.reasons.append(Reason("duty_minimum_per_kg", {"minimum_per_kg": _money(per_kg, self.currency),
                                                                   "weight_kg": str(self.parcel.weight_kg)}))
        self.charges.append(Charge("duty", "duty", "charged", amount, percent, source, as_of))
        return False

    def duty_flat_on_excess(self) -> Optional[bool]:
        threshold, duty = self.rules.duty_free_threshold, self.rules.duty
        exempt = self.under(threshold, "duty")
        if exempt:
            self.charges.append(Charge("duty", "duty", "exempt", 0, source=duty.source, as_of=duty.as_of))
            return True
        if exempt is None or duty.status != "known":
            self.charges.append(Charge("duty", "duty", "unknown"))
            return exempt
        limit = threshold.amount.minor() if threshold.status == "known" else 0
        excess = max(0, self.value_against(threshold) - limit) if threshold.status == "known" else None
        excess_local = self.local(excess, threshold.amount.currency) if excess is not None else self.customs_value
        amount = _percent(excess_local, duty.flat_rate_percent)
        params = {"rate_percent": duty.flat_rate_percent, "excess": _money(excess_local, self.currency)}
        if duty.min_per_kg is not None and threshold.max_weight_kg is not None and self.parcel.weight_kg is not None:
            extra_kg = max(Decimal(0), self.parcel.weight_kg - threshold.max_weight_kg)
            per_kg, minimum = self.per_kg(duty.min_per_kg, extra_kg)
            if minimum > amount:
                amount = minimum
                params["minimum_per_kg"] = _money(per_kg, self.currency)
        self.reasons.append(Reason("flat_rate_on_excess", params))
        self.charges.append(Charge("duty", "duty", "charged", amount, duty.flat_rate_percent, duty.source,
                                   duty.as_of))
        self.excess_local = excess_local
        return False

    def vat(self, base_goods: Optional[int] = None) -> None:
        vat = self.rules.vat
        if vat.status == "none":
            self.reasons.append(Reason("no_vat_on_parcels"))
            return
        exempt = self.under(self.rules.tax_free_threshold, "tax")
        if exempt:
            self.charges.append(Charge("vat", vat.label, "exempt", 0, source=vat.source, as_of=vat.as_of))
            return
        if vat.status == "unknown" or exempt is None:
            self.charges.append(Charge("vat", vat.label, "unknown"))
            return
        if base_goods is None:
            base_goods = self.goods + (self.shipping if vat.includes_shipping else 0)
        duty = sum(c.amount_minor or 0 for c in self.charges if c.kind == "duty" and c.status == "charged")
        base = base_goods + (duty if vat.includes_duty else 0)
        rate = vat.rate_percent
        self.reasons.append(Reason("vat_charged", {"label": vat.label, "rate_percent": rate}))
        self.charges.append(Charge("vat", vat.label, "charged", _percent(base, rate), rate, vat.source, vat.as_of))

    def fees(self, duty_exempt: Optional[bool]) -> None:
        duty = sum(c.amount_minor or 0 for c in self.charges if c.kind == "duty" and c.status == "charged")
        for fee in self.rules.fees:
            if fee.applies == "above_duty_free" and duty_exempt:
                continue
            if fee.status == "unknown":
                self.charges.append(Charge("fee", fee.id, "unknown"))
                continue
            if fee.kind == "percent":
                base = self.customs_value if fee.base == "customs_value" else duty
                amount = _percent(base, fee.rate_percent)
            else:
                amount = self.local(fee.amount.minor(), fee.amount.currency)
            self.reasons.append(Reason("fee_charged", {"fee": fee.id, "rate_percent": fee.rate_percent}))
            self.charges.append(Charge("fee", fee.id, "charged", amount, fee.rate_percent, fee.source, fee.as_of))

    def cbec_retail(self) -> None:
        """China: inside the regime's per-transaction limit no duty and discounted VAT; outside, general rules."""
        regime = next(r for r in self.rules.special_regimes if r.id == "cbec_retail")
        per_transaction = next((limit for limit in regime.limits if limit.per in ("transaction", "parcel")), None)
        value_currency = per_transaction.amount.currency if per_transaction else self.currency
        value = self.convert(self.goods_in_price_currency + self.parcel.shipping_minor, self.parcel.currency,
                             value_currency)
        within = per_transaction is None or value <= per_transaction.amount.minor()
        yearly = next((limit for limit in regime.limits if limit.per == "year"), None)
        if within:
            params = {"regime": regime.id, "discount_percent": self.rules.duty.tax_discount_percent}
            if per_transaction:
                params["limit"] = _money(per_transaction.amount.minor(), value_currency)
            if yearly:
                params["yearly_limit"] = _money(yearly.amount.minor(), yearly.amount.currency)
            self.reasons.append(Reason("cbec_within_limit", params))
            duty = self.rules.duty
            self.charges.append(Charge("duty", "duty", "exempt", 0, source=regime.source, as_of=regime.as_of))
            vat = self.rules.vat
            if vat.status == "known":
                rate = str((Decimal(vat.rate_percent) * Decimal(duty.tax_discount_percent) / 100).normalize())
                self.reasons.append(Reason("vat_charged", {"label": vat.label, "rate_percent": rate}))
                self.charges.append(Charge("vat", vat.label, "charged", _percent(self.goods + self.shipping, rate),
                                           rate, regime.source, regime.as_of))
            else:
                self.charges.append(Charge("vat", vat.label, "unknown"))
            return
        self.reasons.append(Reason("cbec_over_limit", {"limit": _money(per_transaction.amount.minor(),
                                                                          value_currency)}))
        exempt = self.duty_ad_valorem()
        self.vat()
        self.fees(exempt)


def restrictions(rules: CountryRules, category: str) -> List[ItemRule]:
    classes = item_classes_of(category)
    return [rule for rule in rules.items if rule.item in classes]


def estimate(rules: CountryRules, parcel: Parcel, rates: RateTable) -> Estimate:
    parcel.check()
    calc = _Calculation(rules, parcel, rates)
    item_rules = restrictions(rules, parcel.category)
    verdict = "allowed"
    for rule in item_rules:
        if rule.status == "unknown":  # not confirmed: said, but it decides nothing
            calc.reasons.append(Reason("item_unconfirmed", {"item": rule.item}))
        elif rule.rule != "allowed":
            calc.reasons.append(Reason(f"item_{rule.rule}", {"item": rule.item}))
            if rule.rule == "prohibited" or verdict == "allowed":
                verdict = rule.rule
    if verdict != "prohibited":
        method = rules.duty.method
        if method == "cbec_retail":
            calc.cbec_retail()
        elif method == "flat_on_excess":
            exempt = calc.duty_flat_on_excess()
            on_excess = rules.duty.vat_on_excess_only and calc.excess_local is not None
            calc.vat(base_goods=calc.excess_local if on_excess else None)
            calc.fees(exempt)
        else:
            exempt = calc.duty_ad_valorem()
            calc.vat()
            calc.fees(exempt)
    return Estimate(
        country=rules.country, category=parcel.category, currency=rules.currency, goods_minor=calc.goods,
        shipping_minor=calc.shipping, customs_value_minor=calc.customs_value, rule=verdict, item_rules=item_rules,
        charges=calc.charges, reasons=calc.reasons,
        rates_as_of=rates.as_of(*calc.currencies),
    )
