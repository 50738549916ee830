"""Colours and materials in copy must come from the product's data."""

from decimal import Decimal

import pytest

from catalog.claims import unsupported_claims, words_to_keep_out
from catalog.prompts import ProductFacts, VoiceSpec
from catalog.quality import check_copy, passed, problems

JACKET = ProductFacts(
    title="Trailhead Packable Rain Jacket", category="Apparel", price=Decimal("79.00"), currency="EUR",
    attributes={"colour": "Navy", "material": "Recycled polyester", "type": "Rain jacket"}, sku="A-7",
)  # fmt: skip
CURTAINS = ProductFacts(
    title="Nightfall Blackout Curtains", category="Home", price=None, currency="EUR",
    attributes={"colour": "Dove Gray", "material": "Woven cotton"}, sku="H-2",
)  # fmt: skip


@pytest.mark.parametrize(
    "text, claims",
    [("A navy jacket of recycled polyester.", []),
     ("A navy jacket in soft cotton.", ["cotton"]),
     ("Choose black or navy; the lining is silk.", ["black", "silk"]),
     ("Blue skies or grey ones, it keeps you dry.", ["blue", "grey"])],
)  # fmt: skip
def test_colours_and_materials_absent_from_the_data_are_named(text, claims):
    assert unsupported_claims(text, JACKET) == claims


def test_spellings_of_the_same_fact_are_accepted():
    assert unsupported_claims("Grey cotton curtains that block the light.", CURTAINS) == []


def test_words_inside_longer_words_are_neither_claims_nor_banned():
    assert unsupported_claims("Blackout curtains for a woodland cabin.", CURTAINS) == []
    keep_out = words_to_keep_out(CURTAINS)
    assert "black" not in keep_out  # the generator must still be able to write "Blackout"
    assert {"silk", "red", "gray", "grey", "cotton"} & set(keep_out) == {"silk", "red"}


def test_an_invented_colour_fails_the_draft_with_a_reason():
    flags = check_copy(text="A crimson rain jacket of recycled polyester in navy.", product=JACKET,
                       kind="short_description", voice=VoiceSpec())  # fmt: skip
    assert not flags["claims_ok"] and flags["claims_unsupported"] == "crimson"
    assert not passed(flags)
    assert ("colours or materials not in the product data", "crimson") in problems(flags)
