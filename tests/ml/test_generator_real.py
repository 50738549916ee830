"""The real embedded generator (SmolLM2-135M-Instruct) end to end: decoding options
and the copy loop on a few products. Marked `real_models`: slow-ish (~1-2 min on
a 2-core CPU), no network (HF_HUB_OFFLINE=1)."""

from __future__ import annotations

import os
import re
from decimal import Decimal

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

pytestmark = pytest.mark.real_models

CHAT = [{"role": "system", "content": "You write short product copy."},
        {"role": "user", "content": "Write one sentence about a red wool scarf."}]  # fmt: skip


@pytest.fixture(scope="module")
def generator():
    from ecomops.ml.generator import Generator

    return Generator.load()


@pytest.fixture(scope="module")
def products():
    from catalog.prompts import ProductFacts

    return [
        ProductFacts(title="Hearth Cast Iron Dutch Oven", category="Home & Kitchen", price=Decimal("89.00"),
                     currency="EUR", attributes={"brand": "Hearth", "colour": "Cherry Red",
                     "material": "Enamelled cast iron", "type": "Dutch oven", "capacity": "5.2 litres"}, sku="H-1"),
        ProductFacts(title="Solace Merino Wool Beanie", category="Apparel", price=Decimal("29.90"), currency="EUR",
                     attributes={"brand": "Solace", "colour": "Charcoal", "material": "Merino wool",
                                 "type": "Beanie"}, sku="A-1"),
        ProductFacts(title="Glide Wireless Ergonomic Mouse", category="Electronics", price=Decimal("34.00"),
                     currency="GBP", attributes={"brand": "Glide", "colour": "Black", "type": "Wireless mouse"},
                     sku="E-1"),
    ]  # fmt: skip


def test_batched_generation_matches_one_at_a_time(generator, products):
    from catalog.prompts import VoiceSpec, build_chat

    chats = [build_chat(product=p, kind="short_description", voice=VoiceSpec()) for p in products]
    kwargs = dict(max_new_tokens=24, repetition_penalty=1.15, no_repeat_ngram_size=3)
    batched = generator.generate(chats, **kwargs)  # shares the prompt template's start in one KV cache
    assert batched == [generator.generate([chat], **kwargs)[0] for chat in chats]


def test_rows_dropped_as_they_finish_keep_their_text(generator, products, monkeypatch):
    """Finished rows leave the batch (and its cache) between short segments: the rows that go on
    must write exactly what they write alone, with their own number and phrase constraints."""
    from catalog.numbers import allowed_numbers
    from catalog.prompts import VoiceSpec, build_chat
    from catalog.quality import key_phrases
    from ecomops.ml import generator as module

    monkeypatch.setattr(module, "SEGMENT_TOKENS", 3)
    chats = [build_chat(product=p, kind="description", voice=VoiceSpec()) for p in products]
    chats.append([CHAT[0], {"role": "user", "content": "Say only the word: yes."}])  # a short answer: leaves early
    numbers = [allowed_numbers(p) for p in products] + [[]]
    favour = [key_phrases(product=p, kind="description") for p in products] + [[]]
    kwargs = dict(max_new_tokens=40, repetition_penalty=1.15, no_repeat_ngram_size=3, stop=("\n\n",))
    batched = generator.generate(chats, **kwargs, allowed_numbers=numbers, favour=favour)
    alone = [
        generator.generate([chat], **kwargs, allowed_numbers=[n], favour=[f])[0]
        for chat, n, f in zip(chats, numbers, favour)
    ]
    assert batched == alone
    assert len(batched[-1].split()) < 12 < min(len(text.split()) for text in batched[:-1])  # rows left early


def test_allowed_numbers_keep_other_numbers_out(generator):
    chat = [CHAT[0], {"role": "user", "content": "List the numbers from one to twenty in digits."}]
    [none, some] = generator.generate([chat, chat], max_new_tokens=40, allowed_numbers=[[], ["12", "7"]])
    assert not re.search(r"\d", none)
    assert set(re.findall(r"\d+", some)) <= {"1", "12", "7"}


def test_fraction_and_superscript_tokens_count_as_digits(generator):
    mask = generator._digit_token_mask()
    for text, digits in (("½", {1, 2}), ("²", {2})):
        [token] = generator.tokenizer(text, add_special_tokens=False)["input_ids"]
        assert set(mask[:, token].nonzero().flatten().tolist()) == digits


def test_avoided_words_are_not_written(generator):
    chat = [CHAT[0], {"role": "user", "content": "What colours is a zebra?"},
            {"role": "assistant", "content": "A zebra has stripes that are"}]  # fmt: skip
    kwargs = dict(max_new_tokens=20)
    [free, kept] = generator.generate([chat, chat], **kwargs, avoid=[[], ["black", "white"]])
    assert re.search(r"\b(black|white)\b", free, re.IGNORECASE)  # what the model writes unhindered
    assert not re.search(r"\b(black|white)\b", kept, re.IGNORECASE), kept


def test_generation_stops_at_a_stop_string(generator):
    [text] = generator.generate([CHAT], max_new_tokens=60, stop=(".",))
    assert text and "." not in text


def test_real_copy_passes_the_checks(generator, products):
    from catalog.prompts import VoiceSpec
    from catalog.quality import passed
    from catalog.writing import write_copies
    from ecomops.ml.embedder import Embedder

    results = write_copies(items=[(p, "description") for p in products], voice=VoiceSpec(words_to_avoid=["cheap"]),
                           generator=generator, embedder=Embedder.load())  # fmt: skip
    for result in results:
        flags = result.flags
        assert flags["numbers_ok"], (result.text, flags["numbers_unsupported"])
        assert flags["artifacts_ok"] and flags["repetition_ok"] and flags["unique_ok"], (result.text, flags)
        assert result.model_version == "SmolLM2-135M-Instruct" and 1 <= result.attempts <= 3
    assert sum(passed(r.flags) for r in results) >= 2, [(r.text, r.flags) for r in results]
