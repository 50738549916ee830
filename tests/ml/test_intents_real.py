"""The intent classifier with the real embedded embedder (all-MiniLM-L6-v2), fitted
on the 27-intent list of bench/data. Marked `real_models` (~30 s on a 2-core CPU)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

pytestmark = pytest.mark.real_models

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


@pytest.fixture(scope="module")
def embedder():
    from ecomops.ml.embedder import Embedder

    return Embedder.load()


@pytest.fixture(scope="module")
def classifier(embedder):
    from ecomops.ml.intents import IntentClassifier, intents_from_rows

    with open(DATA / "support_intents.csv", newline="", encoding="utf-8") as f:
        return IntentClassifier.fit(intents_from_rows(csv.DictReader(f)), embedder=embedder)


def test_sentence_vectors_of_encode_match_the_embedder(embedder):
    from ecomops.ml.intents import encode

    texts = ["where is my parcel", "I want a refund for the broken lamp"]
    encoded = encode(embedder, texts)
    assert np.allclose(encoded.sentence, embedder.embed(texts), atol=1e-5)
    assert encoded.features.shape == (2, 2 * embedder.dimension)


def test_unseen_messages_of_clear_intents_are_classified(classifier):
    texts = [
        "wheres my package?? ordered 5 days ago",
        "I forgot my login password",
        "please unsubscribe me from the emails",
    ]
    assert [p.intent for p in classifier.predict(texts)] == [
        "track_order",
        "recover_password",
        "newsletter_subscription",
    ]


def test_text_without_words_is_other(classifier):
    # MiniLM's vector of "" or "?!" lies close enough to some example to pass the similarity floor
    from ecomops.ml.intents import OTHER

    assert [p.intent for p in classifier.predict(["", "   ", "?!"])] == [OTHER] * 3


def test_classifier_beats_nearest_centroid_on_the_dev_messages(classifier, embedder):
    with open(DATA / "support_messages_dev.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    texts, expected = [r["text"] for r in rows], [r["intent"] for r in rows]
    centroids = np.stack([embedder.embed(list(i.examples)).mean(axis=0) for i in classifier.intents])
    nearest = [classifier.intents[k].name for k in (embedder.embed(texts) @ centroids.T).argmax(axis=1)]
    ours = [p.best_guess for p in classifier.predict(texts)]
    ours_right = sum(a == b for a, b in zip(ours, expected))
    assert ours_right > sum(a == b for a, b in zip(nearest, expected))
    assert ours_right / len(rows) >= 0.9
