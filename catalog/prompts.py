"""How a product becomes a chat for the generator (versioned).

Pure Python: no Django imports, so `ecomops.ml`, services, management commands
and benchmarks can all build the same prompts. Instructions live in the system
message; the product's data and the store's brand voice are *data* and go in
the user message as a fact list, never spliced into instructions.

Bump PROMPT_VERSION whenever the text a model sees changes: every ProductCopy
records the version that wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

PROMPT_VERSION = "copy-v1"


class CopyKind(StrEnum):
    DESCRIPTION = "description"
    SHORT_DESCRIPTION = "short_description"
    SEO_TITLE = "seo_title"
    SEO_META = "seo_meta"
    MARKETING = "marketing"


@dataclass(frozen=True)
class ProductFacts:
    """What the model may say about a product, and nothing more."""

    title: str
    category: str = ""
    price: Decimal | None = None
    currency: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    sku: str = ""

    @property
    def stated(self) -> str:
        """Title, category and attributes as one text: what the data says of the product
        in words (the price and the internal SKU are left out)."""
        parts = [self.title, self.category, *(f"{k} {v}" for k, v in self.attributes.items())]
        return " ; ".join(p for p in parts if p)


@dataclass(frozen=True)
class VoiceSpec:
    """A store's brand voice. `target_words` overrides the kind's default length."""

    tone: str = "warm and clear"
    audience: str = "online shoppers"
    words_to_avoid: list[str] = field(default_factory=list)
    target_words: int | None = None


@dataclass(frozen=True)
class KindSpec:
    what: str  # what to write, as said to the model
    default_words: int  # target length in words when the voice sets none
    max_chars: int | None  # hard limit (SEO fields), else None
    sentences: str  # how many sentences, as said to the model


KIND_SPECS: dict[str, KindSpec] = {
    CopyKind.DESCRIPTION: KindSpec("a product description", 45, None, "three or four short sentences"),
    CopyKind.SHORT_DESCRIPTION: KindSpec("a short product description", 20, None, "one or two sentences"),
    CopyKind.SEO_TITLE: KindSpec("an SEO page title", 8, 60, "one line"),
    CopyKind.SEO_META: KindSpec("an SEO meta description", 22, 160, "one or two sentences"),
    CopyKind.MARKETING: KindSpec("a marketing blurb", 30, None, "two or three lively sentences"),
}


def kind_spec(kind: str) -> KindSpec:
    try:
        return KIND_SPECS[CopyKind(kind)]
    except ValueError:
        raise ValueError(f"unknown copy kind {kind!r}; expected one of {[k.value for k in CopyKind]}") from None


def target_words(*, kind: str, voice: VoiceSpec) -> int:
    """Target length in words. The brand voice's target applies to the long kinds
    only: an SEO title stays an SEO title whatever the store's usual length."""
    spec = kind_spec(kind)
    if voice.target_words and kind in (CopyKind.DESCRIPTION, CopyKind.MARKETING):
        return voice.target_words
    return spec.default_words


def max_new_tokens(*, kind: str, voice: VoiceSpec) -> int:
    """Room for the target plus a margin; SmolLM2's tokenizer spends ~1.5 tokens a word on copy."""
    spec = kind_spec(kind)
    if spec.max_chars:
        return spec.max_chars // 3 + 8
    return int(target_words(kind=kind, voice=voice) * 1.6) + 16


def _label(key: str) -> str:
    words = re.sub(r"[_\-]+", " ", key).strip()
    return words[:1].upper() + words[1:]


def fact_lines(product: ProductFacts) -> list[str]:
    """The product as `- Label: value` lines; empty values are left out."""
    lines = [f"- Product name: {product.title.strip()}"]
    if product.category.strip():
        lines.append(f"- Category: {product.category.strip()}")
    for key, value in product.attributes.items():
        value = str(value).strip()
        if value:
            lines.append(f"- {_label(key)}: {value}")
    return lines


SYSTEM_PROMPT = """You are a copywriter for an online shop. You write {what} for one product.
Rules:
- Use only the product facts the user gives. Never invent numbers, sizes, measurements, materials or features.
- Mention the brand, the colour, the material, the type and the size or capacity if the facts give them.
- Write {sentences} of plain text, about {words} words.{limit}
- Do not write a greeting, a heading, a list, markdown, quotes, or the word "description".
- Do not mention the price.
- Reply with the text only."""


def _system(*, kind: str, voice: VoiceSpec) -> str:
    spec = kind_spec(kind)
    limit = f" At most {spec.max_chars} characters." if spec.max_chars else ""
    return SYSTEM_PROMPT.format(
        what=spec.what, sentences=spec.sentences, words=target_words(kind=kind, voice=voice), limit=limit
    )


def _user(*, product: ProductFacts, voice: VoiceSpec, must_mention: list[str] | None = None) -> str:
    lines = ["Product facts:", *fact_lines(product), "", "Brand voice:", f"- Tone: {voice.tone}"]
    lines.append(f"- Audience: {voice.audience}")
    if voice.words_to_avoid:
        lines.append(f"- Words to avoid: {', '.join(voice.words_to_avoid)}")
    if must_mention:
        lines += ["", f"Your last try left out: {', '.join(must_mention)}. Mention them this time."]
    return "\n".join(lines)


# Worked examples teach a 135M model the shape of the answer better than any
# instruction. Two products of categories the eval set does not use (a bag, a
# mug), so the model learns the pattern rather than copying one text's phrases
# and values (with a single example it wrote "20 litres of space" for a T-shirt).
EXAMPLES: tuple[tuple[ProductFacts, dict[str, str]], ...] = (
    (
        ProductFacts(title="Ridge Waxed Canvas Backpack", category="Bags",
                     attributes={"brand": "Ridge", "colour": "Olive", "material": "Waxed canvas", "type": "Backpack",
                                 "capacity": "20 litres"}),
        {
            CopyKind.DESCRIPTION: "The Ridge Waxed Canvas Backpack is an olive backpack made from hard-wearing waxed "
            "canvas. Its 20 litres of space keep the things you carry every day together. A simple bag that goes "
            "everywhere with you.",
            CopyKind.SHORT_DESCRIPTION: "An olive Ridge backpack in waxed canvas with 20 litres of space.",
            CopyKind.SEO_TITLE: "Ridge Waxed Canvas Backpack, Olive, 20 litres",
            CopyKind.SEO_META: "Shop the Ridge backpack in olive waxed canvas: 20 litres of space for every day.",
            CopyKind.MARKETING: "Meet your new everyday companion: the Ridge backpack in olive waxed canvas, with 20 "
            "litres for everything you carry.",
        },
    ),
    (
        ProductFacts(title="Glint Stoneware Coffee Mug", category="Kitchen",
                     attributes={"brand": "Glint", "colour": "Midnight Blue", "material": "Stoneware", "type": "Mug",
                                 "capacity": "350 ml"}),
        {
            CopyKind.DESCRIPTION: "Start the day with the Glint Stoneware Coffee Mug, a midnight blue mug made of "
            "glazed stoneware. It holds 350 ml of coffee or tea and feels solid in the hand.",
            CopyKind.SHORT_DESCRIPTION: "A midnight blue Glint mug in stoneware that holds 350 ml.",
            CopyKind.SEO_TITLE: "Glint Stoneware Coffee Mug in Midnight Blue, 350 ml",
            CopyKind.SEO_META: "The Glint coffee mug in midnight blue stoneware holds 350 ml. A solid, glazed mug for "
            "coffee and tea.",
            CopyKind.MARKETING: "Your coffee deserves this: the Glint mug, midnight blue stoneware that holds 350 ml "
            "of your favourite brew.",
        },
    ),
)  # fmt: skip


def build_chat(
    *, product: ProductFacts, kind: str, voice: VoiceSpec, must_mention: list[str] | None = None
) -> list[dict]:
    """The chat for one product and kind: instructions (system), a worked example,
    then this product's facts and the brand voice as data (user). `must_mention`
    lists key facts a previous attempt left out (the retry's feedback)."""
    task = f"Write {kind_spec(kind).what} for this product."
    chat = [{"role": "system", "content": _system(kind=kind, voice=voice)}]
    for example, texts in EXAMPLES:
        chat.append({"role": "user", "content": _user(product=example, voice=voice) + "\n\n" + task})
        chat.append({"role": "assistant", "content": texts[CopyKind(kind)]})
    facts = _user(product=product, voice=voice, must_mention=must_mention)
    chat.append({"role": "user", "content": facts + "\n\n" + task})
    return chat
