"""Numbers and units written in product copy and product data, normalised to compare.

Pure Python, no Django. `numbers_and_units` reads digits and number words, with
units folded to one spelling ("litres" -> "l", "1,000" -> "1000"), so a check can
ask whether copy states a number or unit its product's data does not;
`allowed_numbers` gives the digit runs the generator may write for a product.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from catalog.prompts import ProductFacts

_UNIT_CANON = {
    "ml": "ml", "millilitre": "ml", "milliliter": "ml", "cl": "cl", "l": "l", "litre": "l", "liter": "l", "ltr": "l",
    "g": "g", "gram": "g", "gramme": "g", "kg": "kg", "kilogram": "kg", "kilo": "kg", "mg": "mg",
    "oz": "oz", "ounce": "oz", "lb": "lb", "lbs": "lb", "pound": "lb",
    "mm": "mm", "millimetre": "mm", "millimeter": "mm", "cm": "cm", "centimetre": "cm", "centimeter": "cm",
    "m": "m", "metre": "m", "meter": "m", "km": "km", "inch": "in", "in": "in", "ft": "ft", "foot": "ft",
    "feet": "ft", "w": "w", "watt": "w", "kw": "kw", "v": "v", "volt": "v", "mah": "mah", "ah": "ah", "wh": "wh",
    "gb": "gb", "gigabyte": "gb", "tb": "tb", "terabyte": "tb", "mb": "mb", "megabyte": "mb",
    "hz": "hz", "khz": "khz", "mhz": "mhz", "ghz": "ghz", "k": "k", "p": "p", "c": "c", "°c": "c", "f": "f",
    "%": "%", "percent": "%", "per cent": "%", "hour": "h", "hr": "h", "h": "h", "minute": "min", "min": "min",
    "year": "year", "yr": "year", "month": "month", "piece": "piece", "pc": "piece", "pcs": "piece", "pack": "pack",
}  # fmt: skip
# Unit words that count on their own ("measures in centimetres"); short ones
# ("m", "g", "in") count only right after a number, where they cannot be words.
_NOT_STANDALONE = {"hour", "year", "month", "minute", "piece", "pack", "foot", "pound"}
_STANDALONE_UNITS = {u for u in _UNIT_CANON if len(u) > 3 and u not in _NOT_STANDALONE}
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "thousand": 1000, "million": 1000000, "dozen": 12,
}  # fmt: skip
_UNIT_ALTERNATION = "|".join(sorted((re.escape(u) for u in _UNIT_CANON), key=len, reverse=True))
_NUMBER_UNIT = re.compile(
    rf"(?<![\w.])(\d+(?:[.,]\d+)*)(?:\s*-?\s*({_UNIT_ALTERNATION})(?:e?s)?)?(?![a-z0-9])", re.IGNORECASE
)
_ANY_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def fold(text: str) -> str:
    """Lower case, accents off, vulgar fractions spelt out, "-", "/" and "_" as spaces."""
    text = "".join(_spelt_fraction(ch) for ch in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[-_/]+", " ", text.lower())


def _spelt_fraction(ch: str) -> str:
    """A vulgar fraction spelt out, "½" -> " 1/2" ("2¼" is 2 and 1/4, not 21 and 4); other characters as they are."""
    if not unicodedata.decomposition(ch).startswith("<fraction>"):
        return ch
    return " " + unicodedata.normalize("NFKD", ch).replace("\u2044", "/")


def _number(raw: str) -> str:
    """'1,000' -> '1000', '5.20' -> '5.2', '24.00' -> '24' (commas between digit groups are thousands)."""
    raw = re.sub(r",(?=\d{3}\b)", "", raw).replace(",", ".")
    try:
        value = Decimal(raw).normalize()
    except InvalidOperation:
        return raw
    return format(value, "f")


def numbers_and_units(text: str) -> tuple[set[str], set[str]]:
    """Numbers (normalised) and units (canonical) written in `text`, digits or words."""
    folded = fold(text).replace("per cent", "percent")
    numbers, units = set(), set()
    for match in _NUMBER_UNIT.finditer(folded):
        numbers.add(_number(match.group(1)))
        if match.group(2):
            units.add(_UNIT_CANON[match.group(2).lower()])
    for number in _ANY_NUMBER.findall(folded):  # digits glued to letters: "W28", "4K", "EU42"
        numbers.add(_number(number))
    words = re.findall(r"[a-z%°]+", folded)
    for word in words:
        singular = word[:-1] if word.endswith("s") and word[:-1] in _NUMBER_WORDS | _UNIT_CANON else word
        if singular in _NUMBER_WORDS:
            numbers.add(str(_NUMBER_WORDS[singular]))
        for candidate in (word, singular, word[:-2] if word.endswith("es") else word):
            if candidate in _STANDALONE_UNITS:
                units.add(_UNIT_CANON[candidate])
    if "%" in folded:
        units.add("%")
    return numbers, units


def product_text(product: ProductFacts) -> str:
    """Everything the copy may draw numbers and units from (not the SKU: an internal code)."""
    parts = [product.stated, "" if product.price is None else str(product.price)]
    return " ; ".join(p for p in parts if p)


def allowed_numbers(product: ProductFacts) -> list[str]:
    """The digit runs the generator may write for this product (Generator.generate's
    `allowed_numbers`): those of its title, category and attributes, "1000" for
    "1,000". Not the price, which the prompt asks the model to leave out, nor the SKU."""
    text = re.sub(r"(\d),(\d{3})\b", r"\1\2", product.stated)
    return sorted(set(re.findall(r"\d+", text)))
