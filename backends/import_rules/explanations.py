"""The reasons of an estimate in the buyer's language (en, zh, ru, ar; other languages read English)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from backends.import_rules.landed_cost import Reason
from backends.import_rules.schema import CountryRules, Text
from backends.money import format_major

LANGUAGES = ("en", "zh", "ru", "ar")

PERIODS = {
    "parcel": {"en": "per parcel", "zh": "每个包裹", "ru": "за посылку", "ar": "لكل طرد"},
    "transaction": {"en": "per order", "zh": "每笔交易", "ru": "за заказ", "ar": "لكل طلب"},
    "day": {"en": "per day", "zh": "每天", "ru": "в день", "ar": "في اليوم"},
    "month": {"en": "per month", "zh": "每月", "ru": "в месяц", "ar": "في الشهر"},
    "quarter": {"en": "per quarter", "zh": "每季度", "ru": "в квартал", "ar": "في الربع"},
    "year": {"en": "per year", "zh": "每年", "ru": "в год", "ar": "في السنة"},
}

ITEMS = {
    "lithium_batteries": {"en": "Lithium batteries", "zh": "锂电池", "ru": "Литиевые батареи",
                          "ar": "بطاريات الليثيوم"},
    "drones": {"en": "Drones", "zh": "无人机", "ru": "Дроны", "ar": "الطائرات المسيّرة"},
    "radio_equipment": {"en": "Radio equipment", "zh": "无线电设备", "ru": "Радиооборудование",
                        "ar": "الأجهزة اللاسلكية"},
    "medicines": {"en": "Medicines", "zh": "药品", "ru": "Лекарства", "ar": "الأدوية"},
    "dietary_supplements": {"en": "Dietary supplements", "zh": "膳食补充剂", "ru": "БАДы",
                            "ar": "المكملات الغذائية"},
    "cosmetics": {"en": "Cosmetics", "zh": "化妆品", "ru": "Косметика", "ar": "مستحضرات التجميل"},
    "food": {"en": "Food", "zh": "食品", "ru": "Продукты питания", "ar": "الأغذية"},
    "alcohol": {"en": "Alcohol", "zh": "酒类", "ru": "Алкоголь", "ar": "الكحول"},
    "tobacco": {"en": "Tobacco", "zh": "烟草", "ru": "Табак", "ar": "التبغ"},
    "e_cigarettes": {"en": "E-cigarettes", "zh": "电子烟", "ru": "Электронные сигареты",
                     "ar": "السجائر الإلكترونية"},
    "weapons": {"en": "Weapons", "zh": "武器", "ru": "Оружие", "ar": "الأسلحة"},
    "knives": {"en": "Knives", "zh": "刀具", "ru": "Ножи", "ar": "السكاكين"},
    "counterfeit_goods": {"en": "Counterfeit goods", "zh": "假冒商品", "ru": "Контрафакт", "ar": "السلع المقلدة"},
    "plants_and_seeds": {"en": "Plants and seeds", "zh": "植物和种子", "ru": "Растения и семена",
                         "ar": "النباتات والبذور"},
    "adult_material": {"en": "Adult material", "zh": "成人用品", "ru": "Материалы для взрослых",
                       "ar": "المواد الإباحية"},
    "used_clothing": {"en": "Used clothing", "zh": "旧衣物", "ru": "Б/у одежда", "ar": "الملابس المستعملة"},
}

TEMPLATES: Dict[str, Dict[str, str]] = {
    "under_duty_threshold": {
        "en": "No customs duty: the value {value} is within the duty-free threshold of {threshold} {per}.",
        "zh": "免征关税：货值 {value} 未超过免税额度 {threshold}（{per}）。",
        "ru": "Без пошлины: стоимость {value} не превышает беспошлинный порог {threshold} {per}.",
        "ar": "لا رسوم جمركية: القيمة {value} ضمن حد الإعفاء البالغ {threshold} {per}.",
    },
    "over_duty_threshold": {
        "en": "Customs duty applies: the value {value} is above the duty-free threshold of {threshold} {per}.",
        "zh": "需缴关税：货值 {value} 超过免税额度 {threshold}（{per}）。",
        "ru": "Пошлина взимается: стоимость {value} выше беспошлинного порога {threshold} {per}.",
        "ar": "تُستحق رسوم جمركية: القيمة {value} تتجاوز حد الإعفاء البالغ {threshold} {per}.",
    },
    "no_duty_threshold": {
        "en": "There is no duty-free threshold: duty applies from the first unit of value.",
        "zh": "没有免税额度：从第一笔货值起征收关税。",
        "ru": "Беспошлинного порога нет: пошлина взимается с любой стоимости.",
        "ar": "لا يوجد حد إعفاء: تُستحق الرسوم من أول وحدة من القيمة.",
    },
    "duty_threshold_unknown": {
        "en": "The duty-free threshold could not be confirmed, so the duty is not estimated.",
        "zh": "免税额度尚未确认，因此未估算关税。",
        "ru": "Беспошлинный порог не удалось подтвердить, поэтому пошлина не рассчитана.",
        "ar": "تعذر التحقق من حد الإعفاء، لذلك لم تُقدَّر الرسوم الجمركية.",
    },
    "under_tax_threshold": {
        "en": "No import tax: the value {value} is within the tax-free threshold of {threshold} {per}.",
        "zh": "免征进口税：货值 {value} 未超过免税额度 {threshold}（{per}）。",
        "ru": "Без налога: стоимость {value} не превышает необлагаемый порог {threshold} {per}.",
        "ar": "لا ضريبة استيراد: القيمة {value} ضمن حد الإعفاء الضريبي البالغ {threshold} {per}.",
    },
    "over_tax_threshold": {
        "en": "Import tax applies: the value {value} is above the tax-free threshold of {threshold} {per}.",
        "zh": "需缴进口税：货值 {value} 超过免税额度 {threshold}（{per}）。",
        "ru": "Налог взимается: стоимость {value} выше необлагаемого порога {threshold} {per}.",
        "ar": "تُستحق ضريبة الاستيراد: القيمة {value} تتجاوز حد الإعفاء الضريبي البالغ {threshold} {per}.",
    },
    "no_tax_threshold": {
        "en": "Import tax applies from the first unit of value.",
        "zh": "进口税从第一笔货值起征收。",
        "ru": "Налог на ввоз взимается с любой стоимости.",
        "ar": "تُستحق ضريبة الاستيراد من أول وحدة من القيمة.",
    },
    "tax_threshold_unknown": {
        "en": "The tax-free threshold could not be confirmed, so the import tax is not estimated.",
        "zh": "免税额度尚未确认，因此未估算进口税。",
        "ru": "Необлагаемый порог не удалось подтвердить, поэтому налог не рассчитан.",
        "ar": "تعذر التحقق من حد الإعفاء الضريبي، لذلك لم تُقدَّر ضريبة الاستيراد.",
    },
    "over_weight_limit": {
        "en": "The parcel weighs {weight_kg} kg, above the {limit_kg} kg limit.",
        "zh": "包裹重 {weight_kg} 公斤，超过 {limit_kg} 公斤的限额。",
        "ru": "Посылка весит {weight_kg} кг, больше лимита {limit_kg} кг.",
        "ar": "وزن الطرد {weight_kg} كغ، وهو أكثر من الحد البالغ {limit_kg} كغ.",
    },
    "duty_rate": {
        "en": "Duty rate for this category: {rate_percent}%.",
        "zh": "该类商品关税税率：{rate_percent}%。",
        "ru": "Ставка пошлины для этой категории: {rate_percent}%.",
        "ar": "نسبة الرسوم الجمركية لهذه الفئة: {rate_percent}%.",
    },
    "duty_minimum_per_kg": {
        "en": "The duty is at least {minimum_per_kg} per kg: {weight_kg} kg.",
        "zh": "关税每公斤不低于 {minimum_per_kg}：按 {weight_kg} 公斤计。",
        "ru": "Пошлина не меньше {minimum_per_kg} за кг: {weight_kg} кг.",
        "ar": "لا تقل الرسوم عن {minimum_per_kg} لكل كغ: {weight_kg} كغ.",
    },
    "duty_rate_unknown": {
        "en": "The duty rate for this category could not be confirmed.",
        "zh": "该类商品的关税税率尚未确认。",
        "ru": "Ставку пошлины для этой категории не удалось подтвердить.",
        "ar": "تعذر التحقق من نسبة الرسوم لهذه الفئة.",
    },
    "flat_rate_on_excess": {
        "en": "A flat {rate_percent}% is charged on the part above the threshold ({excess}).",
        "zh": "对超出额度的部分（{excess}）按 {rate_percent}% 统一征收。",
        "ru": "Взимается единая ставка {rate_percent}% с превышения ({excess}).",
        "ar": "تُفرض نسبة موحدة قدرها {rate_percent}% على الجزء الزائد عن الحد ({excess}).",
    },
    "vat_charged": {
        "en": "{label} on import: {rate_percent}%.",
        "zh": "进口{label}：{rate_percent}%。",
        "ru": "{label} при ввозе: {rate_percent}%.",
        "ar": "{label} على الاستيراد: {rate_percent}%.",
    },
    "no_vat_on_parcels": {
        "en": "No separate import VAT on parcels for personal use.",
        "zh": "个人自用包裹不单独征收进口增值税。",
        "ru": "Отдельный НДС на посылки для личного пользования не взимается.",
        "ar": "لا تُفرض ضريبة قيمة مضافة منفصلة على الطرود للاستخدام الشخصي.",
    },
    "fee_charged": {
        "en": "{fee_label}{rate}.",
        "zh": "{fee_label}{rate}。",
        "ru": "{fee_label}{rate}.",
        "ar": "{fee_label}{rate}.",
    },
    "cbec_within_limit": {
        "en": "Cross-border e-commerce import: within the {limit} limit per order (and {yearly_limit} per year) "
              "there is no duty, and import tax is {discount_percent}% of the usual amount.",
        "zh": "跨境电商零售进口：单次交易限值 {limit}（年度限值 {yearly_limit}）以内，关税为零，"
              "进口环节税按法定应纳税额的 {discount_percent}% 征收。",
        "ru": "Трансграничная электронная торговля: в пределах {limit} за заказ (и {yearly_limit} в год) пошлины нет, "
              "а налог составляет {discount_percent}% от обычного.",
        "ar": "استيراد التجارة الإلكترونية العابرة للحدود: ضمن حد {limit} لكل طلب (و{yearly_limit} سنويًا) لا رسوم "
              "جمركية، والضريبة {discount_percent}% من المبلغ المعتاد.",
    },
    "cbec_over_limit": {
        "en": "The order is above the {limit} cross-border e-commerce limit, so the general import rules apply.",
        "zh": "订单超过跨境电商单次限值 {limit}，按一般进口规定征税。",
        "ru": "Заказ дороже лимита {limit} для трансграничной торговли, применяются общие правила ввоза.",
        "ar": "الطلب يتجاوز حد التجارة الإلكترونية العابرة للحدود البالغ {limit}، فتُطبق قواعد الاستيراد العامة.",
    },
    "flat_duty_per_line": {
        "en": "The parcel's value {value} is within {limit}: a flat duty of {per_line} per product line applies.",
        "zh": "包裹货值 {value} 未超过 {limit}：每个商品税号统一征收关税 {per_line}。",
        "ru": "Стоимость посылки {value} не выше {limit}: взимается фиксированная пошлина {per_line} за товарную "
              "позицию.",
        "ar": "قيمة الطرد {value} ضمن {limit}: تُفرض رسوم ثابتة قدرها {per_line} عن كل بند من المنتجات.",
    },
    "item_unconfirmed": {
        "en": "{item}: the rule could not be confirmed; check with the carrier before ordering.",
        "zh": "{item}：相关规定尚未确认，下单前请向承运商核实。",
        "ru": "{item}: правило не удалось подтвердить; уточните у перевозчика до заказа.",
        "ar": "{item}: تعذر التحقق من القاعدة؛ يُرجى التأكد من شركة الشحن قبل الطلب.",
    },
    "item_prohibited": {
        "en": "{item}: prohibited. {requirement}",
        "zh": "{item}：禁止进口。{requirement}",
        "ru": "{item}: ввоз запрещён. {requirement}",
        "ar": "{item}: ممنوع الاستيراد. {requirement}",
    },
    "item_restricted": {
        "en": "{item}: restricted. {requirement}",
        "zh": "{item}：限制进口。{requirement}",
        "ru": "{item}: ввоз ограничен. {requirement}",
        "ar": "{item}: استيراد مقيّد. {requirement}",
    },
}


def pick(text: Optional[Any], language: str) -> str:
    """A localized text (a schema Text or a {language: text} mapping) in ``language``, else English."""
    if text is None:
        return ""
    values = text.dict() if isinstance(text, Text) else dict(text)
    return values.get(language) or values["en"]


def _money(value: Dict[str, Any]) -> str:
    return f"{format_major(value['amount_minor'], value['currency'])} {value['currency']}"


def render(reason: Reason, language: str, rules: CountryRules) -> str:
    language = language if language in LANGUAGES else "en"
    params = dict(reason.params)
    for name in ("value", "threshold", "excess", "limit", "yearly_limit", "minimum_per_kg", "per_line"):
        if name in params:
            params[name] = _money(params[name])
    if "per" in params:
        params["per"] = PERIODS[params["per"]][language]
    params.setdefault("yearly_limit", "—")
    if reason.code.startswith("item_"):
        rule = next(r for r in rules.items if r.item == params["item"])
        params["item"] = ITEMS[rule.item][language]
        params["requirement"] = pick(rule.requirement, language)
    if reason.code == "fee_charged":
        fee = next(f for f in rules.fees if f.id == params["fee"])
        params["fee_label"] = pick(fee.label, language)
        params["rate"] = f": {params['rate_percent']}%" if params.get("rate_percent") else ""
    return TEMPLATES[reason.code][language].format(**params)
