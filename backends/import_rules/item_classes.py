"""Which restricted-item classes a catalog category touches.

A phone carries a lithium battery and a radio; a drone is a drone, with both.
The import rules of a country say, per class, what the buyer needs.
"""

from typing import Dict, Tuple

ITEM_CLASSES_OF_CATEGORY: Dict[str, Tuple[str, ...]] = {
    "phone": ("radio_equipment", "lithium_batteries"),
    "laptop": ("radio_equipment", "lithium_batteries"),
    "tablet": ("radio_equipment", "lithium_batteries"),
    "headphones": ("radio_equipment", "lithium_batteries"),
    "smartwatch": ("radio_equipment", "lithium_batteries"),
    "camera": ("lithium_batteries",),
    "drone": ("drones", "radio_equipment", "lithium_batteries"),
    "batteries": ("lithium_batteries",),
    "cosmetics": ("cosmetics",),
    "food": ("food",),
    "pet_supplies": ("food",),
    "medicines": ("medicines",),
}


def item_classes_of(category: str) -> Tuple[str, ...]:
    return ITEM_CLASSES_OF_CATEGORY.get(category, ())
