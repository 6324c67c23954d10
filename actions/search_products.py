"""Journey 1: find products. The opening message gives what it can (category, colour, budget, destination);
a form asks for what is missing (the destination only when the verified buyer's profile does not give it);
the results show the localized title, the price in the buyer's currency and an estimate of duty and tax in
the destination. "Show more", "cheaper" and a new colour or budget refine the same search."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.amounts import budget_in_text, to_minor
from actions.clients.catalog import ProductHit, SearchPage
from actions.clients.http import BackendError, NotFound
from actions.clients.import_rules import CountrySummary, LandedCost
from actions.clients.money import exponent_of
from actions.conversation import (apologize_backend_down, category_slugs, category_the_catalog_reads,
                                  currency_named, destination_of, entity_of, intent_of, language_of,
                                  last_bot_response, profile_of, text_of)
from actions.localization import money
from actions.checked_form import CheckedForm
from common.answer_words import (all_mentioned, ends_with, is_cjk, lexicon, mentions, normalize, normalized_phrases,
                                 starts_with)
from common.entity_words import colour_in_text, colours_named, country_name
from common.home_currencies import home_currency
from common.product_words import catalog_words_in, product_words, with_catalog_words

FORM = "search_form"
PAGE = 5
# The responses that end a page of results: a message just after them is about those results.
RESULTS_SHOWN = frozenset({"utter_search_refine", "utter_search_refine_more"})
SOLD_OUT_TOLD = 2  # products of the kind asked for that are out of stock, said to be so
CHEAPER_BY = Decimal("0.02")  # "cheaper" means at least 2% below the cheapest result shown
ANY = "any"
# What a refinement of the results is read as: an answer (inform), or one the Rasa side read as refining the search
# after another answer in between (refine_search: "好 那棕色的有没有" after an import answer).
REFINING_INTENTS = ("inform", "refine_search")
SEARCH_SLOTS = ("search_category", "search_color", "search_budget", "search_destination", "search_currency",
                "search_offset", "search_cheapest", "search_words")
ANY_WORDS = ("any", "any price", "any budget", "no limit", "doesn't matter", "does not matter", "whatever", "不限",
             "随便", "都可以", "无所谓", "любой", "любая", "неважно", "не важно", "без разницы", "без ограничений", "أي سعر",
             "مش مهم", "لا يهم", "أي ميزانية", "ما يهم")


def says_any_price(text: str) -> bool:
    """"any", "no limit", "不限", "неважно": the whole answer, or a phrase of several words in it ("any" inside
    "any black ones?" asks for black ones)."""
    said = normalize(text)
    words = normalized_phrases(ANY_WORDS)
    if any(word != ANY and starts_with(said, word) for word in words):  # "любая цена", "whatever man"
        return True
    return said in words or any(
        word in said if is_cjk(word[0]) else " " in word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", said)
        for word in words)



def budget_in(text: str) -> Optional[str]:
    """ANY, or the number typed as text of major units."""
    if says_any_price(text):
        return ANY
    amount = budget_in_text(text)
    return str(amount) if amount is not None else None


def category_in(tracker: Tracker) -> Optional[str]:
    """The catalog category the latest message names: the NLU's, when it is a category (the last of several when
    the message takes one back), else the one whose words the catalog finds in the sentence (a word the NLU never
    saw: "宝宝推车", "كريم مرطب")."""
    named = [str(value) for value in tracker.get_latest_entity_values("product_category") if value]
    entity = named[0] if named else None
    try:
        slugs = category_slugs()
    except BackendError:
        return entity
    said = [value for value in named if value in slugs]
    if len(set(said)) > 1 and mentions(text_of(tracker), lexicon().correction):
        return said[-1]  # "думал сначала сумку... не, лучше смарт часы": the one settled on
    if said and not _named_as_what_it_is_for(tracker, said[0]):
        return said[0]
    return category_the_catalog_reads(tracker) or (said[0] if said else entity)


def _named_as_what_it_is_for(tracker: Tracker, category: str) -> bool:
    """Whether every mention of ``category`` in the latest message says what the product is for ("a magnetic power
    bank for iphone", "чехол для телефона"): the product is then the one the catalog reads in the sentence."""
    text = text_of(tracker)
    spans = [(e.get("start"), e.get("end")) for e in (tracker.latest_message or {}).get("entities") or []
             if e.get("entity") == "product_category" and e.get("value") == category and e.get("start") is not None]
    made_for = lexicon().made_for
    return bool(spans) and all(any(ends_with(normalize(text[:start]).rstrip(), phrase) for phrase in made_for)
                               for start, _ in spans)


def details_in(tracker: Tracker) -> Dict[str, Any]:
    """What the latest message says about the search besides the product: colour, budget, destination."""
    text = text_of(tracker)
    country = destination_of(tracker)
    budget = budget_in(text) if entity_of(tracker, "amount") or budget_in_text(text) is not None else None
    tagged, read = entity_of(tracker, "color"), colour_in_text(text, lexicon().not_this, lexicon().correction)
    # the colour read from the words when the message takes one back ("粉色的…哦不对 要绿色") or names several ("the pink
    # one cute but he's a boy hehe, any yellow or blue?"), of which the model tags any
    colour = read if read and (not tagged or mentions(text, lexicon().correction) or len(colours_named(text)) > 1) \
        else tagged
    details = {"search_color": colour, "search_budget": budget,
               "search_currency": currency_named(tracker) if budget else None,
               "search_destination": country.upper() if country else None}
    return {slot: value for slot, value in details.items() if value}


def features_asked(words: str) -> List[str]:
    """The features and kinds of product the search's words ask for ("wireless", "noise-cancelling", "air fryer":
    the lexicon's feature words and the catalog's own words for what the buyer says), each once."""
    named = [word for word, _ in product_words() if mentions(words, (word,))]  # as with_features wrote it
    return list(dict.fromkeys(all_mentioned(words, lexicon().feature) + catalog_words_in(words) + named))


def with_features(tracker: Tracker) -> Dict[str, Any]:
    """The search's ranking words with the features the latest message asks for ("беспроводные обязательно, с
    проводами не надо": беспроводные), or nothing when it names none."""
    text = text_of(tracker)
    features = all_mentioned(text, lexicon().feature) + catalog_words_in(text)
    if not features:
        return {}
    # first: the search reads only so many ranking words, and the latest asked for matter most
    words = f"{' '.join(features)} {tracker.get_slot('search_words') or ''}".strip()
    return {"search_words": words[:500]}


def category_instead(tracker: Tracker) -> Optional[str]:
    """Another catalog category than the search's, named last in the latest message ("ноут дорого выйдет. давай
    лучше планшет": tablet), or None."""
    current = tracker.get_slot("search_category")
    named = [str(value) for value in tracker.get_latest_entity_values("product_category")]
    try:
        slugs = category_slugs()
    except BackendError:
        return None
    last = next((value for value in reversed(named) if value in slugs), None)
    return last if last and last != current else None


class ActionStartSearch(Action):
    """A new search: forgets the last one and keeps what the opening message says."""

    def name(self) -> Text:
        return "action_start_search"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        category = category_in(tracker)
        if category is None and last_bot_response(tracker) in RESULTS_SHOWN:
            return []  # "能开票吗？量大有没有优惠" just after results names no product: the search on screen stays
        values = {**details_in(tracker), "search_category": category,
                  "search_words": with_catalog_words(text_of(tracker))[:500] if category else None}
        return [SlotSet(slot, values.get(slot)) for slot in SEARCH_SLOTS]


class ValidateSearchForm(CheckedForm):
    form = FORM

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: Dict[Text, Any]) -> List[Text]:
        """The destination is asked only when the buyer's verified profile does not give it."""
        if tracker.get_slot("search_destination") is None:
            try:
                profile = profile_of(tracker)
            except BackendError:
                profile = None
            if profile is not None and profile.country:
                return [slot for slot in domain_slots if slot != "search_destination"]
        return domain_slots

    def validate_search_category(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: Dict[Text, Any]) -> Dict[Text, Any]:
        text = str(value or "").strip()
        category = category_in(tracker)
        details = details_in(tracker)
        if category:  # the buyer's own words rank the products ("noise cancelling", "无线"), not the slot's value
            said = text_of(tracker)
            words = {} if said.startswith("/") else {"search_words": with_catalog_words(said)[:500]}
            return {**details, **self.accepted("search_category", category), **words}
        if details:  # "两千以内", "в Казань": taken, and the question asked again
            return {**details, "search_category": None}
        if len(text) < 2 or text.startswith("/"):
            return self.failed(dispatcher, tracker, "search_category", "utter_search_what_expected")
        return self.accepted("search_category", text[:100])

    def validate_search_budget(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: Dict[Text, Any]) -> Dict[Text, Any]:
        text = str(value or "")
        budget = budget_in(text)
        details = {slot: v for slot, v in details_in(tracker).items() if slot != "search_budget"}
        instead = category_in(tracker) if budget is not None and not text_of(tracker).startswith("/") else None
        if instead and instead != tracker.get_slot("search_category"):
            # "有磁吸的充电宝吗 最好紫色 两百块以内" after "她用的苹果手机": a request of its own, with its budget, names the
            # product asked for now (a word said in passing, "чтоб телефон заряжать", "رأس الخيمة", does not)
            details.update(search_category=instead, search_words=with_catalog_words(text_of(tracker))[:500])
        if budget is None:
            details.update(with_features(tracker))
            if details:  # a colour, the destination or a feature instead: taken, and the budget asked again
                return {**details, "search_budget": None}
            return self.failed(dispatcher, tracker, "search_budget", "utter_search_budget_expected")
        currency = currency_named(tracker)
        return {**details, **self.accepted("search_budget", budget),
                **({"search_currency": currency} if currency else {})}

    def validate_search_destination(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: Dict[Text, Any]) -> Dict[Text, Any]:
        country = (destination_of(tracker) or str(value or "")).strip().upper()
        if len(country) != 2:
            details = {slot: v for slot, v in details_in(tracker).items() if slot != "search_destination"}
            details.update(with_features(tracker))
            if details:  # "black colour pls" instead: taken, and the destination asked again
                return {**details, "search_destination": None}
            return self.failed(dispatcher, tracker, "search_destination", "utter_search_destination_expected")
        if country_name(country, "en") is None:  # two letters that name no country ("OK")
            return self.failed(dispatcher, tracker, "search_destination", "utter_search_destination_expected")
        # a country whose import rules the shop does not have ("الكويت") is still a destination: its results say
        # that no duty estimate can be given there
        return self.accepted("search_destination", country)


class ActionSearchProducts(Action):
    """Runs the search the slots describe, or refines the last one (next page, cheaper, colour, budget)."""

    def name(self) -> Text:
        return "action_search_products"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        backends = conversation.marketplace()
        refinement = self._refinement(tracker)
        if not tracker.get_slot("search_category"):
            dispatcher.utter_message(response="utter_search_nothing_to_refine")
            return []
        try:
            profile = profile_of(tracker)
            country = refinement.get("search_destination") or tracker.get_slot("search_destination") or (
                profile.country if profile else None)
            destination = self._destination(country, language)
            currency = refinement.get("search_currency") or tracker.get_slot("search_currency") or (
                profile.currency if profile else home_currency(language)) or (
                destination.currency if destination else "USD")
            # "طب في حاجة اقل من ٢٥٠٠؟": a cheaper search that names its budget is that budget
            cheaper = intent_of(tracker) == "ask_cheaper" and "search_budget" not in refinement
            offset, max_price = self._page_and_ceiling(tracker, refinement, currency)

            def now(slot: str) -> Any:  # the search as this message leaves it
                return refinement[slot] if slot in refinement else tracker.get_slot(slot)

            category = now("search_category")
            slug = category if category in category_slugs() else None

            colour = now("search_color")

            def find(require: Sequence[str], limit: int = PAGE, in_stock: bool = True, **filters: Any) -> SearchPage:
                filters.setdefault("color", colour)
                return backends.catalog.search(query="" if slug else category, language=language, currency=currency,
                                               category=slug, limit=limit, prefer=now("search_words") or "",
                                               require=require, in_stock=in_stock, **filters)

            asked = features_asked(now("search_words") or "") if slug else []
            # "ابي اير فراير … مفيش حاجة تحت ٢٥٠٠؟": only air fryers, when the search has any in stock at some price
            # (a page of them answers that too, without a search of its own)
            page = find(asked, max_price=max_price, offset=offset) if asked else None
            required = asked if page is not None and (page.results or find(asked, limit=1).results) else ()
            if asked and not required and not offset:
                if colour and find(asked, limit=1, color=None).results:  # "any in white" of noise-cancelling ones
                    dispatcher.utter_message(response="utter_search_feature_not_in_colour")
                elif not sold_out_told(tracker):  # those it has only out of stock ("а с костной проводимостью есть?")
                    for hit in find(asked, limit=SOLD_OUT_TOLD, in_stock=False).results:
                        dispatcher.utter_message(response="utter_search_sold_out", title=hit.title)
            if not required:
                page = find((), max_price=max_price, offset=offset)
            over_budget = None
            if not page.results and max_price is not None and not offset and not cheaper:
                # nothing pink within the budget: the closest above it, said so
                above = find(required, min_price=max_price + 1)
                if above.results:
                    page, over_budget = above, money(max_price, currency)
            if not page.results:
                self._nothing(dispatcher, tracker, offset, max_price)
                if cheaper:  # nothing cheaper: the budget stays as it was
                    refinement = {k: v for k, v in refinement.items() if k not in ("search_budget", "search_currency")}
                return [*refinement_events(refinement), SlotSet("search_offset", float(offset))]
            name = destination.country_name if destination else country_name(country or "", language) or ""
            self._show(dispatcher, page, country, name, language, currency, over_budget)
        except BackendError:
            apologize_backend_down(dispatcher, "search")
            return []
        cheapest = min(hit.buyer_price.amount_minor if hit.buyer_price else hit.price.amount_minor
                       for hit in page.results)
        # The currency is kept only when the buyer named it (or "cheaper" set a budget in it): a guest who
        # changes the destination sees the new destination's currency.
        return [*refinement_events(refinement), SlotSet("search_offset", float(offset)),
                SlotSet("search_cheapest", float(cheapest)), SlotSet("search_destination", country)]

    @staticmethod
    def _destination(country: Optional[str], language: str) -> Optional[CountrySummary]:
        """The destination's import picture (its name in the buyer's language, its currency), if known."""
        if not country:
            return None
        try:
            return conversation.marketplace().import_rules.summary(country, language)
        except NotFound:
            return None

    @staticmethod
    def _refinement(tracker: Tracker) -> Dict[str, Any]:
        """What the latest message changes in the search: a colour, a budget (with its currency), the destination,
        a feature the products should have ("беспроводные обязательно"), or another product taken instead
        ("хотя не, ноут дорого выйдет. давай лучше планшет")."""
        changes: Dict[str, Any] = {}
        if intent_of(tracker) in (*REFINING_INTENTS, "ask_cheaper"):
            changes.update(details_in(tracker))
        if intent_of(tracker) not in REFINING_INTENTS:
            return changes
        instead = category_instead(tracker)
        if instead:
            changes.update(search_category=instead, search_words=text_of(tracker)[:500],
                           search_color=changes.get("search_color"))
        else:
            changes.update(with_features(tracker))
        return changes

    @staticmethod
    def _page_and_ceiling(tracker: Tracker, refinement: Dict[str, Any], currency: str) -> Tuple[int, Optional[int]]:
        """The page to show and the price ceiling; "cheaper" lowers the budget below the cheapest result shown
        (by CHEAPER_BY, more than the rounding of a conversion) and keeps it for later refinements."""
        intent = intent_of(tracker)
        offset = int(tracker.get_slot("search_offset") or 0) + PAGE if intent == "show_more" else 0
        budget = refinement.get("search_budget") or tracker.get_slot("search_budget")
        ceiling = to_minor(Decimal(budget), currency) if budget not in (None, ANY) else None
        cheapest = tracker.get_slot("search_cheapest")
        if intent == "ask_cheaper" and cheapest is not None and "search_budget" not in refinement:
            ceiling = int(Decimal(int(cheapest)) * (1 - CHEAPER_BY))
            refinement["search_budget"] = str(Decimal(ceiling).scaleb(-exponent_of(currency)))
            refinement["search_currency"] = currency
        return offset, ceiling

    @staticmethod
    def _nothing(dispatcher: CollectingDispatcher, tracker: Tracker, offset: int, max_price: Optional[int]) -> None:
        if intent_of(tracker) == "ask_cheaper":
            dispatcher.utter_message(response="utter_search_already_cheapest")
        elif offset:
            dispatcher.utter_message(response="utter_search_no_more_results")
        elif max_price is not None:
            dispatcher.utter_message(response="utter_search_nothing_in_budget")
        else:
            dispatcher.utter_message(response="utter_search_no_results")

    def _show(self, dispatcher: CollectingDispatcher, page: SearchPage, country: Optional[str], country_name: str,
              language: str, currency: str, over_budget: Optional[str] = None) -> None:
        """The page, introduced as results, or (``over_budget``: the budget) as the closest above the budget."""
        if over_budget:
            dispatcher.utter_message(response="utter_search_over_budget", budget=over_budget)
        else:
            dispatcher.utter_message(response="utter_search_results", first=str(page.offset + 1),
                                     last=str(page.offset + len(page.results)), total=str(page.total))
        notes = self._import_notes(page.results, country, language, currency)
        for hit, (response, taxes) in zip(page.results, notes):
            price = hit.buyer_price or hit.price
            dispatcher.utter_message(response=response, title=hit.title, price=money(price.amount_minor,
                                                                                      price.currency),
                                     taxes=taxes, country=country_name or country or "", image=hit.image_url)
        more = page.offset + len(page.results) < page.total
        dispatcher.utter_message(response="utter_search_refine_more" if more else "utter_search_refine")

    @staticmethod
    def _import_notes(hits: List[ProductHit], country: Optional[str], language: str,
                      currency: str) -> List[Tuple[str, str]]:
        """Each result's line: with the estimated duty and tax in the destination, or why there is none (the
        page's estimates asked for in one call)."""
        if not country:
            return [("utter_search_hit_no_country", "")] * len(hits)
        try:
            costs = conversation.marketplace().import_rules.landed_costs(
                country, [(hit.category, hit.price) for hit in hits], buyer_currency=currency, language=language)
        except BackendError:
            return [("utter_search_hit_no_estimate", "")] * len(hits)
        return [ActionSearchProducts._import_note(cost) for cost in costs]

    @staticmethod
    def _import_note(cost: Optional[LandedCost]) -> Tuple[str, str]:
        if cost is None:
            return "utter_search_hit_no_estimate", ""
        if cost.rule == "prohibited":
            return "utter_search_hit_prohibited", ""
        if not cost.complete:
            return "utter_search_hit_no_estimate", ""
        if cost.taxes.amount_minor == 0:
            return "utter_search_hit_duty_free", ""
        return "utter_search_hit", money(cost.taxes.amount_minor, cost.taxes.currency)


def sold_out_told(tracker: Tracker) -> bool:
    """Whether this search already said which products of the kind asked for are out of stock."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "action" and event.get("name") == "action_start_search":
            return False
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == "utter_search_sold_out":
            return True
    return False


def refinement_events(refinement: Dict[str, Any]) -> List[Dict[Text, Any]]:
    return [SlotSet(slot, value) for slot, value in refinement.items()]
