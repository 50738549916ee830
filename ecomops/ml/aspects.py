"""Aspects: what a review talks about (battery, fit, delivery, ...) and with which sentiment.

Reviews are split into sentences and each sentence into clauses at contrast words
("great sound, but the battery dies"), so each aspect gets the sentiment of its own
clause. An aspect is found by keyword (word-boundary, plural-tolerant), or, when an
embedder is given, by similarity of the clause to the aspect's description. All
clauses of a batch of reviews are scored in one sentiment call.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ecomops.ml.sentiment import Sentiment, split_sentences

DEFAULT_ASPECTS: dict[str, tuple[str, ...]] = {
    "battery": ("battery", "batteries", "charge", "charging", "charger", "battery life", "power"),
    "size": ("size", "sizes", "small", "large", "big", "tiny", "huge", "too short", "too long", "dimensions"),
    "fit": ("fit", "fits", "fitting", "fitted", "snug", "tight", "loose", "comfortable", "uncomfortable"),
    "quality": (
        "quality",
        "build",
        "sturdy",
        "flimsy",
        "durable",
        "cheaply made",
        "well made",
        "broke",
        "broken",
        "material",
        "materials",
        "stitching",
    ),
    "price": (
        "price",
        "prices",
        "priced",
        "cost",
        "costs",
        "expensive",
        "cheap",
        "value",
        "money",
        "worth",
        "overpriced",
        "bargain",
    ),
    "delivery": ("delivery", "delivered", "shipping", "shipped", "arrived", "arrive", "courier", "late", "on time"),
    "packaging": ("packaging", "package", "packaged", "box", "boxes", "wrapped", "wrapping"),
    "customer service": (
        "customer service",
        "support",
        "service",
        "seller",
        "refund",
        "return",
        "returned",
        "replacement",
        "staff",
        "helpful",
        "rude",
    ),
    "sound": ("sound", "audio", "volume", "speaker", "speakers", "bass", "noise", "loud"),
    "ease of use": ("easy to use", "easy", "difficult", "setup", "set up", "instructions", "intuitive", "complicated"),
    "taste": ("taste", "tastes", "flavour", "flavor", "delicious", "stale", "bitter"),
    "scent": ("scent", "smell", "smells", "fragrance"),
    "design": ("design", "look", "looks", "color", "colour", "style", "stylish", "beautiful", "ugly"),
}

# Contrast words start a new clause: the aspect before and after may be judged differently.
_CLAUSE_BREAK = re.compile(r"\s*(?:[;:]|,?\s+\b(?:but|however|although|though|yet|whereas|except)\b)\s*", re.IGNORECASE)


def split_clauses(sentence: str) -> list[str]:
    parts = [p.strip(" ,.") for p in _CLAUSE_BREAK.split(sentence)]
    return [p for p in parts if len(p) > 1] or [sentence.strip()]


def _keyword_pattern(keywords: Sequence[str]) -> re.Pattern:
    # Longest first so "battery life" wins over "battery"; optional plural "s".
    alternatives = sorted((re.escape(k.lower()) for k in keywords), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")s?\b", re.IGNORECASE)


@dataclass(frozen=True)
class AspectMention:
    aspect: str
    text: str  # the clause that mentions it
    sentiment: Sentiment


class AspectExtractor:
    """`extract(reviews)` -> per review, one AspectMention per (clause, aspect) found."""

    def __init__(
        self, sentiment, aspects: Mapping[str, Sequence[str]] | None = None, *, embedder=None, similarity: float = 0.45
    ):
        self.sentiment = sentiment
        self.aspects = dict(aspects or DEFAULT_ASPECTS)
        self.patterns = {name: _keyword_pattern(words) for name, words in self.aspects.items()}
        self.embedder = embedder
        # Only clauses no keyword matched are embedded; 0.45 cosine is a starting point for
        # all-MiniLM-L6-v2 (not tuned on labelled aspects: there are none in shared/data).
        self.similarity = similarity
        self._aspect_vectors = None

    def extract(self, reviews: list[str]) -> list[list[AspectMention]]:
        clauses, owner = [], []
        for i, review in enumerate(reviews):
            for sentence in split_sentences(review):
                for clause in split_clauses(sentence):
                    clauses.append(clause)
                    owner.append(i)
        found = self._match(clauses)
        wanted = sorted({c for c, names in enumerate(found) if names})
        scores = dict(zip(wanted, self.sentiment.score([clauses[c] for c in wanted]))) if wanted else {}
        out: list[list[AspectMention]] = [[] for _ in reviews]
        for c in wanted:
            for name in found[c]:
                out[owner[c]].append(AspectMention(aspect=name, text=clauses[c], sentiment=scores[c]))
        return out

    def _match(self, clauses: list[str]) -> list[list[str]]:
        found = [[name for name, pattern in self.patterns.items() if pattern.search(clause)] for clause in clauses]
        if self.embedder is None or not clauses:
            return found
        unmatched = [c for c, names in enumerate(found) if not names]
        if unmatched:
            vectors = self.embedder.embed([clauses[c] for c in unmatched])
            sims = vectors @ self._aspect_matrix().T
            names = list(self.aspects)
            for row, c in enumerate(unmatched):
                best = int(np.argmax(sims[row]))
                if sims[row, best] >= self.similarity:
                    found[c] = [names[best]]
        return found

    def _aspect_matrix(self) -> np.ndarray:
        if self._aspect_vectors is None:
            descriptions = [f"{name}: {', '.join(words[:6])}" for name, words in self.aspects.items()]
            self._aspect_vectors = self.embedder.embed(descriptions)
        return self._aspect_vectors


@dataclass
class AspectSummary:
    aspect: str
    positive: int
    negative: int
    neutral: int
    praise: list[str]  # example clauses, most positive first
    complaints: list[str]  # most negative first

    @property
    def mentions(self) -> int:
        return self.positive + self.negative + self.neutral


def summarise_aspects(mentions: Sequence[AspectMention], *, examples: int = 3) -> list[AspectSummary]:
    """Per aspect counts and example clauses, most mentioned aspect first."""
    by_aspect: dict[str, list[AspectMention]] = {}
    for m in mentions:
        by_aspect.setdefault(m.aspect, []).append(m)
    out = []
    for name, items in by_aspect.items():
        labels = [m.sentiment.label for m in items]
        ranked = sorted(items, key=lambda m: m.sentiment.score)
        out.append(
            AspectSummary(
                aspect=name,
                positive=labels.count("positive"),
                negative=labels.count("negative"),
                neutral=labels.count("neutral"),
                praise=_unique([m.text for m in reversed(ranked) if m.sentiment.label == "positive"])[:examples],
                complaints=_unique([m.text for m in ranked if m.sentiment.label == "negative"])[:examples],
            )
        )
    return sorted(out, key=lambda s: (-s.mentions, s.aspect))


def _unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))
