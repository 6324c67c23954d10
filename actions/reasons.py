"""Why a buyer wants a refund or opens a dispute: the escrow backend's reason codes, their labels in every
supported language, and the words by which a typed answer names one."""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence

# The backend's codes (backends/escrow/service.py), in the order the buyer is offered them.
REFUND_REASONS = ("not_received", "damaged", "not_as_described", "wrong_item", "missing_parts", "changed_mind",
                  "other")
DISPUTE_REASONS = ("not_received", "not_as_described", "damaged", "wrong_item", "missing_parts", "counterfeit",
                   "refund_refused", "other")

LABELS: Dict[str, Dict[str, str]] = {
    "not_received": {"en": "Not received", "zh": "未收到货", "ru": "Не получил заказ", "ar": "لم أستلم الطلب"},
    "damaged": {"en": "Arrived damaged", "zh": "商品损坏", "ru": "Пришёл повреждённым", "ar": "وصل تالفًا"},
    "not_as_described": {"en": "Not as described", "zh": "与描述不符", "ru": "Не соответствует описанию",
                         "ar": "لا يطابق الوصف"},
    "wrong_item": {"en": "Wrong item", "zh": "发错货", "ru": "Прислали не тот товар", "ar": "منتج خاطئ"},
    "missing_parts": {"en": "Parts missing", "zh": "缺少配件", "ru": "Не хватает деталей", "ar": "أجزاء ناقصة"},
    "changed_mind": {"en": "Changed my mind", "zh": "不想要了", "ru": "Передумал", "ar": "غيرت رأيي"},
    "counterfeit": {"en": "Counterfeit", "zh": "假货", "ru": "Подделка", "ar": "منتج مقلد"},
    "refund_refused": {"en": "Seller refused a refund", "zh": "卖家拒绝退款", "ru": "Продавец отказал в возврате",
                       "ar": "البائع رفض الاسترداد"},
    "other": {"en": "Something else", "zh": "其他原因", "ru": "Другое", "ar": "سبب آخر"},
}

# Stems and words that name a reason in a typed answer (lower case; Russian and Arabic by stem).
WORDS: Dict[str, Sequence[str]] = {
    "not_received": ("not received", "never arrived", "didn't arrive", "did not arrive", "didn't get", "never got",
                     "not arrived", "lost", "未收到", "没收到", "没到", "丢了", "не получил", "не пришл", "не дошл", "потерял",
                     "не доставил", "не пришел", "не пришёл", "не пришла", "так и не", "не отправ", "не отгрузил", "не высыла",
                     "not shipped", "hasn't shipped", "never shipped", "没发货", "还没发", "لم يشحن", "ما شحن", "ما انشحن",
                     "لم أستلم", "ما استلمت", "لم يصل", "ما وصل", "ضاع", "empty box", "empty parcel",
                     "пустая коробка", "пустую коробку", "пустая посылка", "空盒", "空包裹", "空箱", "علبة فاضية",
                     "الكرتونة فاضية", "العلبة فاضية", "كرتون فاضي"),
    "damaged": ("damaged", "broken", "cracked", "smashed", "doesn't work", "not working", "defective", "faulty", "损坏",
                "坏了", "破了", "碎了", "不能用", "质量问题", "сломан", "разбит", "поврежд", "брак", "не работает", "треснул",
                "трещин", "царапин", "поцарапан", "scratch", "划痕", "刮花", "裂", "开胶", "质量太差", "质量差", "خدش", "مخدوش", "شرخ", "مكسر", "تالف",
                "مكسور", "مكسوره", "متكسر", "انكسر", "مشعور", "خربان", "لا يعمل", "ما يشتغل", "معيب", "no sound",
                "没声音", "没有声音", "没反应", "нет звука", "не звучит", "مفيش صوت", "ما فيه صوت", "مافي صوت",
                "torn", "ripped", "порван", "порвал", "разорван", "дырк", "破洞", "开线", "ممزق", "مقطوع", "متقطع",
                "dead pixel", "битые пиксели", "битый пиксель", "坏点", "بكسل"),
    "not_as_described": ("not as described", "different from", "not like the picture", "not what was shown",
                         "poor quality", "与描述不符", "不符", "和图片不一样", "货不对板", "не соответствует", "не как на фото",
                         "не такой", "отличается", "как клеенка", "как клеёнка", "لا يطابق", "مختلف عن", "غير مطابق",
                         "مو نفس الصورة", "مش زي الصور", "مش زي الصوره", "مش زي الصورة", "مو زي الصور",
                         "غير اللي في الصور"),
    "wrong_item": ("wrong item", "wrong size", "wrong color", "wrong colour", "wrong model", "sent the wrong",
                   "different item", "发错", "错了货", "不是我买的", "не тот", "не та", "не ту", "не то", "перепутал",
                   "другую модель", "خاطئ", "غلط", "منتج آخر", "موديل مختلف", "موديل تاني", "موديل ثاني",
                   "different model", "another model", "doesn't fit", "does not fit", "too small", "too big",
                   "размер не подош", "не подошел размер", "не подошёл размер", "маломерит", "большемерит", "尺码",
                   "码数", "太小了", "太大了", "المقاس", "مقاسه", "مش مقاسي"),
    "missing_parts": ("missing", "incomplete", "not complete", "parts", "缺少", "少了", "缺件", "配件", "не хватает",
                      "некомплект", "нет в комплекте", "ناقص", "أجزاء", "ينقص", "نقص"),
    "changed_mind": ("changed my mind", "don't need", "do not need", "don't want", "no longer", "不想要", "不需要", "不要了",
                     "передумал", "передумала", "не нужен", "не нужно", "غيرت رأيي", "لا أحتاجه", "ما أبغاه",
                     "مش عايزه"),
    "counterfeit": ("fake", "counterfeit", "replica", "not original", "knockoff", "假货", "假的", "仿冒", "高仿", "подделк",
                    "паленый", "палёный", "не оригинал", "مقلد", "تقليد", "مزيف", "غير أصلي"),
    "refund_refused": ("refused", "rejected", "declined", "won't refund", "拒绝", "不给退", "отказал", "отказался",
                       "отклонил", "رفض", "رفضوا"),
    "other": ("other", "something else", "其他", "别的", "другое", "другая причина", "آخر", "سبب آخر"),
}
_PAYLOAD = re.compile(r'_reason"\s*:\s*"([a-z_]+)"')  # a reason button's payload


def reason_in(text: str, allowed: Sequence[str]) -> Optional[str]:
    """The reason ``text`` names among ``allowed``: a button's code, or the reason whose words it uses (the
    longest words found; on a tie the first in ``allowed``, which lists the specific reasons first and "other"
    last)."""
    match = _PAYLOAD.search(text or "")
    if match:
        return match.group(1) if match.group(1) in allowed else None
    lowered = (text or "").lower()
    best, longest = None, 0
    for code in allowed:  # the longest words said decide: "موديل مختلف" (another model) over "مختلف عن"
        length = max((len(word) for word in WORDS.get(code, ()) if word in lowered), default=0)
        if length > longest:
            best, longest = code, length
    return best


def label(code: str, language: str) -> str:
    entry = LABELS.get(code, {})
    return entry.get(language) or entry.get("en") or code.replace("_", " ")


def reason_buttons(allowed: Sequence[str], language: str, slot: str) -> List[Dict[str, str]]:
    """One button per reason; its payload is the code, which ``reason_in`` reads back."""
    return [{"title": label(code, language), "payload": f'/inform{{"{slot}": "{code}"}}'} for code in allowed]
