"""Aspect extraction with a deterministic stand-in for the sentiment model."""

from __future__ import annotations

import numpy as np

from ecomops.ml.aspects import AspectExtractor, split_clauses, summarise_aspects
from ecomops.ml.sentiment import Sentiment

POSITIVE = ("great", "love", "perfect", "fast", "sturdy", "friendly")
NEGATIVE = ("terrible", "dies", "broke", "slow", "rude", "flimsy", "damaged")


class KeywordSentiment:
    """Positive if a positive word appears, negative if a negative one does; records calls."""

    def __init__(self):
        self.calls: list[list[str]] = []

    def score(self, texts: list[str]) -> list[Sentiment]:
        self.calls.append(list(texts))
        out = []
        for text in texts:
            words = text.lower()
            if any(w in words for w in NEGATIVE):
                out.append(Sentiment("negative", 0.9, -0.8))
            elif any(w in words for w in POSITIVE):
                out.append(Sentiment("positive", 0.9, 0.8))
            else:
                out.append(Sentiment("neutral", 0.6, 0.0))
        return out


class TwoAspectEmbedder:
    """Maps anything about 'died' to the battery direction, everything else orthogonal."""

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = []
        for text in texts:
            if text.startswith("battery:") or "died" in text:
                rows.append([1.0, 0.0, 0.0])
            elif text.startswith("price:"):
                rows.append([0.0, 1.0, 0.0])
            else:
                rows.append([0.0, 0.0, 1.0])
        return np.asarray(rows, dtype=np.float32)


def test_split_clauses_breaks_at_contrast_words():
    assert split_clauses("Great sound, but the battery dies fast.") == ["Great sound", "the battery dies fast"]


def test_split_clauses_keeps_a_plain_sentence_whole():
    assert split_clauses("The fit is perfect.") == ["The fit is perfect"]


def test_each_aspect_gets_the_sentiment_of_its_own_clause():
    extractor = AspectExtractor(KeywordSentiment())

    [mentions] = extractor.extract(["The price is great, but the battery dies in an hour."])

    by_aspect = {m.aspect: m.sentiment.label for m in mentions}
    assert by_aspect == {"price": "positive", "battery": "negative"}


def test_keywords_match_plurals_and_ignore_substrings():
    extractor = AspectExtractor(KeywordSentiment(), {"size": ("size",), "delivery": ("late",)})

    [mentions] = extractor.extract(["Both sizes are perfect. I love chocolate."])

    assert [m.aspect for m in mentions] == ["size"]


def test_configured_aspects_replace_the_defaults():
    extractor = AspectExtractor(KeywordSentiment(), {"scent": ("smell", "scent", "fragrance")})

    [mentions] = extractor.extract(["Love the smell. The battery broke."])

    assert [(m.aspect, m.text) for m in mentions] == [("scent", "Love the smell")]


def test_one_sentiment_call_for_a_whole_batch():
    model = KeywordSentiment()
    extractor = AspectExtractor(model)

    result = extractor.extract(["Fast delivery.", "Rude customer service.", "No aspect here."])

    assert len(model.calls) == 1
    assert [[m.aspect for m in r] for r in result] == [["delivery"], ["customer service"], []]


def test_no_sentiment_call_when_nothing_matches():
    model = KeywordSentiment()

    result = AspectExtractor(model).extract(["Hello there.", ""])

    assert result == [[], []]
    assert model.calls == []


def test_embedder_finds_an_aspect_without_its_keyword():
    extractor = AspectExtractor(
        KeywordSentiment(), {"battery": ("battery",), "price": ("price",)}, embedder=TwoAspectEmbedder(), similarity=0.5
    )

    [mentions] = extractor.extract(["The phone died after an hour, terrible."])

    assert [(m.aspect, m.sentiment.label) for m in mentions] == [("battery", "negative")]


def test_embedder_leaves_unrelated_clauses_alone():
    extractor = AspectExtractor(
        KeywordSentiment(), {"battery": ("battery",), "price": ("price",)}, embedder=TwoAspectEmbedder(), similarity=0.5
    )

    assert extractor.extract(["The phone is black."]) == [[]]


def test_summary_counts_and_orders_examples():
    extractor = AspectExtractor(KeywordSentiment())
    reviews = ["Fast delivery.", "Delivery was slow.", "Great price.", "Delivery was fast and the box was fine."]

    summary = summarise_aspects([m for r in extractor.extract(reviews) for m in r])

    delivery = summary[0]
    assert (delivery.aspect, delivery.positive, delivery.negative) == ("delivery", 2, 1)
    assert delivery.complaints == ["Delivery was slow"]
    assert "Fast delivery" in delivery.praise
