"""Journey 6: what the buyer's country charges and allows. The country comes from the message, the
conversation, or the verified buyer's profile (else it is asked); a category adds its duty rate and any
restriction; an amount adds a landed-cost estimate. Right after search results, the question is about the
searched products and where they go. Every figure says where it comes from."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.amounts import amount_and_currency, priced_amount, to_minor
from actions.clients.http import BackendError, NotFound
from actions.clients.import_rules import CategoryRules, CountrySummary
from actions.clients.money import Money
from actions.conversation import (apologize_backend_down, buyer_of, category_slugs, category_the_catalog_reads,
                                  currency_named, destination_of, earlier_buyer_texts, entity_of, language_of,
                                  last_bot_response, text_of)
from actions.localization import PERIOD, money, word
from actions.search_products import ANY, RESULTS_SHOWN
from common.answer_words import lexicon
from common.entity_words import colour_in_text

ITEM_RESPONSES = {"prohibited": "utter_import_item_prohibited", "restricted": "utter_import_item_restricted"}
COUNTRY_SLOT = "destination_country"
CATEGORY_SLOT = "import_category"
PRICE_SLOT = "import_price"
CURRENCY_SLOT = "import_currency"
# How a page of search results ends: a question asked just after it is about those products.
SEARCH_FORM = "search_form"
# The bot's answers to a message it did not understand or could not serve: what that message said may still count.
NOT_UNDERSTOOD = frozenset({"utter_ask_rephrase", "utter_default", "utter_out_of_scope"})


def category_asked(tracker: Tracker) -> Optional[str]:
    """The category the latest message names (the NLU's, else the catalog's reading of the words); else, right
    after search results, the search's ("а пошлину за них платить придется?"); else the one asked about
    before: "and to Russia?" keeps it; else one the message before named that the bot did not understand. Words
    the catalog has no category for ("口红面霜眼影这些") name none."""
    named = entity_of(tracker, "product_category")
    if not (named and _is_category(named)):
        named = category_the_catalog_reads(tracker)
    if named and _is_category(named):
        return named
    category = searched(tracker, "search_category")
    if category and _is_category(category):
        return category
    return tracker.get_slot(CATEGORY_SLOT) or category_said_before(tracker)


def category_said_before(tracker: Tracker) -> Optional[str]:
    """The category the buyer's message just before named, when the bot did not understand it ("想给她寄点维生素
    鱼油什么的", then "乌兹别克斯坦让进吗")."""
    earlier = not_understood_before(tracker)
    try:
        named = conversation.marketplace().catalog.category_named(earlier) if earlier else None
    except BackendError:
        return None
    return named if named and _is_category(named) else None


def not_understood_before(tracker: Tracker) -> Optional[str]:
    """What the buyer typed in the message just before, when the bot did not understand or serve it (what it said
    may still count for the question after it); None otherwise."""
    if last_bot_response(tracker) not in NOT_UNDERSTOOD:
        return None
    earlier = earlier_buyer_texts(tracker, 1)
    return earlier[0] if earlier else None


def searched(tracker: Tracker, slot: str) -> Optional[str]:
    """A search slot's value when the bot's last answer was a page of search results, or while the search's
    questions are being answered ("عايز اجيب درون ب 300$", then "هدفع جمارك كام في مصر؟"): the question is
    about those products, their price and where they go; else None."""
    in_search = last_bot_response(tracker) in RESULTS_SHOWN or tracker.active_loop_name == SEARCH_FORM
    return tracker.get_slot(slot) if in_search else None


def colour_for_the_search(tracker: Tracker) -> List[Dict[Text, Any]]:
    """The colour a question about duties names beside the results it asks about ("brown is fine. btw will I pay
    customs on top?"): kept for the search, which the next refinement runs with it."""
    if last_bot_response(tracker) not in RESULTS_SHOWN:
        return []
    colour = entity_of(tracker, "color") or colour_in_text(text_of(tracker), lexicon().not_this)
    return [SlotSet("search_color", colour)] if colour else []


def _is_category(slug: str) -> bool:
    """Whether a search's category is one of the catalog's (a search for words it has no category for is not)."""
    try:
        return slug in category_slugs()
    except BackendError:
        return False


def price_asked(tracker: Tracker) -> Optional[str]:
    """The price the latest message names as "300 USD" (or "300": in the destination's currency), else the one
    named before: "and to Russia?" keeps the $300 phone."""
    amount, currency = amount_and_currency(text_of(tracker))  # "sorry not 2500, its 1800 aed": 1800 AED
    if amount is None:
        budget = searched(tracker, "search_budget")
        if budget and budget != ANY and tracker.get_slot(PRICE_SLOT) is None:  # the price searched for
            currency = searched(tracker, "search_currency")
            return f"{budget} {currency}" if currency else str(budget)
        return tracker.get_slot(PRICE_SLOT) or price_said_before(tracker)
    currency = currency or (entity_of(tracker, "currency") or "").upper()
    return f"{amount} {currency}" if currency else str(amount)


def price_said_before(tracker: Tracker) -> Optional[str]:
    """The price with its currency in the buyer's message just before, when the bot did not understand it ("…creams,
    serums and sheet masks, around 1.2 million tenge in total", then "how much duty would we pay for that?")."""
    earlier = not_understood_before(tracker)
    told = priced_amount([earlier]) if earlier else None
    return f"{told[0]} {told[1]}" if told else None


def currency_asked(tracker: Tracker, price_said: bool) -> Optional[str]:
    """The currency to show the estimate in: one the buyer names without a price ("in roubles?"), else the
    one asked for before."""
    if not price_said:
        named = currency_named(tracker)
        if named:
            return named
    return tracker.get_slot(CURRENCY_SLOT)


class ActionImportRules(Action):
    def name(self) -> Text:
        return "action_import_rules"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        category = category_asked(tracker)
        country = (destination_of(tracker) or searched(tracker, "search_destination")
                   or tracker.get_slot(COUNTRY_SLOT) or tracker.get_slot("search_destination") or "").upper() or None
        price = price_asked(tracker)
        said_price = price is not None and price != tracker.get_slot(PRICE_SLOT)
        shown_in = currency_asked(tracker, said_price)
        remembered = [SlotSet(CATEGORY_SLOT, category), SlotSet(PRICE_SLOT, price), SlotSet(CURRENCY_SLOT, shown_in),
                      *colour_for_the_search(tracker)]
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
                self._estimate(dispatcher, summary, category, price, shown_in, language)
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
    def _estimate(dispatcher: CollectingDispatcher, rules: CategoryRules, category: str, price_text: Optional[str],
                  shown_in: Optional[str], language: str) -> None:
        if not price_text:
            return
        amount, _, currency = price_text.partition(" ")
        currency = currency or rules.currency
        price = Money(to_minor(Decimal(amount), currency), currency)
        cost = conversation.marketplace().import_rules.landed_cost(rules.country, category, price,
                                                                   buyer_currency=shown_in or rules.currency,
                                                                   language=language)
        if cost.rule == "prohibited":  # the prohibition was said above: no duty to pay on what may not come in
            dispatcher.utter_message(response="utter_import_estimate_prohibited",
                                     price=money(price.amount_minor, price.currency))
            return
        total = money(cost.total.amount_minor, cost.total.currency)
        taxes = money(cost.taxes.amount_minor, cost.taxes.currency)
        response = "utter_import_estimate" if cost.complete else "utter_import_estimate_incomplete"
        dispatcher.utter_message(response=response, price=money(price.amount_minor, price.currency), taxes=taxes,
                                 total=total)
