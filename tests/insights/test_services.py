from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecomops.jobs.models import Job
from ecomops.ml.sentiment_training import FineTuneResult
from insights.models import Alert, ProductReviewSummary, Review, ReviewAnalysis, StoreSentimentModel
from insights.services import (
    NewReview,
    correct_label,
    request_scoring_by,
    submit_reviews,
    train_store_sentiment,
    training_examples,
)
from tests import factories
from tests.fakes import FakeSentiment

pytestmark = pytest.mark.django_db


def test_submitted_reviews_are_scored_in_one_call_per_chunk(
    store, product, fake_sentiment, django_capture_on_commit_callbacks
):
    # given
    reviews = [
        NewReview(product_id=product.pk, rating=5, body="Love it, great fit."),
        NewReview(product_id=product.pk, rating=1, body="Terrible, it broke on day one."),
    ]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        created = submit_reviews(store=store, reviews=reviews)
    # then
    labels = dict(ReviewAnalysis.objects.values_list("review_id", "label"))
    assert labels == {created[0].pk: "positive", created[1].pk: "negative"}
    assert fake_sentiment.calls[0] == 2
    assert Job.objects.get().state == Job.State.SUCCEEDED


def test_scoring_twice_keeps_one_analysis(store, product, django_capture_on_commit_callbacks):
    review = factories.ReviewFactory(store=store, product=product)
    with django_capture_on_commit_callbacks(execute=True):
        request_scoring_by(
            user=factories.member(store=store, username="alice", role="owner"), reviews=Review.objects.all()
        )
        request_scoring_by(
            user=factories.member(store=store, username="alice", role="owner"), reviews=Review.objects.all()
        )
    assert ReviewAnalysis.objects.filter(review=review).count() == 1


def test_aspects_are_stored_with_their_sentiment(store, product, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [review] = submit_reviews(
            store=store,
            reviews=[
                NewReview(
                    product_id=product.pk,
                    rating=3,
                    body="The fit is perfect, but the zipper broke and the price is awful.",
                )
            ],
        )
    aspects = {a["aspect"]: a["label"] for a in ReviewAnalysis.objects.get(review=review).aspects}
    assert aspects["fit"] == "positive"
    assert aspects["price"] == "negative"


def test_text_contradicting_stars_raises_an_alert(store, product, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [review] = submit_reviews(
            store=store,
            reviews=[NewReview(product_id=product.pk, rating=5, body="Terrible. It broke and the seller was rude.")],
        )
    alert = Alert.objects.get(kind=Alert.Kind.RATING_MISMATCH)
    assert alert.review == review
    assert "reads negative" in alert.message


def test_reviews_of_another_stores_product_are_refused(store, charlies_product):
    with pytest.raises(ValidationError):
        submit_reviews(store=store, reviews=[NewReview(product_id=charlies_product.pk, body="Hi")])


def test_enough_new_reviews_write_a_summary_from_the_reviews(
    store, product, fake_models, django_capture_on_commit_callbacks
):
    bodies = [
        "Love the fit, perfect.",
        "The price is great.",
        "Great fit.",
        "Delivery was slow.",
        "Perfect fit, love it.",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        submit_reviews(store=store, reviews=[NewReview(product_id=product.pk, rating=4, body=b) for b in bodies])
    summary = ProductReviewSummary.objects.get(product=product)
    assert summary.review_count == 5
    assert summary.text


def test_merchant_correction_is_a_stronger_label(store, alice):
    review = factories.ReviewFactory(store=store, rating=5)
    correct_label(user=alice, review=review, label="negative")
    texts, labels, weights = training_examples(store=store)
    assert (labels, weights) == (["negative"], [3.0])


def test_viewer_cannot_correct_a_label(store, victor):
    review = factories.ReviewFactory(store=store)
    with pytest.raises(PermissionDenied):
        correct_label(user=victor, review=review, label="negative")


class StubFineTune:
    def __init__(self, accuracy: float, default_accuracy: float):
        self.accuracy, self.default_accuracy = accuracy, default_accuracy
        self.seen: dict = {}

    def __call__(self, *, base, texts, labels, weights):
        self.seen = {"texts": texts, "labels": labels, "weights": weights}
        model = SavableModel()
        return FineTuneResult(
            model=model,
            accuracy=self.accuracy,
            default_accuracy=self.default_accuracy,
            train_size=len(texts) - 8,
            test_size=8,
        )


class SavableModel(FakeSentiment):
    version = "fake-sentiment+store"

    def save(self, folder):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "sentiment_config.json").write_text("{}")


def _rated_reviews(store, n=40):
    for i in range(n):
        factories.ReviewFactory(store=store, rating=5 if i % 2 else 1, body=f"Review number {i}")


def test_better_store_model_is_swapped_in(store, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _rated_reviews(store)
    report = train_store_sentiment(store=store, fine_tune=StubFineTune(0.9, 0.8))
    assert report.swapped
    assert StoreSentimentModel.objects.get(active=True).accuracy == 0.9


def test_worse_store_model_is_kept_aside(store, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _rated_reviews(store)
    report = train_store_sentiment(store=store, fine_tune=StubFineTune(0.7, 0.8))
    assert not report.swapped
    assert not StoreSentimentModel.objects.filter(active=True).exists()
    assert "kept the current model" in report.summary()


def test_training_needs_enough_labelled_reviews(store):
    _rated_reviews(store, n=5)
    with pytest.raises(ValidationError):
        train_store_sentiment(store=store, fine_tune=StubFineTune(0.9, 0.8))


def test_training_uses_only_the_stores_reviews(store, other_store, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _rated_reviews(store)
    factories.ReviewFactory(store=other_store, body="Charlie's secret review")
    stub = StubFineTune(0.9, 0.8)
    train_store_sentiment(store=store, fine_tune=stub)
    assert len(stub.seen["texts"]) == 40
    assert not any("Charlie" in t for t in stub.seen["texts"])
