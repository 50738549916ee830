"""Quality checks on hand-written copy that must pass or fail."""

from decimal import Decimal

import numpy as np
import pytest

from catalog.numbers import allowed_numbers, numbers_and_units
from catalog.prompts import ProductFacts, VoiceSpec
from catalog.quality import (
    NEAR_DUPLICATE_NGRAM,
    check_copy,
    clean_copy,
    failure_score,
    key_attributes,
    mentions,
    passed,
)

KETTLE = ProductFacts(
    title="Kettle Co Stainless Steel Electric Kettle",
    category="Home & Kitchen",
    price=Decimal("45.00"),
    currency="GBP",
    attributes={"Brand": "Kettle Co", "Color": "Brushed Steel", "Material": "Stainless steel",
                "Product type": "Electric kettle", "Capacity": "1.7 litres", "wattage": "3000W"},
    sku="HOM-008",
)  # fmt: skip
VOICE = VoiceSpec(words_to_avoid=["cheap"], target_words=30)
GOOD = (
    "The Kettle Co electric kettle is finished in brushed steel and made from stainless steel. "
    "It holds 1.7 litres and its 3000W element boils water quickly for tea and coffee at home. "
    "A neat, easy kettle for any kitchen counter."
)


def flags_for(text, **kw):
    return check_copy(text=text, product=KETTLE, kind=kw.pop("kind", "description"), voice=VOICE, **kw)


def test_faithful_copy_passes_every_check():
    flags = flags_for(GOOD)
    assert passed(flags), flags
    assert flags["attribute_coverage"] == 1.0


def test_key_attributes_are_found_under_any_column_spelling():
    assert key_attributes(KETTLE) == {"brand": "Kettle Co", "colour": "Brushed Steel", "material": "Stainless steel",
                                      "type": "Electric kettle", "size": "1.7 litres"}  # fmt: skip


def test_missing_colour_and_capacity_are_named():
    flags = flags_for("The Kettle Co electric kettle is made from stainless steel and boils water for tea at home.")
    assert not flags["attributes_ok"]
    assert flags["attributes_missing"] == "colour, size"
    assert flags["attribute_coverage"] == pytest.approx(0.6)


@pytest.mark.parametrize(
    "value, text",
    [("1.7 litres", "a 1.7-litre kettle"), ("10000mAh", "a 10,000 mAh battery"), ("T-shirt", "this t-shirt"),
     ("Multicolour", "multicoloured bricks"), ("Enamelled cast iron", "made of cast iron"), ("M", "in size M")],
)  # fmt: skip
def test_attribute_values_match_their_usual_written_forms(value, text):
    assert mentions(text, value)


@pytest.mark.parametrize("value, text", [("M", "I'm sure it's great"), ("Forest Green", "a green shirt")])
def test_attribute_values_need_all_their_words(value, text):
    assert not mentions(text, value)


@pytest.mark.parametrize(
    "invented", ["It holds 2 litres.", "Made from 100% steel.", "Boils in three minutes.", "Weighs 1.2 kg.",
                 "Its 1.7 litres measure 20 cm across.", "Sized in centimetres for any shelf.",
                 "Fills in ¾ of a minute."],
)  # fmt: skip
def test_a_number_or_unit_absent_from_the_product_data_is_flagged(invented):
    flags = flags_for(GOOD + " " + invented)
    assert not flags["numbers_ok"]
    assert flags["numbers_unsupported"]


def test_numbers_from_the_data_in_other_forms_are_accepted():
    flags = flags_for(GOOD.replace("1.7 litres", "1.7-litre").replace("3000W", "3,000 W"))
    assert flags["numbers_ok"], flags["numbers_unsupported"]


def test_numbers_are_read_from_digits_words_and_glued_units():
    numbers, units = numbers_and_units("A 10,000mAh bank, two pockets, 5.20 l, EU 39-42, 30C wash")
    assert {"10000", "2", "5.2", "39", "42", "30"} <= numbers
    assert {"mah", "l", "c"} <= units


def test_fraction_symbols_are_read_as_fractions():
    numbers, _ = numbers_and_units("a ½ inch seam and a 2¼ l jug")
    assert numbers == {"1", "2", "4"}


def test_allowed_numbers_come_from_the_facts_not_the_sku_or_price():
    mug = ProductFacts(title="Mug", price=Decimal("12.50"), attributes={"capacity": "1,350 ml", "size": "9 x 8.5 cm"},
                       sku="X-999")  # fmt: skip
    assert allowed_numbers(mug) == ["1350", "5", "8", "9"]


@pytest.mark.parametrize(
    "artifact",
    ["Sure! The Kettle Co kettle", "Here is a description: The Kettle Co", "**Kettle Co** electric kettle",
     "As an AI, I think the Kettle Co", "Product facts: brand Kettle Co", "The [Brand Name] kettle"],
)  # fmt: skip
def test_chat_artifacts_are_flagged(artifact):
    flags = flags_for(artifact + " " + GOOD)
    assert not flags["artifacts_ok"]


def test_looping_text_is_flagged():
    loop = GOOD + " It boils water quickly for tea. It boils water quickly for tea."
    flags = flags_for(loop)
    assert not flags["repetition_ok"]
    assert "boils water quickly" in flags["repeated_phrase"]


def test_the_product_name_may_recur_without_counting_as_a_loop():
    text = "The Kettle Co Stainless Steel Electric Kettle is brushed steel. The Kettle Co Stainless Steel Electric " \
           "Kettle holds 1.7 litres."  # fmt: skip
    assert flags_for(text)["repetition_ok"]


def test_words_to_avoid_are_flagged():
    flags = flags_for(GOOD.replace("A neat, easy kettle", "A cheap kettle"))
    assert not flags["avoided_words_ok"]
    assert flags["avoided_words_found"] == "cheap"


@pytest.mark.parametrize("kind, text, ok", [
    ("seo_title", "Kettle Co Electric Kettle, Brushed Steel, 1.7 litres", True),
    ("seo_title", "Kettle Co Electric Kettle in Brushed Stainless Steel with a 1.7 litre capacity and 3000W", False),
    ("seo_meta", "Kettle Co electric kettle in brushed steel. " * 5, False),
    ("description", "Kettle Co electric kettle.", False),
])  # fmt: skip
def test_length_is_checked_per_kind(kind, text, ok):
    assert flags_for(text, kind=kind)["length_ok"] is ok


def test_near_identical_copy_of_another_product_is_flagged():
    other = GOOD.replace("Kettle Co", "Boilwell")
    assert not flags_for(GOOD, other_texts=[other])["unique_ok"]


def test_copy_of_a_different_product_is_not_a_duplicate():
    other = "The Hearth Dutch oven in cherry red enamelled cast iron holds 5.2 litres for slow stews and bread."
    flags = flags_for(GOOD, other_texts=[other])
    assert flags["unique_ok"]
    assert flags["max_similarity"] < NEAR_DUPLICATE_NGRAM


def test_embeddings_above_the_threshold_count_as_duplicates():
    vector = np.array([1.0, 0.0], dtype=np.float32)
    flags = flags_for(GOOD, other_texts=["unrelated words here"], embedding=vector, other_embeddings=np.stack([vector]))
    assert not flags["unique_ok"]


def test_empty_text_fails():
    assert not passed(flags_for(""))


def test_invented_numbers_weigh_more_than_a_missing_attribute():
    invented = flags_for(GOOD + " It holds 2 litres.")
    missing = flags_for(GOOD.replace("finished in brushed steel and ", ""))
    assert failure_score(missing) < failure_score(invented)


@pytest.mark.parametrize("raw, clean", [
    ("Sure! Here is a product description:\n\nThe kettle is steel.", "The kettle is steel."),
    ("Description: The kettle is steel.", "The kettle is steel."),
    ("**Kettle Co Kettle**\nThe kettle is **steel**.", "The kettle is steel."),
    ('"The kettle is steel."', "The kettle is steel."),
    ("The kettle is steel. It boils water and", "The kettle is steel."),
    ("The kettle is steel<|im_end|>junk", "The kettle is steel"),
])  # fmt: skip
def test_clean_copy_strips_wrapping_only(raw, clean):
    assert clean_copy(raw) == clean


def test_clean_copy_keeps_an_seo_title_whole():
    title = "Kettle Co Electric Kettle, 1.7 litres"
    assert clean_copy(title + ".", kind="seo_title") == title


def test_clean_copy_never_touches_words_inside_copy():
    text = "This kettle boils fast. Sure enough, here is why: a 3000W element."
    assert clean_copy(text) == text


# ---------------------------------------------------------------- the retry loop (catalog/writing.py)

class ScriptedGenerator:
    """Answers each call from a script: one list of texts (cycled) per call."""

    version = "scripted"

    def __init__(self, *script):
        self.script = list(script)
        self.calls: list[dict] = []

    def generate(self, chats, **kwargs):
        self.calls.append({"rows": len(chats), "chats": chats, **kwargs})
        answers = self.script[min(len(self.calls), len(self.script)) - 1]
        return [answers[i % len(answers)] for i in range(len(chats))]


MUG = ProductFacts(title="Glint Mug", attributes={"brand": "Glint", "colour": "Blue", "capacity": "350 ml"})
GOOD_MUG = "The Glint mug in blue holds 350 ml of coffee or tea. It sits well in the hand and suits every morning."


def test_copy_that_passes_first_time_takes_one_call():
    from catalog.writing import write_copies

    generator = ScriptedGenerator([GOOD])
    [result] = write_copies(items=[(KETTLE, "description")], voice=VOICE, generator=generator)
    assert result.passed and result.attempts == 1 and result.text == GOOD
    assert len(generator.calls) == 1
    assert result.model_version == "scripted" and result.prompt_version.startswith("copy-v")


def test_each_attempt_is_one_batched_call_for_the_items_still_failing():
    from catalog.writing import write_copies

    bad_mug = "The Glint mug holds 2 litres."  # invented number, colour missing
    generator = ScriptedGenerator([GOOD, bad_mug], [GOOD_MUG])
    results = write_copies(items=[(KETTLE, "description"), (MUG, "description")], voice=VOICE, generator=generator)
    assert [r.passed for r in results] == [True, True]
    assert [call["rows"] for call in generator.calls] == [2, 2]  # then only the mug, two samples
    assert results[1].attempts == 2 and results[1].text == GOOD_MUG
    assert generator.calls[1]["temperature"] > 0  # a retry changes the decoding


def test_a_retry_tells_the_model_which_key_facts_it_left_out():
    from catalog.writing import write_copies

    generator = ScriptedGenerator(["The Glint mug holds 350 ml of coffee or tea for a slow, quiet morning at home."],
                                  [GOOD_MUG])  # fmt: skip
    write_copies(items=[(MUG, "description")], voice=VOICE, generator=generator)
    assert "left out: Blue" in generator.calls[1]["chats"][0][-1]["content"]


def test_when_no_attempt_passes_the_best_is_kept_flagged():
    from catalog.writing import write_copies

    worst = "Sure! " + GOOD + " It holds 9 litres."
    better = GOOD.replace("finished in brushed steel and ", "")  # only the colour missing
    generator = ScriptedGenerator([worst], [better], [worst])
    [result] = write_copies(items=[(KETTLE, "description")], voice=VOICE, generator=generator, max_attempts=3)
    assert not result.passed
    assert result.text == better
    assert result.flags["attributes_missing"] == "colour"
    assert result.attempts == 3 and len(generator.calls) == 3
    assert result.generated_by_model


def test_two_products_with_the_same_copy_are_not_both_passed():
    from catalog.writing import write_copies

    twin = ProductFacts(title="Kettle Co Kettle", attributes=dict(KETTLE.attributes))
    generator = ScriptedGenerator([GOOD])
    results = write_copies(items=[(KETTLE, "description"), (twin, "description")], voice=VOICE,
                           generator=generator, max_attempts=2)  # fmt: skip
    assert results[0].passed
    assert not results[1].passed and not results[1].flags["unique_ok"]


def test_existing_store_copy_counts_for_duplicates():
    from catalog.writing import write_copies

    generator = ScriptedGenerator([GOOD])
    [result] = write_copies(items=[(KETTLE, "description")], voice=VOICE, generator=generator, max_attempts=1,
                            existing_texts={"description": [GOOD]})  # fmt: skip
    assert not result.flags["unique_ok"]
