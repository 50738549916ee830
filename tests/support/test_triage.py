"""Urgency, mood and priority of a ticket's text (support/triage.py), on the fake embedder."""

from __future__ import annotations

import numpy as np
import pytest

from ecomops.ml.intents import OTHER, Intent, IntentClassifier, IntentPrediction
from support.triage import priority_of, read_mood, read_urgency, triage_texts
from tests.fakes import FakeEmbedder

FLAT = np.zeros(4, dtype=np.float32)  # anchors undecided: only the cues speak

INTENTS = [
    Intent("track_order", "Where is my order", ("where is my order", "my parcel is late", "track my package")),
    Intent(
        "product_question", "Questions about a product", ("what colours does it come in", "is it waterproof", "size")
    ),
]


@pytest.mark.parametrize(
    "text",
    ["I'll file a chargeback with my bank", "This is fraud, I am calling my lawyer", "I will take legal action"],
)
def test_legal_or_chargeback_threat_is_urgent(text):
    assert read_urgency(text, FLAT) == "urgent"


def test_one_cue_is_high_and_two_are_urgent():
    assert read_urgency("My parcel is still not here", FLAT) == "high"
    assert read_urgency("Third time asking, I need it today", FLAT) == "urgent"


def test_a_plain_question_stays_normal():
    assert read_urgency("Do you have this jacket in blue?", FLAT) == "normal"


def test_calm_anchor_far_ahead_gives_low():
    assert read_urgency("Do you have this jacket in blue?", np.array([0.6, 0.3, 0.2, 0.1])) == "low"


def test_pressing_anchor_far_ahead_gives_high_without_cues():
    assert read_urgency("my card was used", np.array([0.1, 0.2, 0.6, 0.3])) == "high"


def test_insults_and_shouting_are_angry():
    assert read_mood("This is RIDICULOUS, you are USELESS", FLAT) == "angry"
    assert read_mood("worst shop ever!!!", FLAT) == "angry"


def test_one_complaint_word_is_negative():
    assert read_mood("I'm disappointed with the quality", FLAT) == "negative"


def test_thanks_without_complaint_is_positive_and_plain_text_neutral():
    assert read_mood("Thank you, the lamp is lovely", FLAT) == "positive"
    assert read_mood("What sizes do you have?", FLAT) == "neutral"


def test_angry_customer_with_late_order_outranks_colour_question():
    late = priority_of(IntentPrediction("track_order", 0.9), "high", "angry")
    colours = priority_of(IntentPrediction("product_question", 0.9), "normal", "neutral")
    assert late > colours


def test_other_intent_adds_no_intent_points():
    assert priority_of(IntentPrediction(OTHER, 0.1, "payment_issue"), "normal", "neutral") == priority_of(
        IntentPrediction("product_question", 0.9), "normal", "neutral"
    )


def test_triage_texts_returns_one_result_per_text_in_order():
    # given
    classifier = IntentClassifier.fit(INTENTS, embedder=FakeEmbedder())
    texts = ["WHERE IS MY ORDER?? It is late, this is useless!!!", "what colours does the scarf come in"]
    # when
    late, question = triage_texts(texts, classifier=classifier)
    # then
    assert (late.intent, late.mood) == ("track_order", "angry")
    assert late.urgency in {"high", "urgent"}
    assert question.intent == "product_question"
    assert late.priority > question.priority


def test_triage_of_no_texts_is_empty():
    assert triage_texts([], classifier=IntentClassifier.fit(INTENTS, embedder=FakeEmbedder())) == []


def test_triage_puts_typos_of_intent_words_right_but_reads_cues_as_written():
    # given
    classifier = IntentClassifier.fit(INTENTS, embedder=FakeEmbedder())
    # when
    (result,) = triage_texts(["wher is my parcle, it is LATE AGAIN"], classifier=classifier)
    # then
    assert result.intent == "track_order"
    assert result.urgency in {"high", "urgent"}
