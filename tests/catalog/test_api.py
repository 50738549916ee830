import pytest

from catalog.models import Product, ProductCopy
from ecomops.jobs.models import Job
from tests import factories

pytestmark = pytest.mark.django_db


def test_product_list_shows_only_own_store(alice_client, product, charlies_product):
    # when
    response = alice_client.get("/api/v1/products/")
    # then
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [product.pk]


def test_product_detail_hides_other_stores(alice_client, charlies_product):
    response = alice_client.get(f"/api/v1/products/{charlies_product.pk}/")
    assert response.status_code == 404


def test_create_product_defaults_to_callers_only_store(alice_client, store):
    response = alice_client.post(
        "/api/v1/products/",
        {"title": "Wool Beanie", "sku": "BEANIE-1", "attributes": {"colour": "Grey"}, "price": "19.00"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Product.objects.get(sku="BEANIE-1").store == store


def test_create_product_in_other_store_is_refused(alice_client, other_store):
    response = alice_client.post(
        "/api/v1/products/", {"title": "Pan", "sku": "PAN-1", "store": other_store.pk}, format="json"
    )
    assert response.status_code == 400
    assert "store" in response.json()
    assert not Product.objects.filter(sku="PAN-1").exists()


def test_create_product_with_other_stores_category_is_refused(alice_client, other_store):
    foreign = factories.CategoryFactory(store=other_store)
    response = alice_client.post(
        "/api/v1/products/", {"title": "Pan", "sku": "PAN-1", "category": foreign.pk}, format="json"
    )
    assert response.status_code == 400
    assert "category" in response.json()


def test_duplicate_sku_in_same_store_answers_400(alice_client, product):
    response = alice_client.post("/api/v1/products/", {"title": "Copy", "sku": product.sku}, format="json")
    assert response.status_code == 400
    assert "sku" in response.json()


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "x", "sku": "A", "price": "not-a-number"},
        {"title": "x", "sku": "A", "attributes": ["not", "an", "object"]},
        {"sku": "A"},
        {"title": "x", "sku": "A", "price": "1e400"},
    ],
)
def test_bad_product_input_answers_400(alice_client, store, payload):
    response = alice_client.post("/api/v1/products/", payload, format="json")
    assert response.status_code == 400


def test_viewer_cannot_change_products(victor_client, product):
    response = victor_client.patch(f"/api/v1/products/{product.pk}/", {"title": "Hacked"}, format="json")
    assert response.status_code == 403
    product.refresh_from_db()
    assert product.title != "Hacked"


def test_generate_copy_answers_202_with_job_url(alice_client, product):
    # when
    response = alice_client.post(
        "/api/v1/products/generate-copy/", {"product_ids": [product.pk], "kinds": ["description"]}, format="json"
    )
    # then
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["url"].endswith(f"/api/v1/jobs/{body['id']}/")
    assert alice_client.get(body["url"]).json()["total"] == 1


def test_generate_copy_for_other_stores_product_answers_400(alice_client, product, charlies_product):
    response = alice_client.post(
        "/api/v1/products/generate-copy/", {"product_ids": [charlies_product.pk]}, format="json"
    )
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_generate_copy_with_unknown_kind_answers_400(alice_client, product):
    response = alice_client.post(
        "/api/v1/products/generate-copy/", {"product_ids": [product.pk], "kinds": ["poem"]}, format="json"
    )
    assert response.status_code == 400
    assert "kinds" in response.json()


def test_approve_then_publish_writes_product_description(alice_client, product):
    # given
    draft = factories.ProductCopyFactory(product=product, text="A fine red jacket.")
    # when
    approved = alice_client.post("/api/v1/product-copies/approve/", {"ids": [draft.pk]}, format="json")
    published = alice_client.post("/api/v1/product-copies/publish/", {"ids": [draft.pk]}, format="json")
    # then
    assert approved.json()["approved"] == 1
    assert published.json()["published"] == 1
    product.refresh_from_db()
    assert product.description == "A fine red jacket."


def test_publish_skips_unapproved_drafts(alice_client, product):
    draft = factories.ProductCopyFactory(product=product)
    response = alice_client.post("/api/v1/product-copies/publish/", {"ids": [draft.pk]}, format="json")
    assert response.json()["published"] == 0
    assert ProductCopy.objects.get(pk=draft.pk).status == "draft"


def test_approving_other_stores_copy_changes_nothing(alice_client, charlies_product):
    foreign = factories.ProductCopyFactory(product=charlies_product)
    response = alice_client.post("/api/v1/product-copies/approve/", {"ids": [foreign.pk]}, format="json")
    assert response.json()["approved"] == 0
    assert ProductCopy.objects.get(pk=foreign.pk).status == "draft"


def test_storefront_key_reads_products_but_cannot_write(storefront_client, product, charlies_product):
    listing = storefront_client.get("/api/v1/products/")
    write = storefront_client.post("/api/v1/products/", {"title": "x", "sku": "Y"}, format="json")
    assert [row["id"] for row in listing.json()["results"]] == [product.pk]
    assert write.status_code == 403


def test_invalid_api_key_answers_401(product):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Api-Key not-a-real-key")
    assert client.get("/api/v1/products/").status_code == 401


def test_job_of_other_store_answers_404(alice_client, other_store):
    job = factories.JobFactory(store=other_store)
    assert alice_client.get(f"/api/v1/jobs/{job.pk}/").status_code == 404


def test_schema_and_docs_are_served(alice_client):
    assert alice_client.get("/api/v1/schema/").status_code == 200
    assert alice_client.get("/api/v1/docs/").status_code == 200
