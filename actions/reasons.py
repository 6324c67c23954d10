"""Why a buyer wants a refund or opens a dispute: the reasons' labels in every supported language and their
buttons; the codes and the words that name them are common/reason_words.py's."""

from __future__ import annotations

from typing import Dict, List, Sequence

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

def label(code: str, language: str) -> str:
    entry = LABELS.get(code, {})
    return entry.get(language) or entry.get("en") or code.replace("_", " ")


def reason_buttons(allowed: Sequence[str], language: str, slot: str) -> List[Dict[str, str]]:
    """One button per reason; its payload is the code, which ``reason_in`` reads back."""
    return [{"title": label(code, language), "payload": f'/inform{{"{slot}": "{code}"}}'} for code in allowed]
