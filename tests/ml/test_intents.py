"""The few-shot intent classifier on the deterministic FakeEmbedder (bag of words)."""

from __future__ import annotations

import pytest

from ecomops.ml.intents import OTHER, Intent, IntentClassifier, intents_fingerprint, intents_from_rows, normalise_text
from tests.fakes import FakeEmbedder

INTENTS = [
    Intent("track_order", "Customer asks where the order is", ("where is my order", "track my parcel", "order status")),
    Intent("get_refund", "Customer wants money back", ("I want a refund", "refund me please", "give my money back")),
    Intent(
        "recover_password", "Customer forgot the password", ("forgot my password", "reset password", "cannot log in")
    ),
]


@pytest.fixture
def classifier():
    return IntentClassifier.fit(INTENTS, embedder=FakeEmbedder())


def test_predicts_the_intent_whose_examples_share_the_words(classifier):
    # when
    predictions = classifier.predict(["where is my parcel", "refund please", "password reset link"])
    # then
    assert [p.intent for p in predictions] == ["track_order", "get_refund", "recover_password"]


def test_predictions_keep_input_order_and_carry_a_confidence(classifier):
    # when
    predictions = classifier.predict(["forgot password", "where is order"])
    # then
    assert [p.intent for p in predictions] == ["recover_password", "track_order"]
    assert all(0.0 < p.confidence <= 1.0 for p in predictions)


def test_text_unlike_any_example_is_other_with_best_guess_kept(classifier):
    # when
    (prediction,) = classifier.predict(["?!? ..."])  # no words: nothing in common with any example
    # then
    assert prediction.intent == OTHER
    assert prediction.best_guess in {i.name for i in INTENTS}


def test_threshold_one_sends_everything_to_other():
    # given
    strict = IntentClassifier.fit(INTENTS, embedder=FakeEmbedder(), threshold=1.01)
    # when
    predictions = strict.predict(["where is my order"])
    # then
    assert predictions[0].intent == OTHER


def test_no_intents_gives_other_for_every_text():
    # given
    empty = IntentClassifier.fit([], embedder=FakeEmbedder())
    # then
    assert [p.intent for p in empty.predict(["hello", "refund"])] == [OTHER, OTHER]


def test_single_intent_is_predicted_for_similar_text():
    # given
    single = IntentClassifier.fit(INTENTS[:1], embedder=FakeEmbedder())
    # then
    assert single.predict(["where is my order now"])[0].intent == "track_order"


def test_empty_batch_gives_empty_list(classifier):
    assert classifier.predict([]) == []


def test_rows_of_one_intent_are_merged_and_blank_examples_dropped():
    # given
    rows = [
        {"intent": "cancel_order", "description": "Cancel an order", "example": "cancel my order"},
        {"intent": "cancel_order", "description": "", "example": "  "},
        {"intent": " cancel_order ", "description": "", "example": "stop my order"},
        {"intent": "", "description": "no name", "example": "ignored"},
    ]
    # when
    intents = intents_from_rows(rows)
    # then
    assert intents == [Intent("cancel_order", "Cancel an order", ("cancel my order", "stop my order"))]


def test_intent_learns_from_examples_description_and_name_as_words():
    assert Intent("check_invoice", "Customer wants an invoice", ("show my bill",)).training_texts() == [
        "show my bill",
        "Customer wants an invoice",
        "check invoice",
    ]
    assert Intent("check-invoice").training_texts() == ["check invoice"]


def test_typos_of_intent_words_are_put_right_before_encoding(classifier):
    # when
    respelt = classifier.respell("Wher is my oder? I forgt my pasword")
    # then
    assert respelt == "where is my order? I forgot my password"


def test_respelling_keeps_short_words_far_words_and_plurals(classifier):
    assert classifier.respell("my ordr") == "my order"  # four letters and one edit away
    assert classifier.respell("klarna wheres the xyzzy") == "klarna wheres the xyzzy"


def test_misspelt_intent_word_is_still_classified(classifier):
    (prediction,) = classifier.predict(["refnud"])
    assert prediction.intent == "get_refund"


def test_fingerprint_changes_with_examples_only_when_content_changes():
    same = [Intent("a", "d", ("x", "y"))]
    assert intents_fingerprint(same) == intents_fingerprint([Intent("a", "d", ("x", "y"))])
    assert intents_fingerprint(same) != intents_fingerprint([Intent("a", "d", ("x", "z"))])


def test_template_placeholders_become_words():
    assert normalise_text("cancel order {{Order Number}} now") == "cancel order Order Number now"


def test_misspelt_word_outside_the_intents_is_put_right_from_the_english_word_list(classifier):
    # "recieve", "shiping" and "adress" are one edit away from no intent word
    assert classifier.respell("I never got to recieve the shiping adress") == (
        "I never got to receive the shipping address"
    )


def test_word_two_intent_words_are_as_close_to_stays_as_written():
    # given: "cart" and "card" are both one edit from "carx"
    intents = [Intent("a", "", ("empty my cart",)), Intent("b", "", ("my card was declined",))]
    classifier = IntentClassifier.fit(intents, embedder=FakeEmbedder())
    # then
    assert classifier.respell("carx") == "carx"
