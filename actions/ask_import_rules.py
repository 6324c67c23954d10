"""Journey 6: what the buyer's country charges and allows. The country comes from the message, the
conversation, or the verified buyer's profile (else it is asked); a category adds its duty rate and any
restriction; an amount adds a landed-cost estimate. Every figure says where it comes from."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.amounts import parse_amount, to_minor
from actions.clients.http import BackendError, NotFound
from actions.clients.import_rules import CategoryRules, CountrySummary
from actions.clients.money import Money
from actions.conversation import apologize_backend_down, buyer_of, destination_of, entity_of, language_of
from actions.localization import PERIOD, money, word

ITEM_RESPONSES = {"prohibited": "utter_import_item_prohibited", "restricted": "utter_import_item_restricted"}
COUNTRY_SLOT = "destination_country"
CATEGORY_SLOT = "import_category"


class ActionImportRules(Action):
    def name(self) -> Text:
        return "action_import_rules"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        category = entity_of(tracker, "product_category") or tracker.get_slot(CATEGORY_SLOT)
        country = (destination_of(tracker) or tracker.get_slot(COUNTRY_SLOT) or "").upper() or None
        remembered = [SlotSet(CATEGORY_SLOT, category)]
        try:
            if country is None:
                country = self._profile_country(tracker)
            if country is None:
                dispatcher.utter_message(response="utter_ask_destination_country")
                return remembered
            rules = conversation.marketplace().import_rules
            summary = rules.for_category(country, category, language) if category else rules.summary(country,
                                                                                                      language)
            self._summary(dispatcher, summary, language)
            if isinstance(summary, CategoryRules):
                self._category(dispatcher, summary)
                self._estimate(dispatcher, tracker, summary, category, language)
        except NotFound:
            dispatcher.utter_message(response="utter_import_rules_unknown_country", country=country)
            return [SlotSet(COUNTRY_SLOT, None), *remembered]
        except BackendError:
            apologize_backend_down(dispatcher, "import_rules")
            return remembered
        return [SlotSet(COUNTRY_SLOT, country), *remembered]

    @staticmethod
    def _profile_country(tracker: Tracker) -> Optional[str]:
        """A verified buyer's own country; anyone else is asked."""
        buyer = buyer_of(tracker)
        return conversation.marketplace().orders.buyer(buyer.buyer_id).country if buyer else None

    @staticmethod
    def _summary(dispatcher: CollectingDispatcher, rules: CountrySummary, language: str) -> None:
        threshold = rules.duty_free
        if threshold.status == "known" and threshold.amount:
            dispatcher.utter_message(response="utter_import_duty_threshold", country_name=rules.country_name,
                                     threshold=money(threshold.amount.amount_minor, threshold.amount.currency),
                                     per=word(PERIOD, threshold.per, language), source=threshold.source,
                                     as_of=threshold.as_of)
        elif threshold.status == "none":
            dispatcher.utter_message(response="utter_import_no_duty_threshold", country_name=rules.country_name,
                                     source=threshold.source, as_of=threshold.as_of)
        else:
            dispatcher.utter_message(response="utter_import_duty_threshold_unknown", country_name=rules.country_name)
        if rules.vat.status == "known":
            dispatcher.utter_message(response="utter_import_vat", label=rules.vat_label,
                                     rate=rules.vat_rate_percent, source=rules.vat.source, as_of=rules.vat.as_of)
        elif rules.vat.status == "none":
            dispatcher.utter_message(response="utter_import_vat_none")
        else:
            dispatcher.utter_message(response="utter_import_vat_unknown")

    @staticmethod
    def _category(dispatcher: CollectingDispatcher, rules: CategoryRules) -> None:
        if rules.duty_rate and rules.duty_rate.status == "known" and rules.duty_rate_percent is not None:
            dispatcher.utter_message(response="utter_import_category_duty", category=rules.category_name,
                                     rate=rules.duty_rate_percent)
        else:
            dispatcher.utter_message(response="utter_import_category_duty_unknown", category=rules.category_name)
        for item in rules.items:
            if not item.confirmed:
                if item.rule != "allowed":
                    dispatcher.utter_message(response="utter_import_item_unconfirmed", item=item.name)
            elif item.rule in ITEM_RESPONSES:
                dispatcher.utter_message(response=ITEM_RESPONSES[item.rule], item=item.name,
                                         requirement=item.requirement)

    @staticmethod
    def _estimate(dispatcher: CollectingDispatcher, tracker: Tracker, rules: CategoryRules, category: str,
                  language: str) -> None:
        amount = parse_amount(entity_of(tracker, "amount") or "")
        if amount is None:
            return
        currency = (entity_of(tracker, "currency") or rules.currency).upper()
        price = Money(to_minor(amount, currency), currency)
        cost = conversation.marketplace().import_rules.landed_cost(rules.country, category, price,
                                                                   buyer_currency=rules.currency, language=language)
        if cost.rule == "prohibited":
            return  # the prohibition was said above
        total = money(cost.total.amount_minor, cost.total.currency)
        taxes = money(cost.taxes.amount_minor, cost.taxes.currency)
        response = "utter_import_estimate" if cost.complete else "utter_import_estimate_incomplete"
        dispatcher.utter_message(response=response, price=money(price.amount_minor, price.currency), taxes=taxes,
                                 total=total)
