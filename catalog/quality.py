"""Quality checks for generated product copy, and the cleaning that comes first.

Pure Python (numpy at most): no Django, no model calls. `check_copy` returns
flags a merchant can read; `passed(flags)` says whether a draft may go on to
review without a warning. Every check is a plain function so tests can pin it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from catalog.claims import unsupported_claims
from catalog.numbers import fold, numbers_and_units, product_text
from catalog.prompts import CopyKind, ProductFacts, VoiceSpec, kind_spec, target_words

# ---------------------------------------------------------------- cleaning

_PREAMBLE = re.compile(
    r"^\s*(?:(?:sure|certainly|of course|absolutely|okay|ok|great|here you go)\b[^.!:\n]*[.!:]\s*)?"
    r"(?:here(?:'s| is| are)\b[^:\n]*:\s*)?",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^\s*(?:product\s+)?(?:description|short description|seo title|seo meta(?: description)?|meta description|"
    r"title|marketing(?: blurb| copy)?|blurb|copy)\s*:\s*",
    re.IGNORECASE,
)
_MARKDOWN = re.compile(r"(\*\*|__|`+|^#{1,6}\s*|^\s*[-*•]\s+|^\s*\d+[.)]\s+)", re.MULTILINE)
_QUOTES = "\"'“”‘’«»"


def clean_copy(text: str, *, kind: str = CopyKind.DESCRIPTION) -> str:
    """Strip what a chat model wraps around copy: a "Sure! Here is…:" preamble, a
    "Description:" label, markdown, wrapping quotes, and a last sentence cut off by
    the token limit. Only wrapping is removed, never words in the middle of copy."""
    text = unicodedata.normalize("NFC", text or "").replace("\r", "")
    text = text.split("<|im_end|>")[0].split("<|im_start|>")[0]
    text = _PREAMBLE.sub("", text, count=1)
    if "\n" in text.strip():  # a heading line ("**Name**", "# Name") above the copy
        text = re.sub(r"^\s*(?:\*\*[^*\n]+\*\*|#{1,6} [^\n]+)[ \t]*\n", "", text.lstrip(), count=1)
    text = _LABEL.sub("", text, count=1)
    text = _MARKDOWN.sub("", text)
    text = re.sub(r"\s*\n\s*", " ", text.strip())
    text = re.sub(r"\s{2,}", " ", text).strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    if kind == CopyKind.SEO_TITLE:
        return text.rstrip(" .")
    return _drop_unfinished_sentence(text)


def _drop_unfinished_sentence(text: str) -> str:
    """Cut a trailing fragment the token limit left, if a finished sentence precedes it."""
    if not text or text[-1] in ".!?…" + _QUOTES:
        return text
    last_end = max(text.rfind(". "), text.rfind("! "), text.rfind("? "))
    return text[: last_end + 1] if last_end > 0 else text


# ---------------------------------------------------------------- key attributes

KEY_ATTRIBUTES = {
    "brand": ("brand", "brand name", "manufacturer", "maker"),
    "colour": ("colour", "color", "colours", "colors", "colour name", "color name", "shade"),
    "material": ("material", "materials", "fabric", "main material", "composition"),
    "type": ("type", "product type", "item type", "kind", "style"),
    "size": ("size", "capacity", "volume", "storage", "net volume", "net weight", "weight", "dimensions"),
}
# What each kind must mention. An SEO title has 60 characters: brand and type.
REQUIRED_KEYS = {
    CopyKind.DESCRIPTION: ("brand", "colour", "material", "type", "size"),
    CopyKind.MARKETING: ("brand", "colour", "material", "type", "size"),
    CopyKind.SHORT_DESCRIPTION: ("brand", "colour", "material", "type"),
    CopyKind.SEO_META: ("brand", "colour", "type"),
    CopyKind.SEO_TITLE: ("brand", "type"),
}


def key_attributes(product: ProductFacts) -> dict[str, str]:
    """The product's key attributes by role (brand, colour, material, type, size), first column wins."""
    found: dict[str, str] = {}
    for key, value in product.attributes.items():
        name = re.sub(r"\s+", " ", fold(key)).strip()
        for role, aliases in KEY_ATTRIBUTES.items():
            if role not in found and name in aliases and str(value).strip():
                found[role] = str(value).strip()
    return found


def key_phrases(*, product: ProductFacts, kind: str) -> list[str]:
    """The key attribute values this kind must mention, as phrases to favour while
    decoding. A one- or two-letter size is favoured as "size M", never a bare "M"."""
    keys = key_attributes(product)
    phrases = []
    for role in REQUIRED_KEYS[CopyKind(kind)]:
        value = keys.get(role, "")
        if value:
            phrases.append(f"size {value}" if role == "size" and len(value) <= 3 else value)
    return phrases


def _tokens(text: str) -> list[str]:
    folded = re.sub(r"(\d),(\d{3})\b", r"\1\2", fold(text))
    folded = re.sub(r"(\d)([a-z])", r"\1 \2", folded)
    return re.findall(r"[a-z0-9%]+(?:\.\d+)?", folded)


_STOP = {"and", "with", "the", "a", "of", "in", "for", "&"}
_FILLER = {"is", "it", "its", "it's", "this", "an", "to", "from", "made", "by", "on", "your", "you", "that", "are"}


def mentions(text: str, value: str) -> bool:
    """Whether `value` is written in `text`: every word of it (plurals and
    "-ed" forms count), or all but one for values of three words or more.
    One- and two-letter values ("M", "XL") must appear as written."""
    if len(value.strip()) <= 2:
        return re.search(rf"(?<![\w-]){re.escape(value.strip())}(?![\w-])", text) is not None
    words = [w for w in _tokens(value) if w not in _STOP]
    if not words:
        return True
    present = set(_tokens(text)) | set(_tokens(re.sub(r"(\w)-(\w)", r"\1\2", text)))
    stems = [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]
    hits = sum(1 for w in stems if w in present or (len(w) >= 4 and any(t.startswith(w) for t in present)))
    return hits == len(words) or (len(words) >= 3 and hits >= len(words) - 1)


def attribute_coverage(*, text: str, product: ProductFacts, kind: str) -> tuple[float, list[str]]:
    """Fraction of the kind's required key attributes mentioned, and the roles missing."""
    keys = key_attributes(product)
    required = [role for role in REQUIRED_KEYS[CopyKind(kind)] if role in keys]
    missing = [role for role in required if not mentions(text, keys[role])]
    return (1.0 - len(missing) / len(required)) if required else 1.0, missing


# ---------------------------------------------------------------- artifacts, loops, duplicates

_ARTIFACTS = re.compile(
    r"(^\s*(sure|certainly|of course|absolutely|okay)\b|^\s*here(?:'s| is| are) (?:a|an|the|your|some)\b|"
    r"\bas an ai\b|\bi(?:'m| am) (?:happy|glad|thrilled|excited|here) to\b|\bi hope\b|\blet me know\b|"
    r"\bproduct facts\b|\bbrand voice\b|\bwords to avoid\b|\baudience:|\btone:|<\|im_|\*\*|^#|\n\s*[-*•]\s|"
    r"\b(?:seo title|meta description|product description)\s*:|\[[^\]]*\]|\bleft out\b|\b(?:last|this) time\b|"
    r"\b(?:last|first) try\b)",
    re.IGNORECASE | re.MULTILINE,
)


def chat_artifact(text: str) -> str:
    """The first chat artifact in `text` ("Sure!", markdown, the prompt echoed), or ''."""
    match = _ARTIFACTS.search(text)
    return match.group(0).strip() if match else ""


def repeated_phrase(text: str, *, n: int = 4, name: str = "") -> str:
    """A phrase of `n` words said twice, or a word said three times running, or ''.
    A product's name may recur, so phrases made only of `name`'s words are spared."""
    words = re.findall(r"[a-z0-9']+", fold(text))
    for i in range(len(words) - 2):
        if words[i] == words[i + 1] == words[i + 2]:
            return words[i]
    spared = set(re.findall(r"[a-z0-9']+", fold(name))) | _STOP | _FILLER
    grams = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    for gram, count in grams.most_common():
        if count < 2:
            break
        if not set(gram) <= spared:
            return " ".join(gram)
    sentences = [s.strip().lower() for s in re.split(r"[.!?]+", text) if len(s.split()) >= 3]
    dupes = [s for s, c in Counter(sentences).items() if c > 1]
    return dupes[0] if dupes else ""


def shingles(text: str, *, n: int = 3) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", fold(text))
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def ngram_overlap(a: str, b: str) -> float:
    """Jaccard similarity of word 3-gram sets (0 unrelated .. 1 identical)."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


# Measured with bench/copy_eval.py on bench/data/products_eval.csv (56 products,
# descriptions by the embedded model): different products' copy reaches at most
# 0.14 word-trigram Jaccard (0.11 in an earlier run), while a copy with only the
# product name and brand swapped for another product's keeps at least 0.48.
# The threshold sits between the two.
NEAR_DUPLICATE_NGRAM = 0.3
# all-MiniLM-L6-v2 cosine between different products' copy reached 0.83-0.90
# (two colours of one T-shirt). A name swap moves the cosine a lot (it changes
# the topic), so the embedding only backs up the n-gram test for paraphrased
# copies, at a threshold well above anything seen between different products.
NEAR_DUPLICATE_COSINE = 0.95


def near_duplicate(
    text: str, other_texts: Sequence[str] = (), *, embedding=None, other_embeddings=None
) -> float:
    """Highest similarity to any other product's copy, on the n-gram scale; with
    embeddings, a cosine above NEAR_DUPLICATE_COSINE also counts as a duplicate."""
    score = max((ngram_overlap(text, other) for other in other_texts if other), default=0.0)
    if embedding is not None and other_embeddings is not None and len(other_embeddings):
        import numpy as np

        cosine = float(np.max(np.asarray(other_embeddings) @ np.asarray(embedding)))
        if cosine >= NEAR_DUPLICATE_COSINE:
            score = max(score, NEAR_DUPLICATE_NGRAM + (cosine - NEAR_DUPLICATE_COSINE))
    return score


# ---------------------------------------------------------------- length and words

def length_problem(*, text: str, kind: str, voice: VoiceSpec) -> str:
    """'' when the length suits the kind, else why not."""
    spec = kind_spec(kind)
    if spec.max_chars is not None:
        if len(text) > spec.max_chars:
            return f"{len(text)} characters, limit {spec.max_chars}"
        if len(text) < spec.max_chars // 4:
            return f"{len(text)} characters, too short"
        return ""
    words = len(text.split())
    target = target_words(kind=kind, voice=voice)
    low, high = round(target * 0.5), round(target * 1.6)
    if not low <= words <= high:
        return f"{words} words, target {target} ({low}-{high})"
    return ""


def avoided_words_used(text: str, voice: VoiceSpec) -> list[str]:
    folded = " " + " ".join(_tokens(text)) + " "
    return [w for w in voice.words_to_avoid if w.strip() and f" {' '.join(_tokens(w))} " in folded]


# ---------------------------------------------------------------- the verdict

FLAG_KEYS = (
    "attributes_ok", "numbers_ok", "claims_ok", "length_ok", "avoided_words_ok", "artifacts_ok", "repetition_ok",
    "unique_ok",
)  # fmt: skip


def check_copy(
    *,
    text: str,
    product: ProductFacts,
    kind: str,
    voice: VoiceSpec,
    other_texts: Sequence[str] = (),
    embedding=None,
    other_embeddings=None,
) -> dict[str, bool | str | float]:
    """Every check on one piece of copy. `*_ok` flags are booleans; the other keys
    say why a flag is down, for a merchant reading the draft. `other_texts` (and
    optionally embeddings) are other products' copies of the same kind."""
    coverage, missing = attribute_coverage(text=text, product=product, kind=kind)
    numbers, units = numbers_and_units(text)
    known_numbers, known_units = numbers_and_units(product_text(product))
    new_numbers, new_units = sorted(numbers - known_numbers), sorted(units - known_units)
    claims = unsupported_claims(text, product)
    length = length_problem(text=text, kind=kind, voice=voice)
    avoided = avoided_words_used(text, voice)
    artifact = chat_artifact(text)
    loop = repeated_phrase(text, name=product.title)
    similarity = near_duplicate(text, other_texts, embedding=embedding, other_embeddings=other_embeddings)
    return {
        "attributes_ok": not missing,
        "attribute_coverage": round(coverage, 3),
        "attributes_missing": ", ".join(missing),
        "numbers_ok": not new_numbers and not new_units,
        "numbers_unsupported": ", ".join(new_numbers + new_units),
        "claims_ok": not claims,
        "claims_unsupported": ", ".join(claims),
        "length_ok": not length,
        "length_problem": length,
        "avoided_words_ok": not avoided,
        "avoided_words_found": ", ".join(avoided),
        "artifacts_ok": not artifact and bool(text.strip()),
        "artifact_found": artifact if text.strip() else "empty text",
        "repetition_ok": not loop,
        "repeated_phrase": loop,
        "unique_ok": similarity < NEAR_DUPLICATE_NGRAM,
        "max_similarity": round(similarity, 3),
    }


def passed(flags: dict) -> bool:
    return all(bool(flags.get(key)) for key in FLAG_KEYS)


def failure_score(flags: dict) -> float:
    """Lower is better: how badly a draft fails, to choose among attempts.
    Invented facts and loops weigh most; a missing attribute weighs by share."""
    weights = {"numbers_ok": 4, "claims_ok": 3, "artifacts_ok": 3, "repetition_ok": 3, "unique_ok": 2,
               "avoided_words_ok": 2, "length_ok": 2}  # fmt: skip
    score = sum(w for key, w in weights.items() if not flags.get(key))
    return score + 3 * (1.0 - float(flags.get("attribute_coverage", 1.0)))


# What a merchant reads for each failed check: the flag, its label, and the key holding the detail.
PROBLEM_DETAILS = {
    "attributes_ok": ("key attributes missing", "attributes_missing"),
    "numbers_ok": ("numbers or units not in the product data", "numbers_unsupported"),
    "claims_ok": ("colours or materials not in the product data", "claims_unsupported"),
    "length_ok": ("length", "length_problem"),
    "avoided_words_ok": ("words to avoid", "avoided_words_found"),
    "artifacts_ok": ("chat artifact", "artifact_found"),
    "repetition_ok": ("repeats itself", "repeated_phrase"),
    "unique_ok": ("near-duplicate of another product's copy", "max_similarity"),
}


def problems(flags: dict) -> list[tuple[str, str]]:
    """(label, detail) of every failed check, for people reviewing drafts."""
    return [
        (label, str(flags.get(detail_key, "")))
        for key, (label, detail_key) in PROBLEM_DETAILS.items()
        if key in flags and not flags[key]
    ]
