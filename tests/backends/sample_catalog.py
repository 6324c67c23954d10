"""A small catalog in four languages, written as seed files for tests."""

CATEGORIES = {
    "categories": [
        {"slug": "headphones", "hs_chapter": 85,
         "names": {"en": "Headphones", "zh": "耳机", "ru": "Наушники", "ar": "سماعات"},
         "keywords": {"en": ["headphones", "earphones", "earbuds"], "zh": ["耳机", "耳麦"],
                      "ru": ["наушники", "гарнитура"], "ar": ["سماعات", "سماعة"]}},
        {"slug": "phone", "hs_chapter": 85,
         "names": {"en": "Phones", "zh": "手机", "ru": "Телефоны", "ar": "هواتف"},
         "keywords": {"en": ["phone", "smartphone"], "zh": ["手机"], "ru": ["телефон", "смартфон"],
                      "ar": ["جوال", "هاتف"]}},
    ]
}


def product(sku, brand, price, color, stock, names, descriptions=None):
    return {"sku": sku, "seller": "s1", "brand": brand, "price_minor": price, "stock": stock,
            "attributes": {"color": color, "size": None}, "names": names,
            "descriptions": descriptions or {lang: "" for lang in names}}


CATALOG = {
    "headphones": [
        product("HP-001", "Soundwave", 19900, "black", 10, {
            "en": "Soundwave A40 Wireless Earbuds", "zh": "声浪 A40 无线蓝牙耳机",
            "ru": "Беспроводные наушники Soundwave A40", "ar": "سماعات لاسلكية Soundwave A40"}),
        product("HP-002", "Lumio", 59900, "red", 0, {
            "en": "Lumio Over-Ear Headphones", "zh": "Lumio 头戴式耳机",
            "ru": "Полноразмерные наушники Lumio", "ar": "سماعات رأس Lumio"}),
    ],
    "phone": [
        product("PH-001", "Nova", 159900, "red", 5, {
            "en": "Nova X5 Smartphone 256GB", "zh": "Nova X5 智能手机 256GB",
            "ru": "Смартфон Nova X5 256 ГБ", "ar": "هاتف ذكي Nova X5 سعة 256 جيجابايت"},
            {"en": "Comes with free earbuds in the box.", "zh": "", "ru": "", "ar": ""}),
    ],
}
