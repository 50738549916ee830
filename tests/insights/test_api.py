from __future__ import annotations

import pytest

from insights.models import Review, ReviewAnalysis
from tests import factories

pytestmark = pytest.mark.django_db


def test_storefront_key_submits_a_review_that_gets_scored(
    storefront_client, product, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = storefront_client.post(
            "/api/v1/reviews/", {"product": product.pk, "rating": 1, "body": "Terrible, it broke."}, format="json"
        )
    # then
    assert response.status_code == 201, response.content
    review = Review.objects.get(pk=response.json()["id"])
    assert review.store == product.store
    assert ReviewAnalysis.objects.get(review=review).label == "negative"


def test_storefront_key_cannot_review_another_stores_product(storefront_client, charlies_product):
    response = storefront_client.post("/api/v1/reviews/", {"product": charlies_product.pk, "body": "Hi"}, format="json")
    assert response.status_code == 400


def test_storefront_key_cannot_read_reviews(storefront_client, store):
    factories.ReviewFactory(store=store)
    assert storefront_client.get("/api/v1/reviews/").status_code == 403


def test_rating_out_of_range_is_a_400(alice_client, product):
    response = alice_client.post("/api/v1/reviews/", {"product": product.pk, "rating": 6, "body": "ok"}, format="json")
    assert response.status_code == 400
    assert "rating" in response.json()


def test_review_list_shows_only_own_store(alice_client, store, other_store):
    mine = factories.ReviewFactory(store=store)
    factories.ReviewFactory(store=other_store)
    ids = [r["id"] for r in alice_client.get("/api/v1/reviews/").json()["results"]]
    assert ids == [mine.pk]


def test_review_detail_hides_other_stores(alice_client, other_store):
    theirs = factories.ReviewFactory(store=other_store)
    assert alice_client.get(f"/api/v1/reviews/{theirs.pk}/").status_code == 404


def test_review_detail_includes_the_analysis(alice_client, store):
    analysis = factories.ReviewAnalysisFactory(review=factories.ReviewFactory(store=store), label="neutral")
    body = alice_client.get(f"/api/v1/reviews/{analysis.review_id}/").json()
    assert body["analysis"]["label"] == "neutral"


def test_merchant_corrects_a_label(alice_client, store):
    review = factories.ReviewFactory(store=store)
    response = alice_client.post(f"/api/v1/reviews/{review.pk}/correct/", {"label": "negative"}, format="json")
    assert response.status_code == 200
    review.refresh_from_db()
    assert review.corrected_label == "negative"


def test_viewer_cannot_correct(victor_client, store):
    review = factories.ReviewFactory(store=store)
    response = victor_client.post(f"/api/v1/reviews/{review.pk}/correct/", {"label": "negative"}, format="json")
    assert response.status_code == 403


def test_rescoring_answers_202_with_a_job(alice_client, store):
    review = factories.ReviewFactory(store=store)
    response = alice_client.post("/api/v1/reviews/score/", {"ids": [review.pk]}, format="json")
    assert response.status_code == 202
    assert response.json()[0]["total"] == 1


def test_aspects_endpoint_reads_only_own_store(alice_client, store, other_store):
    aspects = [{"aspect": "battery", "text": "battery dies", "label": "negative", "score": -0.9}]
    factories.ReviewAnalysisFactory(review=factories.ReviewFactory(store=store), aspects=aspects)
    theirs = [{"aspect": "fit", "text": "fits", "label": "positive", "score": 0.9}]
    factories.ReviewAnalysisFactory(review=factories.ReviewFactory(store=other_store), aspects=theirs)
    body = alice_client.get("/api/v1/review-insights/aspects/").json()
    assert [(a["aspect"], a["negative"], a["complaints"]) for a in body] == [("battery", 1, ["battery dies"])]


def test_filter_on_another_store_finds_nothing(alice_client, other_store):
    factories.ReviewAnalysisFactory(review=factories.ReviewFactory(store=other_store))
    body = alice_client.get(f"/api/v1/review-insights/trends/?store={other_store.pk}").json()
    assert body["overview"]["reviews"] == 0


def test_trends_per_week(alice_client, store):
    factories.ReviewAnalysisFactory(review=factories.ReviewFactory(store=store, rating=4), label="positive")
    body = alice_client.get("/api/v1/review-insights/trends/?bucket=week&days=30").json()
    assert body["periods"][0]["positive"] == 1.0
    assert body["ratings"]["4"] == 1


@pytest.mark.parametrize("query", ["days=abc", "bucket=year", "store=-1"])
def test_bad_insight_filters_are_a_400(alice_client, query):
    assert alice_client.get(f"/api/v1/review-insights/trends/?{query}").status_code == 400


def test_alerts_of_another_store_are_hidden(alice_client, other_store):
    alert = factories.AlertFactory(store=other_store)
    assert alice_client.get(f"/api/v1/review-alerts/{alert.pk}/").status_code == 404
    assert alice_client.post(f"/api/v1/review-alerts/{alert.pk}/resolve/").status_code == 404


def test_resolving_an_alert(alice_client, store):
    alert = factories.AlertFactory(store=store)
    assert alice_client.post(f"/api/v1/review-alerts/{alert.pk}/resolve/").json()["status"] == "resolved"
