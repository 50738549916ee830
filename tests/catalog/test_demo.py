"""`load_demo`: a varied demo catalogue, idempotent, and a merchant who sees only their own store."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from catalog.models import BrandVoice, Category, Product
from ecomops.jobs.models import Job
from ecomops.tenancy.models import Membership, Store
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-123"
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def load(**options) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def output(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    return load()


@pytest.fixture
def demo_store(output):
    return Store.objects.get(slug="demo")


def snapshot() -> dict:
    models = (Store, Category, Product, BrandVoice, Membership, Job, get_user_model())
    return {
        "counts": {model.__name__: model.objects.count() for model in models},
        "products": sorted(
            Product.objects.values_list(
                "store__slug",
                "sku",
                "title",
                "category__name",
                "attributes",
                "price",
                "stock",
                "is_published",
                "description",
            )
        ),
    }


def test_running_twice_leaves_the_same_data(output):
    # given
    before = snapshot()
    # when
    load()
    # then
    assert snapshot() == before


def test_demo_store_has_a_few_hundred_products_over_several_categories(demo_store):
    products = Product.objects.for_store(demo_store)
    assert demo_store.currency == "EUR"
    assert 300 <= products.count() <= 400
    assert Category.objects.for_store(demo_store).count() >= 8
    assert not products.filter(category__isnull=True).exists()
    assert set(products.values_list("category__store", flat=True)) == {demo_store.pk}
    assert products.values("title").distinct().count() == products.count()


def test_attributes_vary_and_fit_the_category(demo_store):
    rows = list(Product.objects.for_store(demo_store).values_list("category__name", "attributes"))
    assert all(attrs.get("brand") and attrs.get("type") for _, attrs in rows)
    assert len({attrs["brand"] for _, attrs in rows}) >= 30
    assert len({attrs["type"] for _, attrs in rows}) >= 50
    assert len({attrs.get("colour") for _, attrs in rows}) >= 30
    assert len({frozenset(attrs) for _, attrs in rows}) >= 20  # attribute keys differ from category to category
    by_category = {}
    for category, attrs in rows:
        by_category.setdefault(category, []).append(attrs)
    assert all("origin" in a and ("roast" in a or "Coffee" not in a["type"]) for a in by_category["Coffee & tea"])
    assert all("age_range" in a for a in by_category["Toys"])
    assert all("fit" in a or a["type"] == "Beanie" for a in by_category["Apparel"])
    assert all(a["size"].startswith("EU ") for a in by_category["Footwear"])


def test_stock_publication_and_existing_copy_vary(demo_store):
    products = Product.objects.for_store(demo_store)
    total = products.count()
    assert 0 < products.filter(stock=0).count() < total / 5
    assert 0 < products.filter(is_published=False).count() < total / 10
    described = products.exclude(description="")
    assert 0 < described.count() < total / 3  # most products have none, so "Generate copy" makes sense
    assert products.values("price").distinct().count() > 100


def test_existing_descriptions_state_only_the_products_facts(demo_store):
    for product in Product.objects.for_store(demo_store).exclude(description=""):
        facts = " ".join(str(v) for v in product.attributes.values())
        assert set(NUMBER.findall(product.description)) <= set(NUMBER.findall(facts)), product.description
        assert product.attributes["brand"] in product.description


def test_brand_voice_for_the_demo_store(demo_store):
    voice = BrandVoice.objects.get(store=demo_store)
    assert voice.tone and voice.audience and voice.words_to_avoid
    assert voice.target_words >= 10


def test_merchants_own_their_store_and_are_not_superusers(output):
    for username, slug in (("merchant", "demo"), ("harbor", "harbor")):
        user = get_user_model().objects.get(username=username)
        assert user.is_staff and not user.is_superuser
        assert Membership.objects.get(user=user).store.slug == slug
        assert user.memberships.get().role == Membership.Role.OWNER


def test_merchant_sees_only_the_demo_stores_products_in_the_admin(client, demo_store):
    # given
    assert client.login(username="merchant", password=PASSWORD)
    url = reverse("admin:catalog_product_changelist")
    # when
    response = client.get(url)
    # then
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.result_count == Product.objects.for_store(demo_store).count()
    assert set(changelist.queryset.values_list("store__slug", flat=True)) == {"demo"}
    assert client.get(url, {"q": "HH-"}).context["cl"].result_count == 0
    harbors = Product.objects.filter(store__slug="harbor").first()
    assert client.get(reverse("admin:catalog_product_change", args=[harbors.pk])).status_code != 200


def test_harbor_merchant_sees_only_harbor_products(client, output):
    assert client.login(username="harbor", password=PASSWORD)
    response = client.get(reverse("admin:catalog_product_changelist"))
    assert set(response.context["cl"].queryset.values_list("store__slug", flat=True)) == {"harbor"}
    assert 0 < response.context["cl"].result_count < 30


def test_output_names_the_admin_the_login_and_the_counts(output, demo_store):
    assert "http://127.0.0.1:8000/admin/" in output
    assert f"merchant / {PASSWORD}" in output
    assert f"{Product.objects.for_store(demo_store).count()} products" in output


def test_generated_password_is_printed_once_and_kept_on_the_next_run(client, monkeypatch):
    # given
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    password = re.search(r"merchant / (\S+)", load()).group(1)
    # when
    again = load()
    # then
    assert password not in again and "unchanged" in again
    assert client.login(username="merchant", password=password)


def test_reset_password_prints_a_new_working_password(client, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    first = re.search(r"merchant / (\S+)", load()).group(1)
    second = re.search(r"merchant / (\S+)", load(reset_password=True)).group(1)
    assert second != first
    assert client.login(username="merchant", password=second)
    assert not client.login(username="merchant", password=first)


def test_loading_queues_no_copy_jobs_even_with_the_new_product_hook_on(monkeypatch, django_capture_on_commit_callbacks):
    # given
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    store = factories.StoreFactory(slug="demo", name="Northwind Outfitters", auto_describe_new_products=True)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        load()
    # then
    assert Product.objects.for_store(store).count() >= 300
    assert Job.objects.count() == 0
    store.refresh_from_db()
    assert store.auto_describe_new_products  # the merchant's setting is left alone
