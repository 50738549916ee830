"""Colours and materials: facts a small model invents most readily.

A description that calls a black kettle "sleek silver" or a polyester jacket
"soft cotton" misleads a buyer as much as a wrong number. The words below are
checked against the product's own data: a colour or material the copy names
that the data does not is flagged, and the generator is kept from writing it.
Words that are mostly used in other senses ("cream", "mint", "stone", "clear",
"natural", "golden") are left out rather than flagged wrongly.
"""

from __future__ import annotations

import re

from catalog.prompts import ProductFacts

COLOURS = frozenset(
    "black white red blue green yellow orange purple pink brown grey gray beige navy teal turquoise maroon "
    "burgundy ivory khaki olive charcoal silver gold bronze lavender lilac magenta cyan indigo violet "
    "crimson scarlet mustard taupe".split()
)
MATERIALS = frozenset(
    "cotton linen wool merino cashmere silk polyester nylon spandex elastane viscose leather suede denim bamboo "
    "oak walnut pine beech teak mahogany wooden wood steel aluminium aluminum titanium brass copper ceramic "
    "porcelain stoneware glass plastic silicone rubber marble granite velvet fleece canvas acrylic cork rattan "
    "wicker jute polycarbonate".split()
)
CLAIM_WORDS = COLOURS | MATERIALS
# Spellings of one fact: "grey" data allows "gray" copy; "wooden" is "wood".
_SAME = {"gray": "grey", "aluminum": "aluminium", "wooden": "wood"}


# Every claim word in its one spelling per fact.
_CANONICAL = frozenset(_SAME.get(w, w) for w in CLAIM_WORDS)


def _words(text: str) -> set[str]:
    return {_SAME.get(word, word) for word in re.findall(r"[a-z]+", text.lower())}


def product_claim_words(product: ProductFacts) -> set[str]:
    """The colour and material words the product's own data uses (title, category, attributes)."""
    return _words(product.stated) & _CANONICAL


def unsupported_claims(text: str, product: ProductFacts) -> list[str]:
    """Colours and materials `text` names that the product's data does not."""
    return sorted((_words(text) & _CANONICAL) - product_claim_words(product))


def words_to_keep_out(product: ProductFacts) -> list[str]:
    """What the generator must not write for this product: every claim word (in all its spellings)
    whose fact the data does not state, unless the data holds it inside a longer word ("Blackout
    Curtains" must stay writable, so "black" is only flagged)."""
    known, data = product_claim_words(product), product.stated.lower()
    return sorted(w for w in CLAIM_WORDS if _SAME.get(w, w) not in known and w not in data)
