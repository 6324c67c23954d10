"""Words the actions put into responses, in every supported language (en, zh, ru, ar).

The sentences themselves are domain responses (``domain/responses/``); these
are the pieces that fill their slots: order statuses, tracking events, periods.
"""

from __future__ import annotations

from typing import Dict

from actions.clients.money import exponent_of

LANGUAGES = ("en", "zh", "ru", "ar")

ORDER_STATUS: Dict[str, Dict[str, str]] = {
    "placed": {"en": "placed, waiting for payment", "zh": "已下单，等待付款", "ru": "оформлен, ожидает оплаты",
               "ar": "تم تقديمه وينتظر الدفع"},
    "paid": {"en": "paid, the seller is preparing it", "zh": "已付款，卖家正在备货",
             "ru": "оплачен, продавец готовит его", "ar": "مدفوع، والبائع يجهّزه"},
    "shipped": {"en": "on its way", "zh": "运输中", "ru": "в пути", "ar": "في الطريق إليك"},
    "delivered": {"en": "delivered", "zh": "已签收", "ru": "доставлен", "ar": "تم التسليم"},
    "completed": {"en": "completed", "zh": "已完成", "ru": "завершён", "ar": "مكتمل"},
    "cancelled": {"en": "cancelled", "zh": "已取消", "ru": "отменён", "ar": "ملغى"},
    "refund_requested": {"en": "waiting for a decision on your refund", "zh": "退款申请处理中",
                         "ru": "ожидает решения по возврату средств", "ar": "بانتظار قرار بشأن طلب الاسترداد"},
    "refunded": {"en": "refunded", "zh": "已退款", "ru": "деньги возвращены", "ar": "تم استرداد المبلغ"},
    "disputed": {"en": "under dispute", "zh": "纠纷处理中", "ru": "по нему открыт спор", "ar": "قيد النزاع"},
    "dispute_resolved": {"en": "closed after the dispute", "zh": "纠纷已解决", "ru": "спор по нему решён",
                         "ar": "أُغلق بعد حل النزاع"},
}

TRACKING_EVENT: Dict[str, Dict[str, str]] = {
    "accepted": {"en": "accepted by the carrier", "zh": "承运商已揽收", "ru": "принят перевозчиком",
                 "ar": "استلمته شركة الشحن"},
    "export_customs": {"en": "cleared export customs", "zh": "已完成出口清关", "ru": "прошёл экспортную таможню",
                       "ar": "اجتاز جمارك التصدير"},
    "in_transit": {"en": "in international transit", "zh": "国际运输中", "ru": "в международной перевозке",
                   "ar": "في النقل الدولي"},
    "import_customs": {"en": "at import customs", "zh": "进口海关查验中", "ru": "на таможне страны назначения",
                       "ar": "في جمارك بلد الوصول"},
    "out_for_delivery": {"en": "out for delivery", "zh": "派送中", "ru": "передан курьеру для доставки",
                         "ar": "خرج للتوصيل"},
    "delivered": {"en": "delivered", "zh": "已签收", "ru": "доставлен", "ar": "تم التسليم"},
    "exception": {"en": "delayed by a delivery problem", "zh": "派送异常", "ru": "задержан из-за проблемы с доставкой",
                  "ar": "متأخر بسبب مشكلة في التوصيل"},
}

PERIOD: Dict[str, Dict[str, str]] = {
    "parcel": {"en": "per parcel", "zh": "每个包裹", "ru": "за посылку", "ar": "لكل طرد"},
    "transaction": {"en": "per order", "zh": "每笔订单", "ru": "за заказ", "ar": "لكل طلب"},
    "day": {"en": "per day", "zh": "每天", "ru": "в день", "ar": "في اليوم"},
    "month": {"en": "per month", "zh": "每月", "ru": "в месяц", "ar": "في الشهر"},
    "quarter": {"en": "per quarter", "zh": "每季度", "ru": "в квартал", "ar": "في الربع"},
    "year": {"en": "per year", "zh": "每年", "ru": "в год", "ar": "في السنة"},
}


def word(table: Dict[str, Dict[str, str]], key: str, language: str) -> str:
    entry = table.get(key)
    if entry is None:
        return key.replace("_", " ")
    return entry.get(language) or entry["en"]


def money(amount_minor: int, currency: str) -> str:
    """12345, 'KZT' -> '123.45 KZT' (digits and the ISO code read the same in every language)."""
    exponent = exponent_of(currency)
    if exponent == 0:
        return f"{amount_minor:,} {currency}"
    sign = "-" if amount_minor < 0 else ""
    whole, fraction = divmod(abs(amount_minor), 10 ** exponent)
    return f"{sign}{whole:,}.{fraction:0{exponent}d} {currency}"
