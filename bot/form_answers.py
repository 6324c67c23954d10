"""A message read as the answer to the question the bot just asked, not by its top intent alone.

The NLU model classifies a message without knowing what the bot asked. Inside a form that loses answers
buyers give the way people do: "да, открывайте" to "Shall I open the dispute?" ranks ``open_dispute`` first
(the form is started again and its answers lost); "не пришел" ("it never came") to "What is the dispute
about?" ranks ``deny`` first (the form stops); "屏幕有划痕" ("the screen is scratched") as a refund reason
ranks ``human_handoff`` first. Here, after the NLU and before the dialogue policies, the parse result is
read again with the question in mind (``bot/rasa_patches.py`` calls ``reinterpret`` from Rasa's
``MessageProcessor.parse_message``, which has the conversation's tracker):

- a yes-or-no question (a confirmation, "will you send it back?", "did you receive it?"): an answer that
  says what it means ("寄回去", "оставлю себе" to "will you send it back?") is that answer; else one that
  starts with a yes or a no in any language the buyer may use (``common/lexicon/answers.yml``, read by
  ``common/answer_words.py``) is ``affirm``
  or ``deny``; else one that asks for the question's own journey ("open the dispute") is a yes; else the
  model's ``affirm``/``deny`` when it ranks one of them in its top three above the other;
- the offer to refine search results: a colour, a budget or a destination without a product refines them
  (``inform``), where the model's ``search_product`` would start the search over;
- "Which order would you like to track?": an answer that names the goods instead ("the lamp I ordered from
  China") is the tracking request, where the model ranks a product search or nothing it knows; the
  tracking action finds the order with such goods;
- inside the refund form, a request for a dispute that says so ("давайте спор открывайте") is that request,
  even where it starts like a yes: the form is left for the dispute form, the order kept;
- after an answer about import rules: a country, a price, a currency or a product without a new request, or a
  short message that starts like a follow-up ("а дроны?", "طب والدرون؟", "那迪拜呢"), asks the import question
  again about it (the action reads what it names, the catalog's words included);
- a message with a carrier's tracking number that the model reads as anything but another journey ("parcel
  LP… held at customs, what now") is a tracking request;
- a message the model could not decide on that names a dispute ("ابي افتح شكوى رسميه") is the dispute
  request, when the model ranks it among its first three;
- whatever was asked: a greeting that names a product or an order ("привет есть чё по телефонам") is the
  search or the tracking it asks for;
- a question answered in the buyer's own words (a reason, a description, links, an amount): the message is
  the answer (``inform``, which the form's ``from_text`` mappings take), unless it is a short stop ("stop",
  "отмена", "算了": ``deny``, which ends the form), a request for a person that names one (``human_handoff``
  kept), or a clear question about another journey the form lets the buyer ask in between (tracking, import
  rules: kept, and the form asks its question again after the answer).

What was changed is recorded in the parse result under ``form_answer`` (the question, the model's intent),
so the console's transcript and the tests can tell a reinterpretation from the model's own reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from common.answer_words import (AFFIRM, DENY, QUESTION_MARKS, Lexicon, after_settling, asks_to_talk_to_a_person,
                                 first_phrase, is_cjk, is_stop, lexicon, mentions, names_a_person, normalize,
                                 only_salutes, says_neither, says_no_somewhere, says_unnegated,
                                 says_yes_after_the_last_no, strong_phrases, yes_or_no)
from common.entity_words import (budget_said, colour_in_text, corrects_the_order, countries_in_text,
                                 order_digits_named, order_number_named, tracking_number_in, without_order_numbers)
from common.product_words import catalog_words_in
from common.reason_patterns import refusal_told
from common.reason_words import ALL_REASONS, reason_in, reports_a_problem

INFORM, HANDOFF, SEARCH, TRACK, DISPUTE = "inform", "human_handoff", "search_product", "track_order", "open_dispute"
REFINE_SEARCH = "refine_search"  # a refinement of the results after another answer in between (domain/search.yml)
# Intents only this reading gives a message: the model has no examples of them and never predicts them.
READ_ONLY_INTENTS = frozenset({REFINE_SEARCH})
# Questions answered yes or no: the forms' slots, and the confirmation asked outside a form (by response).
YES_NO_SLOTS = {"refund_return": None, "refund_confirmed": "request_refund",
                "dispute_confirmed": "open_dispute"}
YES_NO_RESPONSES = {"utter_confirm_receipt_question": "confirm_receipt"}
# The lexicon list whose words, anywhere in an answer that starts with neither a yes nor a no and that the model
# could not decide on, ask for the question's journey: a yes.
JOURNEY_WORDS = {"open_dispute": "dispute", "request_refund": "refund", "confirm_receipt": "receipt"}
# The words of a form's own journey: a message that uses them stays in the form, whatever other journey it names.
# Only the dispute's: a message that names a dispute and a refund ("我要投诉他拒绝退款", "ابي نزاع لانه رفض يرجع
# فلوسي") is a dispute about the refund, in either form.
DISPUTE_FORM = "dispute_form"
OWN_JOURNEY_WORDS = {DISPUTE_FORM: "dispute"}
# Each form's closing question: an answer that starts with a yes there is the yes, whatever journey it then names.
FORM_CONFIRMATIONS = {DISPUTE_FORM: "dispute_confirmed", "refund_form": "refund_confirmed"}
# Confirmations whose action checks the order an answer names and any no in it (and asks which order then,
# releasing nothing), so that an answer with a no and an order number may go to it.
ORDER_CHECKED = frozenset({"confirm_receipt"})
# Phrases that answer a yes-or-no question by what they say, read before the yes or no the answer starts with:
# question -> (lexicon list, the answer it gives), ...
ANSWER_PHRASES = {"refund_return": (("keep_item", DENY), ("send_back", AFFIRM))}
# Confirmations that name an amount: an answer with another amount (or all of it) and no yes changes it (the form
# reads the amount and asks again).
AMOUNT_CONFIRMATIONS = frozenset({"refund_confirmed"})
# A form's yes-or-no question that its own request does not answer ("مب لازم كل المبلغ، رجعولي 100 درهم بس" to
# "Will you send it back?" asks for money back, it sends nothing): asked again, the form reads what the answer says.
OWN_REQUEST_NO_ANSWER = {"refund_return": "request_refund"}
_DIGIT = re.compile(r"\d")
_FIGURE = re.compile(r"\d|[一二两三四五六七八九十百千万]{2,}")  # a figure, also in Chinese numerals ("两百")
# Questions answered in the buyer's own words.
FREE_TEXT_SLOTS = frozenset({"refund_reason", "refund_amount", "dispute_reason", "dispute_description",
                             "dispute_evidence"})
# After search results the bot offers to refine them ("more, cheaper, another colour?"): a message with a
# colour, a budget or a destination and no product is a refinement of that search, whatever the model ranked
# first ("а есть чёрные?" ranks search_product and used to start the search over).
REFINE_RESPONSES = frozenset({"utter_search_refine", "utter_search_refine_more", "utter_search_already_cheapest",
                              "utter_search_no_more_results", "utter_search_nothing_in_budget"})
REFINING_ENTITIES = frozenset({"color", "amount", "currency", "country"})
# After an answer about import rules, a country, a price, a currency or a product without a new request is
# a follow-up ("and to Russia?", "in roubles?", "its a tv, 2500 aed"): the question asked again with it.
IMPORT_RESPONSES_PREFIX = "utter_import_"
COUNTRY_QUESTION = "utter_ask_destination_country"  # the import question's "Which country?"
IMPORT_FOLLOW_UP_ENTITIES = frozenset({"country", "amount", "currency", "product_category"})
# ("啊不对 是俄罗斯 不是乌兹" read as a no, "он в астане живет, но доставка в алматы" as tracking without an order)
IMPORT_FOLLOWED_OVER = frozenset({"inform", "nlu_fallback", "out_of_scope", "affirm", "search_product", "deny",
                                  "track_order"})
# ... and a short one that starts like a follow-up ("and a drone?", "а дроны?"), whatever it names.
FOLLOW_UP_MAX_WORDS = 5
ASK_IMPORT_RULES = "ask_import_rules"
# Responses that do not change what the conversation is about: "say it another way" keeps the search
# (or the import question) the buyer can still refine.
PASSING_RESPONSES = frozenset({"utter_ask_rephrase", "utter_default", "utter_iamabot", "utter_greet",
                               "utter_you_are_welcome"})
# Actions that do not end the context of a search or an import question; any other action does.
CONTEXT_KEEPING_ACTIONS = frozenset({"action_listen", "action_search_products", "action_import_rules",
                                     "action_default_fallback", "action_unlikely_intent"})
CONTEXT_TURNS = 3
# ("预算提到500吧", "not more than 200" read as a survey score or a no: no survey was asked here)
REFINED_OVER = frozenset({"search_product", "nlu_fallback", "out_of_scope", "affirm", "rate_chat", "deny"})
# Asked in between a form's questions and answered by the form's own rules, which then ask again.
DIGRESSIONS = frozenset({"track_order", "ask_import_rules"})
# The order forms' "Which order is it about?": an answer naming an order is the answer, whatever else it asks.
ORDER_QUESTION = "order_number"
GREET = "greet"
# A greeting that carries one of these entities is the request they name, first match first.
GREETING_REQUESTS = (("order_id", "track_order"), ("tracking_number", "track_order"),
                     ("product_category", "search_product"))
# "Which order would you like to track / did you receive?" (asked outside a form): an answer naming the goods
# ("就那个台灯", "ok the lamp, works good"), not a number, continues that journey.
WHICH_ORDER_RESPONSES = {"utter_which_order": "track_order", "utter_which_order_to_confirm": "confirm_receipt"}
WHICH_ORDER_READ_OVER = frozenset({"search_product", "inform", "nlu_fallback", "out_of_scope", "affirm"})
# Inside a form, a request for another journey that names it ("давайте спор открывайте" in the refund form)
# leaves the form for that journey's (rules in data/rules/order_forms.yml): form -> (intent, its lexicon list,
# the questions during which it does not). A refund asked for in the dispute form ("ноут оставлю, верните
# полторы тыщи") leaves it the same way, except while the buyer explains the dispute ("the seller refused my
# refund" is a reason, not a request).
# While the dispute is explained, a refund request leaves it only when it says its terms (all the money, the
# goods kept or sent back). A dispute or a refund asked for in the search form (a complaint read as a search:
# "кроссовки ... паль 100%", then "хочу спор") leaves it likewise.
FORM_SWITCHES = {"refund_form": (("open_dispute", "dispute", frozenset()), ("confirm_receipt", "receipt", frozenset())),
                 "dispute_form": (("request_refund", "refund", frozenset({"dispute_reason", "dispute_description"})),
                                  ("confirm_receipt", "receipt", frozenset())),
                 "search_form": (("open_dispute", "dispute", frozenset()), ("request_refund", "refund", frozenset()))}
# A message the model could not decide on that names one of these journeys (lexicon list) asks for it; so does
# one the model reads as such a journey in answer to the receipt's yes/no question ("عايزه افتح شكوى", "还是开
# 纠纷让平台处理吧"), which is then neither a yes nor a no.
UNDECIDED = frozenset({"nlu_fallback", "out_of_scope"})
NAMED_JOURNEYS = (("open_dispute", "dispute"), ("request_refund", "refund"))
OTHER_REQUESTS = frozenset({"open_dispute", "request_refund", HANDOFF})
# A tracking number in a message the model reads as one of these is a tracking request.
TRACKING_READ_OVER = frozenset({"ask_import_rules", "search_product", "inform", "nlu_fallback", "out_of_scope",
                                "greet", "affirm"})
DIGRESSION_CONFIDENCE = 0.75
# Questions whose answers tell what happened, where tracking words are part of the story ("ممكن ابعت سكرين شوت من
# الtracking لو محتاجين" as evidence): a digression there asks something (a question mark) or names an order.
EXPLAINING = frozenset({"dispute_description", "dispute_evidence"})
_QUESTION_ENDINGS = ("吗", "嘛", "么")
_PAUSE_MARKS = ("...", "…", "。。。")
BARE_NO_WORDS = 2
RANKED = 3
# The questions a country answers: naming one there is the answer, whatever else the model reads in it.
DESTINATION_QUESTIONS = frozenset({"search_destination"})
# Courtesies that answer no question: said to the receipt's yes/no question, the question is asked again.
COURTESIES = frozenset({"thank", "greet"})
# Outside any question, a message the model reads as one of these that asks for a dispute in so many words asks for it.
DISPUTE_READ_OVER = frozenset({TRACK, AFFIRM, DENY})
# How many words before a request's name a negation still takes it back ("dont open a dispute", "ما بي ارجعها").
NEGATION_REACH = 3
TURNED_DOWN_REACH = 5  # "dont want a partial refund": the negation before the words of a request turned down
REFUSAL_REACH = 12  # how far after a journey's name a no turns it down ("спор не надо")
# Outside any question, a message the model reads as one of these that tells what is wrong with goods that came and
# asks for nothing is a report on the goods received: a complaint is no search ("kak humidifier ku bocor").
PROBLEM_READ_OVER = UNDECIDED | {SEARCH, INFORM, GREET, TRACK}  # "我的 kettle 收到了, 可是盖子那边有点漏水": no tracking
RECEIPT = "confirm_receipt"
REFUND = "request_refund"


@dataclass(frozen=True)
class Question:
    """What the bot's latest turn asked: a form's slot or a response's name, and its kind."""

    key: str
    kind: str  # "yes_no", "free_text", "refine", "import_follow_up" or "which_order"
    journey_intent: Optional[str] = None  # the intent that, given as an answer, means "yes, do it"


def question_of(active_loop: Optional[str], requested_slot: Optional[str],
                last_bot_response: Optional[str]) -> Optional[Question]:
    """The question the bot's latest turn asked, if it is one this module reads answers to."""
    if active_loop and requested_slot:
        if requested_slot in YES_NO_SLOTS:
            return Question(requested_slot, "yes_no", YES_NO_SLOTS[requested_slot])
        if requested_slot in FREE_TEXT_SLOTS:
            return Question(requested_slot, "free_text")
        return None
    if last_bot_response in YES_NO_RESPONSES:
        return Question(last_bot_response, "yes_no", YES_NO_RESPONSES[last_bot_response])
    if last_bot_response in REFINE_RESPONSES:
        return Question(last_bot_response, "refine")
    if last_bot_response in WHICH_ORDER_RESPONSES:
        return Question(last_bot_response, "which_order", WHICH_ORDER_RESPONSES[last_bot_response])
    return None


def _ranking(parse_data: Mapping[str, Any]) -> List[Tuple[str, float]]:
    ranking = parse_data.get("intent_ranking") or [parse_data.get("intent") or {}]
    return [(str(item.get("name")), float(item.get("confidence") or 0.0)) for item in ranking if item.get("name")]


def _read_yes_no(text: str, top: str, ranking: List[Tuple[str, float]], question: Question,
                 words: Lexicon) -> Optional[str]:
    if question.key in AMOUNT_CONFIRMATIONS and (_FIGURE.search(text) or mentions(text, words.full_amount)) and \
            yes_or_no(text, words) != AFFIRM:
        return INFORM  # "не, стоп, 1,5к давайте" to "a refund of 1,000 RUB?", "actually no forget that ... I want
        # full refund and I will send it back": the amount changed, asked again
    if question.key in YES_NO_RESPONSES and not _asks(text) and any(
            top == intent != question.journey_intent and mentions(text, getattr(words, names))
            for intent, names in NAMED_JOURNEYS):
        return top  # "本来想直接退款的 算了 还是开纠纷让平台处理吧" to "Shall I release the payment?": the dispute ("确认收货之后
        # 要是出问题还能退吗？" asks about it: the question is asked again)
    if top == HANDOFF and names_a_person(text, words):
        return HANDOFF  # "can i talk to someone" is no yes ("can", Malaysian English) and no "neither"
    for list_name, meaning in ANSWER_PHRASES.get(question.key, ()):
        phrases = getattr(words, list_name)
        if meaning == DENY and mentions(text, phrases) or meaning == AFFIRM and not _asks(text) and says_unnegated(
                text, phrases, words, NEGATION_REACH):
            return meaning  # "да, оставлю себе" to "Will you send it back?" is a no; "no actually forget the 200, i
            # want full refund and i send the watch back" a yes (its no is about the amount), "لا ما بي ارجعها" a no;
            # "寄回去吗?" asks
    decided = _after_last_question(text)
    after_question = yes_or_no(decided, words)
    if after_question == AFFIRM or (after_question == DENY and len(decided.split()) <= BARE_NO_WORDS):
        return after_question  # "погодите... а продавец точно увидит? ладно, да, открывайте": the yes after the
        # question; "كيف ارجعه وانا ما استلمته اصلا؟ لا" (how, I never got it? no): a bare no ("where is it now? not
        # yet come" tells about the parcel)
    if decided and (says_yes_after_the_last_no(decided, words) or not says_no_somewhere(decided, words) and
                    says_unnegated(decided, strong_phrases(words.affirm, 7), words)):
        return AFFIRM  # "how long this usually take? anyway yalla ok, open it": a yes said after the question;
        # "开了争议大概多久有结果？…算了 先提交吧 确认": never mind the question, submit
    last_part = _after_last_pause(text)  # an amount in it takes back another ("... لا sorry خلها 150 درهم")
    after_pause = None if _DIGIT.search(last_part) else yes_or_no(last_part, words)
    if after_pause == DENY or after_pause == AFFIRM and not says_no_somewhere(last_part, words):
        return after_pause  # the last word after a pause decides: "yes... wait no dont" is a no; "لحظه بجربها اول...
        # اوكي مقاسها مضبوط، ايه اكد" (a moment, I'll try them on... OK, they fit, yes confirm) a yes
    by_words = yes_or_no(text, words)
    if by_words:
        return by_words  # "no, not worth to send back" is a no
    if is_stop(text, words):
        return DENY
    if says_neither(text, words):
        return INFORM  # "طيب نكمل" (OK, let's go on): no yes, whatever the model ranks; the question is asked again
    if top in COURTESIES and question.journey_intent:  # "جزاكم الله خير 🙏" to "Shall I release the
        # payment?" is no answer (the question is asked again); "thanks, yes release it" is a yes
        return AFFIRM if says_unnegated(text, strong_phrases(words.affirm + words.receipt, 3), words) else INFORM
    if top in DIGRESSIONS and order_number_named(text):
        return top  # "the other order SR-900087 where is it now? not yet come": a question in between
    if says_no_somewhere(text, words):  # "eh wait no dont open first, ... cancel": never a yes
        if question.journey_intent in ORDER_CHECKED and order_number_named(text):
            return AFFIRM  # "only this one!! the other SR-900084 not arrive yet so dont touch": the action asks which
        if question.journey_intent in ORDER_CHECKED and mentions(text, words.other_one):
            return INFORM  # "بس الطلب الثاني لسه ما جا فلا تأكدونه": a no to the other order; this one asked again
        yes_words = words.affirm + getattr(words, JOURNEY_WORDS.get(question.journey_intent or "", "affirm"))
        # a yes and a no: asked again; a yes taken back is none ("oh wait wait dont confirm yet, let me check")
        return INFORM if says_unnegated(text, strong_phrases(yes_words, 7), words) else DENY
    journey_words = JOURNEY_WORDS.get(question.journey_intent or "")
    if top in DIGRESSIONS and journey_words and not _asks(text) and says_unnegated(
            text, getattr(words, journey_words), words):
        return AFFIRM  # "в приложении до сих пор «в пути» висит. закройте заказ, все ок": the status is the story
    if top in DIGRESSIONS and dict(ranking).get(top, 0.0) >= DIGRESSION_CONFIDENCE:
        return top  # "هو فين دلوقتي؟": a question in between (with a no in it, "等下 先别点 我还没拆", a no)
    if top in (AFFIRM, DENY):
        return top
    if OWN_REQUEST_NO_ANSWER.get(question.key) == top:
        return INFORM
    if question.journey_intent and (top == question.journey_intent or top == "nlu_fallback" and journey_words and
                                    mentions(text, getattr(words, journey_words))):
        # "open the dispute" to "Shall I open the dispute?", "pls confirm this one only" to "Shall I release the
        # payment?" (the action checks the order); a question about it is no yes ("وبالمناسبة كم ياخذ وقت لين ترجع
        # الفلوس للبطاقة؟" to "Shall I send the refund request?"): asked again
        return INFORM if _asks(text) else AFFIRM
    if top in OTHER_REQUESTS and journey_words and not _asks(text) and _names_last(text, journey_words, words):
        return AFFIRM  # "верните деньги наверное... хотя нет. давайте лучше спор откроем" to "Shall I open the
        # dispute?": the journey it ends with, its own
    if top in OTHER_REQUESTS:  # "the screen came cracked" to "Shall I release the payment?": never a yes by a
        # ranking; a question ("а если я подтвержу а потом сломается, вернуть можно будет?"): asked again
        return INFORM if _asks(text) else None
    if _asks(text) and top not in DIGRESSIONS:
        return INFORM  # "شو المطلوب مني الحين؟ لازم اأكد؟", "а что значит отпустить оплату?": a question, no answer;
        # the question is asked again (it says what a yes does), not a yes or a no by the model's ranking (a
        # tracking question the model is unsure of, "هو فين دلوقتي؟", is the no it was)
    ranked = dict(ranking[:RANKED])
    affirm, deny = ranked.get(AFFIRM, 0.0), ranked.get(DENY, 0.0)
    if affirm or deny:
        return AFFIRM if affirm > deny else DENY
    return None


def _read_free_text(text: str, top: str, confidence: float, question: Question, words: Lexicon) -> Optional[str]:
    if top == HANDOFF and names_a_person(text, words):
        return HANDOFF  # "算了 你给我转人工吧 我要跟真人说": giving up on the form for a person, not a stop
    if is_stop(after_settling(text, words), words):
        return DENY
    if question.key == "dispute_evidence" and yes_or_no(text, words) == DENY:
        return DENY  # "no" to "Do you have photos?": none (the form reads it so)
    if top in DIGRESSIONS and confidence >= DIGRESSION_CONFIDENCE and (
            question.key not in EXPLAINING or _asks(text) or order_number_named(text)):
        return top
    return INFORM


def _asks(text: str) -> bool:
    """Whether a message asks something: a question mark, or a Chinese question particle at its end ("…吗")."""
    return any(mark in text for mark in QUESTION_MARKS) or text.rstrip(" ~。.!！").endswith(_QUESTION_ENDINGS)


def _after_last_question(text: str) -> str:
    """What a message says after its last question mark: the decision that follows a question ("wait... will the
    seller see it? ok, yes, open it"); empty when it ends with the question or asks none."""
    return _after_last(text, QUESTION_MARKS)


def _after_last_pause(text: str) -> str:
    """What a message says after its last pause ("yes... wait no dont", "لحظه بجربها اول... اوكي مقاسها مضبوط، ايه
    اكد": a moment, I'll try them first... OK, they fit, yes confirm); empty when it has none."""
    return _after_last(text, _PAUSE_MARKS)


def _after_last(text: str, marks: Sequence[str]) -> str:
    ends = [found + len(mark) for mark in marks if (found := text.rfind(mark)) >= 0]
    return text[max(ends):].strip() if ends else ""


def _tagged(parse_data: Mapping[str, Any]) -> set:
    """The entities the model tagged in a message."""
    return {entity.get("entity") for entity in parse_data.get("entities") or []}


def _entities(parse_data: Mapping[str, Any]) -> set:
    """The entities of a message, and a country or a colour named among its words that the model did not tag
    ("dubai", "للسعوديه", "بني")."""
    entities = _tagged(parse_data)
    text = str(parse_data.get("text") or "")
    if "country" not in entities and countries_in_text(text):
        entities.add("country")
    if "color" not in entities and colour_in_text(text):
        entities.add("color")  # "واذا في بني يكون احسن"
    return entities


def _read_refinement(parse_data: Mapping[str, Any], top: str, words: Lexicon,
                     read_over: frozenset = REFINED_OVER) -> Optional[str]:
    """A colour, a budget (tagged, or a figure the model did not tag: "хотя не, до 6 млн можно"), a destination or
    a feature ("беспроводные обязательно") without a product: the same search, refined."""
    entities = _entities(parse_data)
    text = str(parse_data.get("text") or "")
    if top == TRACK and ("color" in entities or colour_in_text(text)) and not (
            order_number_named(text) or tracking_number_in(text)):
        return INFORM  # "黑色的就行 寄杭州大概几天到？": a colour, and how long delivery takes (no order): refined
    if "product_category" in entities or top not in read_over:
        return None
    if entities & REFINING_ENTITIES or mentions(text, words.feature) or catalog_words_in(text) or _DIGIT.search(
            without_order_numbers(text)):
        return INFORM  # "有 kickstand 的更好 hehe": the catalog's word
    return None


def _read_import_follow_up(parse_data: Mapping[str, Any], top: str, words: Lexicon,
                           country_asked: bool = False) -> Optional[str]:
    text = str(parse_data.get("text") or "")
    if top not in IMPORT_FOLLOWED_OVER or top == TRACK and (order_number_named(text) or tracking_number_in(text)):
        return None
    entities = _entities(parse_data)
    if entities:
        if not entities & IMPORT_FOLLOW_UP_ENTITIES:
            return None  # "а чёрные есть?": a colour refines a search, not the import question
    else:
        text = normalize(text)  # "طب والدرون؟", "а дроны?": the action reads it
        short = len(text.split()) <= FOLLOW_UP_MAX_WORDS or is_cjk(text[:1]) and len(text) <= 3 * FOLLOW_UP_MAX_WORDS
        return ASK_IMPORT_RULES if short and first_phrase(text, words.follow_up) else None
    if top == "search_product" and not country_asked:  # a search, unless the model also reads an import question
        ranked = [name for name, _ in _ranking(parse_data)[:RANKED]]
        return ASK_IMPORT_RULES if ASK_IMPORT_RULES in ranked else None
    return ASK_IMPORT_RULES  # to "Which country?", "游戏本 大概8k左右的" says what the question is about


def _salutation(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """A message that only greets and addresses the chat ("halo 客服", "hi admin") read as a request for a person:
    a greeting (the buyer says what they need next)."""
    text = _typed(parse_data)
    if text is None or _model_intent(parse_data)[0] != HANDOFF or not only_salutes(text, lexicon()):
        return None
    return _read_as(parse_data, GREET, None)


def _greeting_with_a_request(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """"привет есть чё по телефонам", "hi, where is SR-204517?": a greeting that names a product or an order is
    the request it carries, not a greeting."""
    if _model_intent(parse_data)[0] != GREET:
        return None
    entities = _tagged(parse_data)
    request = next((journey for entity, journey in GREETING_REQUESTS if entity in entities), None)
    return None if request is None else _read_as(parse_data, request, None)


def _typed(parse_data: Mapping[str, Any]) -> Optional[str]:
    """The text the buyer typed; None for a button's payload ("/inform{...}": it says what it means) or none."""
    text = str(parse_data.get("text") or "")
    return None if not text or text.startswith("/") else text


def _model_intent(parse_data: Mapping[str, Any]) -> Tuple[str, float]:
    intent = parse_data.get("intent") or {}
    return str(intent.get("name") or ""), float(intent.get("confidence") or 0.0)


def reinterpret(parse_data: Dict[str, Any], question: Optional[Question],
                words: Optional[Lexicon] = None) -> Dict[str, Any]:
    """``parse_data`` with its intent read as the answer to ``question`` (unchanged when there is none, or
    when the reading agrees with the model's)."""
    text = _typed(parse_data)
    if text is None:
        return parse_data
    greeted = _greeting_with_a_request(parse_data)
    if greeted is not None:
        return greeted
    if question is None:
        return parse_data
    words = words or lexicon()
    top, confidence = _model_intent(parse_data)
    if question.kind == "yes_no":  # "خلاص افتحوا نزاع" (well then, open a dispute): what follows the "well then"
        read = _read_yes_no(after_settling(text, words), top, _ranking(parse_data), question, words)
    elif question.kind == "refine":
        read = _read_refinement(parse_data, top, words)
    elif question.kind == "import_follow_up":
        read = _read_import_follow_up(parse_data, top, words, question.key == COUNTRY_QUESTION)
    elif question.kind == "which_order":  # an answer that names an order ("900040", "SR-900013 这个") is the answer
        names_one = order_number_named(text) or order_digits_named(text)
        if not names_one and ("color" in _entities(parse_data) or colour_in_text(text)):
            return parse_data  # "а коричневые есть?": a colour asks about products, not about an order
        asks_where = top in DIGRESSIONS and _asks(text)  # "بس الثاني SR-900055 شو صار عليه؟": where it is
        read = question.journey_intent if top in WHICH_ORDER_READ_OVER or (
            names_one and top not in OTHER_REQUESTS and not asks_where) else None
    else:
        read = _read_free_text(text, top, confidence, question, words)
    if question.journey_intent == RECEIPT and (read or top) in (AFFIRM, RECEIPT) and reports_a_problem(text):
        read = INFORM  # "the glass lid cracked right across" to "Shall I release the payment?": no yes (asked again,
        # the problem is answered with the offer of a refund or a dispute)
    if read is None or read == top:
        return parse_data
    return _read_as(parse_data, read, question.key)


def _names_last(text: str, own: str, words: Lexicon) -> bool:
    """Whether a message names the other journey, of the refund and the dispute, then ends with ``own`` (a lexicon
    list's name), named with no negation before it."""
    normalized = normalize(text)
    last = {names: max((match.end() for phrase in getattr(words, names) if phrase in normalized
                        for match in re.finditer(re.escape(phrase), normalized)), default=-1)
            for names in ("refund", "dispute", own)}
    others = max(end for names, end in last.items() if names != own)
    return 0 <= others < last[own] and says_unnegated(normalized[others + 1:], getattr(words, own), words,
                                                      NEGATION_REACH) is not None


def _read_as(parse_data: Dict[str, Any], intent: str, question: Optional[str]) -> Dict[str, Any]:
    """``parse_data`` with ``intent`` instead of the model's, which is recorded under ``form_answer``."""
    model_intent, model_confidence = _model_intent(parse_data)
    changed = dict(parse_data)
    changed["intent"] = {"name": intent, "confidence": 1.0}
    changed["form_answer"] = {"question": question, "model_intent": model_intent,
                              "model_confidence": model_confidence}
    return changed


def reinterpret_for_tracker(parse_data: Dict[str, Any], tracker: Any) -> Dict[str, Any]:
    """``reinterpret`` with the question read from a Rasa tracker (before the message is added to it)."""
    if tracker is None:
        return parse_data
    loop = getattr(tracker, "active_loop_name", None)
    requested = tracker.get_slot("requested_slot") if loop else None
    own = OWN_JOURNEY_WORDS.get(loop or "")
    typed, words = _typed(parse_data) or "", lexicon()
    own_words = getattr(words, own) if own else ()
    declined = bool(own_words) and _declined(typed, own_words, words)
    for intent, names, not_while in FORM_SWITCHES.get(loop, ()):
        if requested == FORM_CONFIRMATIONS.get(loop) and _starts_with_a_yes(parse_data):
            break  # "ايه افتحه، بس بترجع فلوسي كاملة صح؟" to "Shall I open the dispute?": a yes, then a question
        if own_words and mentions(typed, own_words) and not declined:
            break  # "我要投诉他拒绝退款" in the dispute form names the dispute too: its own answer
        if intent == RECEIPT and (_model_intent(parse_data)[0] != RECEIPT or requested == FORM_CONFIRMATIONS.get(loop)
                                  or reason_in(typed, ALL_REASONS) or _asks(typed) or says_no_somewhere(typed, words)
                                  or yes_or_no(typed, words) is not None):
            continue  # "получил, но экран разбит": the form's own story; "ха давай, подтверждаю" to "Send the refund
            # request?": its yes; "هيه لو وصلني برده لهم" to "Will you send it back?": its answer; a receipt is
            # confirmed in a form only as the model reads it, nothing wrong told
        held_back = requested in not_while and not (_says_the_requests_terms(parse_data) or declined)
        if loop == DISPUTE_FORM and refusal_told(_typed(parse_data) or ""):
            break  # "卖家一开始说ok会退钱 … 现在又说是我自己弄坏的 不给退了": the dispute's reason, no refund asked
        switched = None if held_back else _named_journey(parse_data, intent, names, requested)
        if switched is not None:
            return switched
    last_bot = None
    for event in reversed(tracker.events):
        kind = getattr(event, "type_name", None)
        if kind == "user":
            break
        if kind == "bot":
            last_bot = (getattr(event, "metadata", None) or {}).get("utter_action")
            break
    held = tracker.get_slot(ORDER_QUESTION)
    if loop and requested != ORDER_QUESTION and corrects_the_order(_typed(parse_data), held):
        return _read_as(parse_data, INFORM, requested)  # "啊不对不对 发错了 SR-900063那个早收到了 是SR-900062这个没到":
        # the form takes the order put right, whatever else the model reads
    if loop and requested == ORDER_QUESTION:
        answered = _order_answer(parse_data)
        if answered is not None:
            return answered
    if loop and requested in DESTINATION_QUESTIONS:
        answered = _destination_answer(parse_data, requested)
        if answered is not None:
            return answered
    question = question_of(loop, requested, last_bot)
    if question is not None or loop:
        read = reinterpret(parse_data, question)
        if loop and question is not None and question.kind == "yes_no" and _model_intent(read)[0] == INFORM:
            return _without_products(read)  # "对了你们有卖不粘锅吗 算了回头再问" to "Shall I send the refund request?":
            # no answer, and no search either (the question is asked again)
        if loop or question.kind != "which_order" or read is not parse_data:
            return read
        # "ок. а коричневые есть? черные не хочу" to "Which order?" (a delivery question after results read as
        # tracking): the search still on screen, refined
    tracked = (_salutation(parse_data) or _tracking_request(parse_data) or _dispute_asked_for(parse_data)
               or _person_asked_for(parse_data) or _named_request(parse_data) or _order_status_request(parse_data)
               or _import_request(parse_data) or _problem_told(parse_data) or _other_request_instead(parse_data))
    if tracked is not None:
        return tracked
    # the search or the import question the conversation is still about
    passed_over = question is not None
    for response in recent_responses(tracker.events):
        context = context_of(response)
        if context is not None:
            if context.kind == "refine" and passed_over and _read_refinement(
                    parse_data, _model_intent(parse_data)[0], lexicon(), REFINED_OVER | {INFORM}) == INFORM:
                return _read_as(parse_data, REFINE_SEARCH, context.key)  # "好 那棕色的有没有" after an import answer
            read = reinterpret(parse_data, context)
            if read is not parse_data:
                return read
            passed_over = True
    return _product_request(parse_data) or reinterpret(parse_data, None)


def _starts_with_a_yes(parse_data: Dict[str, Any]) -> bool:
    """Whether the buyer's message starts with a yes and says no no anywhere."""
    text, words = _typed(parse_data) or "", lexicon()
    return yes_or_no(text, words) == AFFIRM and not says_no_somewhere(text, words)


def _declined(text: str, own_words: Sequence[str], words: Lexicon) -> bool:
    """Whether a message that names the form's own journey turns it down: a negation before it ("hmm actually no,
    no need dispute, I just want my money back", "也不用开纠纷"), a no or a stop right after it ("нет, спор не надо,
    давайте возврат"), or, with a word that takes it back, another request named after it ("а спор это долго? …
    тогда лучше возврат сделаем")."""
    if not mentions(text, own_words):
        return False
    if not says_unnegated(text, own_words, words, NEGATION_REACH):
        return True
    normalized = normalize(text)
    refusals = strong_phrases(words.deny + words.stop, 4)
    ends = [match.end() for phrase in own_words if phrase in normalized
            for match in re.finditer(re.escape(phrase), normalized)]
    if any(mentions(normalized[end:end + REFUSAL_REACH], refusals) for end in ends):
        return True
    others = [match.start() for phrase in words.refund if phrase in normalized
              for match in re.finditer(re.escape(phrase), normalized)]
    return bool(mentions(text, words.correction)) and bool(others) and max(others) > max(ends)


def _without_products(parse_data: Dict[str, Any]) -> Dict[str, Any]:
    """``parse_data`` without the products it tags (which would start a search)."""
    entities = parse_data.get("entities") or []
    if not any(entity.get("entity") == "product_category" for entity in entities):
        return parse_data
    return {**parse_data, "entities": [entity for entity in entities if entity.get("entity") != "product_category"]}


def _says_the_requests_terms(parse_data: Dict[str, Any]) -> bool:
    """Whether a message says what the request it names is to be (all the money, the goods kept or sent back:
    "المهم عايزة استرجع فلوسي كلها وهرجعلكم الكوتشي"), which a dispute's explanation ("the seller refused my
    refund") does not; nor does an amount in its story ("I paid 300 yuan")."""
    words = lexicon()
    text = _typed(parse_data) or ""
    if mentions(text, words.full_amount + words.keep_item + words.send_back):
        return True
    # an amount asked back ("номер 900023 ... но верните хотя бы 5к тенге"; the order's digits are no amount)
    return bool(mentions(text, words.asks_back)) and bool(_DIGIT.search(without_order_numbers(text)))


def _order_answer(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """An answer to "Which order is it about?" that names an order and reads like a question in between
    ("订单SR-900002，买的手机，一直没收到，物流也不更新了": track_order): the order's answer, not a digression."""
    text = _typed(parse_data)
    if text is None or _model_intent(parse_data)[0] not in DIGRESSIONS:
        return None
    if "order_id" not in _tagged(parse_data) and not order_number_named(text):
        return None
    return _read_as(parse_data, INFORM, ORDER_QUESTION)


def _destination_answer(parse_data: Dict[str, Any], question: str) -> Optional[Dict[str, Any]]:
    """A country given to "Where should it go?" that the model reads as an import question ("寄到上海"): the answer;
    one that asks something ("寄到上海要交税吗？") is a question in between."""
    text = _typed(parse_data)
    if text is None or _model_intent(parse_data)[0] != ASK_IMPORT_RULES or _asks(text):
        return None
    return _read_as(parse_data, INFORM, question) if "country" in _entities(parse_data) else None


def _tracking_request(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """A message with a carrier's tracking number read as no other journey: the tracking it asks for."""
    text = _typed(parse_data)
    if text is None or _model_intent(parse_data)[0] not in TRACKING_READ_OVER:
        return None
    if "tracking_number" not in _tagged(parse_data) and not tracking_number_in(text):
        return None
    return _read_as(parse_data, "track_order", None)


def _order_status_request(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """A message the model could not decide on that names one of the shop's orders ("kak can check SR-900086 pls,
    sudah sampai mana?"): where that order is (a request for another journey names it: ``_named_request``)."""
    text = _typed(parse_data)
    if text is None or _model_intent(parse_data)[0] not in UNDECIDED or not order_number_named(text):
        return None
    return _read_as(parse_data, TRACK, None)


def _import_request(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """A message read as a search (or not decided on) that asks about duties or what may be imported and names a
    country, or that the model also reads as an import question ("哈萨克斯坦这边关税大概多少啊？3000块左右的无人机",
    "هل مسموح اطلب فيتامينات من برا؟ للسعوديه", "我想从国内给泰国的朋友寄个手机，那边海关有啥规定吗"): the import
    question."""
    text = _typed(parse_data)
    top = _model_intent(parse_data)[0]
    if text is None or top not in UNDECIDED | {SEARCH} or not mentions(text, lexicon().import_terms):
        return None
    if top == SEARCH and ("color" in _entities(parse_data) or colour_in_text(text) or budget_said(text)):
        return None  # "有没有降噪耳机啊 黑色的 不超过100刀 能寄到迪拜吗": a colour, or a most-to-pay ("磁吸的充电宝 …
        # 一百五人民币以内 要寄到塔什干 能寄吗"), is for choosing a product
    ranked = [name for name, _ in _ranking(parse_data)[:RANKED]]
    country = "country" in _entities(parse_data)
    if not country and (top != SEARCH or ASK_IMPORT_RULES not in ranked):
        return None  # undecided, it must name the country: "…又交了关税想退…能帮我转人工客服吗" is no import question
    return _read_as(parse_data, ASK_IMPORT_RULES, None)


def _other_request_instead(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """A message the model reads as a refund (or a dispute) that turns it down, or never names it, and asks for the
    other in so many words ("no I dont want a partial refund. I want to open a dispute please"; "продавец сам
    написал что отправил не того цвета, сказал оформить возврат разницы", read as a dispute): the other request."""
    text, top = _typed(parse_data), _model_intent(parse_data)[0]
    if text is None or top not in (REFUND, DISPUTE):
        return None
    words = lexicon()
    own, other, other_intent = ((words.refund, words.dispute, DISPUTE) if top == REFUND else
                                (words.dispute, words.refund, REFUND))
    turned_down = not mentions(text, own) or says_unnegated(text, own, words, TURNED_DOWN_REACH) is None
    refused = other_intent == REFUND and refusal_told(text)  # "asked for a refund, the seller refused": a dispute
    if turned_down and not refused and says_unnegated(text, other, words, NEGATION_REACH) is not None:
        return _read_as(parse_data, other_intent, None)
    return None


def _problem_told(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """A message read as a search, an answer or nothing the model knows that tells what is wrong with goods that
    came and asks for nothing ("kak humidifier ku bocor, air keluar dari bawah tiap pagi", "left earbud crackling
    when volume high, right one ok", "чемодан пришел, одно колесо отвалилось"): a report on the goods received,
    whose answer keeps the payment held and offers a refund or a dispute. A message that asks for one of them, or
    for a person, is read by what it asks."""
    text, top = _typed(parse_data), _model_intent(parse_data)[0]
    if text is None or top not in PROBLEM_READ_OVER or not reports_a_problem(text):
        return None
    words = lexicon()
    if top == TRACK and (order_number_named(text) or mentions(text, words.correction)):
        return None  # "哦不对不对发错了，是SR-900781这个，看看是不是卡海关了": the order put right, tracked
    if mentions(text, words.refund + words.dispute + words.full_amount + words.partial):
        return None
    return _read_as(parse_data, RECEIPT, None)


def _person_asked_for(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """A message that asks to be put through to a person ("can i talk to a real person from your team pls"), or
    one the model could not decide on that names a person, with a handoff among the model's first three ("我的问题
    有点复杂…一两句说不清楚，能帮我转人工客服吗？"): the handoff."""
    text = _typed(parse_data)
    if text is not None and _model_intent(parse_data)[0] != HANDOFF and asks_to_talk_to_a_person(text, lexicon()):
        return _read_as(parse_data, HANDOFF, None)  # "i want 200 power banks … can i talk to a real person pls"
    if text is None or _model_intent(parse_data)[0] not in UNDECIDED:
        return None
    if not mentions(text, strong_phrases(lexicon().person, 5)):  # "客服", "operator"; not the "人" of "被人拿错了"
        return None
    ranked = [name for name, _ in _ranking(parse_data)[:RANKED]]
    return _read_as(parse_data, HANDOFF, None) if HANDOFF in ranked else None


def _dispute_asked_for(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """A message read as a tracking question, a yes or a no, where no question was asked, that asks for a dispute
    in so many words ("SR-900006发货半个多月了物流一直没更新，卖家消息也不回，我要申诉"; "算了我不等了 直接开纠纷吧"
    after a late parcel's status): the dispute, unless the word is negated ("don't open a dispute yet, where is
    it?")."""
    text = _typed(parse_data)
    if text is None or _model_intent(parse_data)[0] not in DISPUTE_READ_OVER:
        return None
    words = lexicon()
    named = says_unnegated(text, words.dispute, words, NEGATION_REACH)  # "dont open a dispute"
    return None if named is None else _read_as(parse_data, DISPUTE, None)


def _named_request(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """A message the model could not decide on ("ابي افتح شكوى رسميه، الطلب … ما وصل": a dispute or tracking?),
    or read as a search of no product or about an order ("оставлю себе, но хочу компенсацию 2 тыщи тенге"), that
    names a journey the model ranks among its first three: that journey's request."""
    top, text = _model_intent(parse_data)[0], _typed(parse_data) or ""
    about_an_order = order_number_named(text) or order_digits_named(text)
    if top not in UNDECIDED and not (top == SEARCH and ("product_category" not in _tagged(parse_data) or
                                                        about_an_order)):
        return None  # a search that names no product, or an order ("الساعة اللي طلبتها 900010 … ابي تعويض"), may be
        # a request it misread ("хочу компенсацию 2 тыщи")
    if top == SEARCH and about_an_order:  # no search names an order: the journey it names, however ranked
        named = next((journey for journey, names in NAMED_JOURNEYS if mentions(text, getattr(lexicon(), names))), None)
        return _read_as(parse_data, named, None) if named else None
    named = next(filter(None, (_named_journey(parse_data, journey, names, None)
                               for journey, names in NAMED_JOURNEYS)), None)
    if named is not None and _model_intent(named)[0] == REFUND and refusal_told(text):
        return _read_as(parse_data, DISPUTE, None)  # "طلبت استرجاع فلوسي من اسبوعين والبائع رفض": the refusal is
        # the dispute's
    if named is None and top in UNDECIDED and REFUND in [name for name, _ in _ranking(parse_data)[:RANKED]] and \
            _says_the_requests_terms(parse_data):
        return _read_as(parse_data, REFUND, None)  # "…the listing said Arabic stickers included. I will keep it but
        # I want 200 SR back for this": a refund's terms, in no refund word
    return named


def _product_request(parse_data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """A message the model could not decide on that names a product, with a search among the model's first three
    and no import question there: a search ("кроссы посмотреть хочу", "i need toys for him")."""
    if _model_intent(parse_data)[0] not in UNDECIDED or "product_category" not in _entities(parse_data):
        return None
    ranked = [name for name, _ in _ranking(parse_data)[:RANKED]]
    return _read_as(parse_data, SEARCH, None) if SEARCH in ranked and ASK_IMPORT_RULES not in ranked else None


def _named_journey(parse_data: Dict[str, Any], intent: str, names: str, question: Optional[str],
                   words: Optional[Lexicon] = None) -> Optional[Dict[str, Any]]:
    """The message read as ``intent`` when the model ranks it among its first three and the message uses one
    of the lexicon's ``names`` words (unchanged when the model already reads it so); None otherwise."""
    text = _typed(parse_data)
    if text is None or intent not in [name for name, _ in _ranking(parse_data)[:RANKED]]:
        return None
    if not mentions(text, getattr(words or lexicon(), names)):
        return None
    return parse_data if _model_intent(parse_data)[0] == intent else _read_as(parse_data, intent, question)


def context_of(response: str) -> Optional[Question]:
    if response in REFINE_RESPONSES:
        return Question(response, "refine")
    if response.startswith(IMPORT_RESPONSES_PREFIX) or response == COUNTRY_QUESTION:
        return Question(response, "import_follow_up")
    return None


def recent_responses(events: Sequence[Any]) -> List[str]:
    """The bot's responses of the last few turns, latest first, without those that change nothing ("say it
    another way"), up to the last action that started something else (another journey, a form)."""
    responses: List[str] = []
    said: List[str] = []  # what the action whose event comes next (going back) said
    turns = 0
    for event in reversed(events):
        kind = getattr(event, "type_name", None)
        if kind == "user":
            turns += 1
            if turns > CONTEXT_TURNS:
                break
        elif kind == "bot":
            name = (getattr(event, "metadata", None) or {}).get("utter_action")
            said.append(name or "")
            if name and name not in PASSING_RESPONSES and name not in responses:
                responses.append(name)
        elif kind == "action":
            name = getattr(event, "action_name", None) or ""
            only_asked_which = bool(said) and all(response in WHICH_ORDER_RESPONSES for response in said)
            said = []
            if name and name not in CONTEXT_KEEPING_ACTIONS and not name.startswith("utter_") and not only_asked_which:
                break  # another journey, unless it only asked which order (nothing was answered)
    return responses
