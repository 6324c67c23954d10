"""A country's rules and an estimate as JSON, with texts in the buyer's language and sources resolved."""

from __future__ import annotations

from typing import Any, Dict, Optional

from backends.import_rules.explanations import ITEMS, pick, render
from backends.import_rules.landed_cost import Estimate
from backends.import_rules.schema import Amount, CountryRules, Sourced
from backends.money import RateTable


def _money(amount: Optional[Amount]) -> Optional[Dict[str, Any]]:
    return None if amount is None else {"amount_minor": amount.minor(), "currency": amount.currency}


class CountryView:
    def __init__(self, rules: CountryRules, language: str):
        self.rules, self.language = rules, language
        self.sources = {s.id: s for s in rules.sources}

    def source(self, source_id: Optional[str]) -> Optional[Dict[str, Any]]:
        source = self.sources.get(source_id)
        if source is None:
            return None
        return {"id": source.id, "title": source.title, "publisher": source.publisher, "url": source.url,
                "dated": source.dated}

    def provenance(self, figure: Sourced) -> Dict[str, Any]:
        return {"status": figure.status, "source": self.source(figure.source), "as_of": figure.as_of,
                "note": pick(figure.note, self.language) or None}

    def threshold(self, threshold) -> Dict[str, Any]:
        return {**self.provenance(threshold), "amount": _money(threshold.amount), "per": threshold.per,
                "includes_shipping": threshold.includes_shipping,
                "max_weight_kg": str(threshold.max_weight_kg) if threshold.max_weight_kg is not None else None}

    def summary(self) -> Dict[str, Any]:
        rules = self.rules
        return {"country": rules.country, "name": pick(rules.names, self.language), "currency": rules.currency,
                "reviewed_on": rules.reviewed_on, "duty_free_threshold": self.threshold(rules.duty_free_threshold),
                "tax_free_threshold": self.threshold(rules.tax_free_threshold),
                "vat": {**self.provenance(rules.vat), "label": rules.vat.label,
                        "rate_percent": rules.vat.rate_percent, "includes_shipping": rules.vat.includes_shipping,
                        "includes_duty": rules.vat.includes_duty}}

    def full(self) -> Dict[str, Any]:
        rules, duty = self.rules, self.rules.duty
        return {
            **self.summary(),
            "period_limits": [{**self.provenance(limit), "applies_to": limit.applies_to,
                               "amount": _money(limit.amount), "per": limit.per} for limit in rules.period_limits],
            "duty": {**self.provenance(duty), "method": duty.method, "includes_shipping": duty.includes_shipping,
                     "default_rate_percent": duty.default_rate_percent,
                     "flat_rate_percent": duty.flat_rate_percent, "min_per_kg": _money(duty.min_per_kg),
                     "tax_discount_percent": duty.tax_discount_percent,
                     "by_category": {slug: {**self.provenance(rate), "rate_percent": rate.rate_percent}
                                     for slug, rate in sorted(duty.by_category.items())}},
            "fees": [{**self.provenance(fee), "id": fee.id, "label": pick(fee.label, self.language),
                      "kind": fee.kind, "rate_percent": fee.rate_percent, "amount": _money(fee.amount),
                      "base": fee.base, "applies": fee.applies} for fee in rules.fees],
            "items": [self.item(rule) for rule in rules.items],
            "special_regimes": [{**self.provenance(regime), "id": regime.id,
                                 "name": pick(regime.name, self.language),
                                 "summary": pick(regime.summary, self.language),
                                 "limits": [{"applies_to": limit.applies_to, "amount": _money(limit.amount),
                                             "per": limit.per} for limit in regime.limits]}
                                for regime in rules.special_regimes],
        }

    def item(self, rule) -> Dict[str, Any]:
        language = self.language if self.language in ITEMS[rule.item] else "en"
        return {**self.provenance(rule), "item": rule.item, "name": ITEMS[rule.item][language], "rule": rule.rule,
                "requirement": pick(rule.requirement, self.language)}

    def estimate(self, estimate: Estimate, rates: RateTable, buyer_currency: str) -> Dict[str, Any]:
        currency = estimate.currency
        money = lambda amount: {"amount_minor": amount, "currency": currency}  # noqa: E731
        labels = {fee.id: pick(fee.label, self.language) for fee in self.rules.fees}
        complete = estimate.complete
        return {
            "country": estimate.country, "category": estimate.category, "currency": currency,
            "rule": estimate.rule, "complete": complete,
            "goods": money(estimate.goods_minor), "shipping": money(estimate.shipping_minor),
            "customs_value": money(estimate.customs_value_minor),
            "charges": [{"kind": c.kind, "id": c.id, "label": labels.get(c.id, c.id), "status": c.status,
                         "amount": money(c.amount_minor) if c.amount_minor is not None else None,
                         "rate_percent": c.rate_percent, "source": self.source(c.source), "as_of": c.as_of}
                        for c in estimate.charges],
            "taxes": money(estimate.taxes_minor), "total": money(estimate.total_minor),
            "buyer_total": {"amount_minor": rates.convert(estimate.total_minor, currency, buyer_currency),
                            "currency": buyer_currency, "rate_as_of": rates.as_of(currency, buyer_currency)},
            "items": [self.item(rule) for rule in estimate.item_rules],
            "explanations": [{"code": r.code, "params": r.params, "text": render(r, self.language, self.rules)}
                             for r in estimate.reasons],
            "rates_as_of": estimate.rates_as_of,
        }
