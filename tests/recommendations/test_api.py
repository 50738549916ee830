from __future__ import annotations

import pytest

from recommendations.models import Interaction, RecommenderRun

pytestmark = pytest.mark.django_db


def test_storefront_posts_a_batch_of_events_with_its_key(storefront_client, product, store):
    events = [{"customer": "web-7", "product": product.pk, "kind": kind} for kind in ("view", "cart", "purchase")]
    # when
    response = storefront_client.post("/api/v1/interactions/", {"events": events}, format="json")
    # then
    assert response.status_code == 201, response.content
    assert response.json() == {"recorded": 3}
    assert Interaction.objects.filter(store=store, customer_ref="web-7").count() == 3


def test_events_naming_another_stores_product_are_refused_whole(storefront_client, product, charlies_product):
    events = [{"customer": "web-7", "product": pk, "kind": "view"} for pk in (product.pk, charlies_product.pk)]
    # when
    response = storefront_client.post("/api/v1/interactions/", {"events": events}, format="json")
    # then
    assert response.status_code == 400
    assert not Interaction.objects.exists()


def test_event_with_unknown_kind_answers_400_with_the_field(storefront_client, product):
    events = [{"customer": "web-7", "product": product.pk, "kind": "wishlist"}]
    response = storefront_client.post("/api/v1/interactions/", {"events": events}, format="json")
    assert response.status_code == 400
    assert "events" in response.json()


def test_similar_products_answer_from_the_live_run(alice_client, trained_shop):
    # when
    response = alice_client.get(f"/api/v1/recommendations/products/{trained_shop['tent'].pk}/similar/?k=3")
    # then
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 3 and trained_shop["tent"].pk not in [row["product"] for row in rows]


def test_bought_together_over_a_storefront_key(storefront_client, trained_shop):
    response = storefront_client.get(f"/api/v1/recommendations/products/{trained_shop['tent'].pk}/bought-together/")
    assert response.status_code == 200
    assert {row["product"] for row in response.json()} == {trained_shop["gas"].pk, trained_shop["stakes"].pk}


def test_customer_picks_carry_their_reason(storefront_client, trained_shop):
    response = storefront_client.get("/api/v1/recommendations/picks/?customer=cust-1&k=5")
    assert response.status_code == 200
    first = response.json()[0]
    assert (first["product"], first["reason"]) == (trained_shop["gas"].pk, "repeat")


def test_other_stores_product_answers_404(charlie_client, trained_shop):
    response = charlie_client.get(f"/api/v1/recommendations/products/{trained_shop['tent'].pk}/similar/")
    assert response.status_code == 404


def test_other_stores_picks_answer_404(charlie_client, trained_shop, store):
    response = charlie_client.get(f"/api/v1/recommendations/picks/?customer=cust-1&store={store.pk}")
    assert response.status_code == 404


def test_k_out_of_range_answers_400(alice_client, trained_shop):
    response = alice_client.get(f"/api/v1/recommendations/products/{trained_shop['tent'].pk}/similar/?k=0")
    assert response.status_code == 400


def test_owner_queues_a_training_run(alice_client, store, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = alice_client.post("/api/v1/recommender-runs/", {}, format="json")
    assert response.status_code == 202, response.content
    assert RecommenderRun.objects.get(pk=response.json()["id"]).store == store


def test_viewer_cannot_queue_a_training_run(victor_client):
    response = victor_client.post("/api/v1/recommender-runs/", {}, format="json")
    assert response.status_code == 403


def test_runs_of_other_stores_are_hidden(charlie_client, trained_shop, store):
    run = RecommenderRun.objects.get(store=store)
    assert charlie_client.get(f"/api/v1/recommender-runs/{run.pk}/").status_code == 404
    assert charlie_client.get("/api/v1/recommender-runs/").json()["results"] == []
