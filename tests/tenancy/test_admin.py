import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_admin(client, alice):
    client.force_login(alice)
    return client


def test_product_changelist_lists_only_own_store(alice_admin, product, charlies_product):
    response = alice_admin.get("/admin/catalog/product/")
    assert response.status_code == 200
    assert product.title in response.text
    assert charlies_product.title not in response.text


def test_other_stores_product_page_is_not_reachable(alice_admin, charlies_product):
    response = alice_admin.get(f"/admin/catalog/product/{charlies_product.pk}/change/")
    # Django's admin redirects to the index with "doesn't exist" for objects outside the queryset
    assert response.status_code == 302
    assert charlies_product.title not in alice_admin.get(response.url).text


def test_category_choices_are_limited_to_own_store(alice_admin, store, other_store):
    own = factories.CategoryFactory(store=store, name="Tents")
    factories.CategoryFactory(store=other_store, name="Saucepans")
    page = alice_admin.get("/admin/catalog/product/add/").text
    assert own.name in page
    assert "Saucepans" not in page


def test_viewer_cannot_open_add_page(client, victor):
    client.force_login(victor)
    assert client.get("/admin/catalog/product/add/").status_code == 403


def test_job_list_hides_other_stores_jobs(alice_admin, store, other_store):
    mine = factories.JobFactory(store=store, kind="catalog.mine")
    factories.JobFactory(store=other_store, kind="catalog.theirs")
    page = alice_admin.get("/admin/jobs/job/").text
    assert mine.kind in page
    assert "catalog.theirs" not in page


def test_creating_api_key_shows_secret_once(alice_admin, store):
    response = alice_admin.post(
        "/admin/tenancy/apikey/add/", {"store": store.pk, "name": "app", "active": "on"}, follow=True
    )
    assert "shown only once" in response.text
    assert store.api_keys.get().name == "app"


def test_running_job_page_refreshes_itself(alice_admin, store):
    running = factories.JobFactory(store=store, total=4, state="running")
    finished = factories.JobFactory(store=store, total=4, done=4, state="succeeded")
    assert 'http-equiv="refresh"' in alice_admin.get(f"/admin/jobs/job/{running.pk}/change/").text
    assert 'http-equiv="refresh"' not in alice_admin.get(f"/admin/jobs/job/{finished.pk}/change/").text


def test_list_filters_name_no_other_store(alice_admin, product, charlies_product):
    page = alice_admin.get("/admin/catalog/product/").text
    assert charlies_product.store.name not in page
    assert charlies_product.category.name not in page


def test_login_page_renders_for_anonymous_visitors(client):
    assert client.get("/admin/login/").status_code == 200


def test_site_root_leads_to_the_admin(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/admin/"
