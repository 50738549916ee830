import pytest

from recommendations.models import RecommenderRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_admin(client, alice):
    client.force_login(alice)
    return client


def test_product_page_lists_similar_and_bought_together_products(alice_admin, trained_shop):
    response = alice_admin.get(f"/admin/catalog/product/{trained_shop['tent'].pk}/change/")
    assert response.status_code == 200
    assert "Similar products" in response.text and "Bought together" in response.text
    assert trained_shop["stakes"].title in response.text


def test_customer_picks_page_shows_the_reason(alice_admin, trained_shop):
    response = alice_admin.get("/admin/recommendations/customerpick/?q=cust-1")
    assert response.status_code == 200
    assert "because you bought Trail " in response.text


def test_run_page_shows_its_metrics(alice_admin, trained_shop, store):
    run = RecommenderRun.objects.get(store=store)
    response = alice_admin.get(f"/admin/recommendations/recommenderrun/{run.pk}/change/")
    assert response.status_code == 200
    assert "Offline metrics" in response.text


def test_train_again_action_queues_a_run(alice_admin, trained_shop, store, django_capture_on_commit_callbacks):
    run = RecommenderRun.objects.get(store=store)
    with django_capture_on_commit_callbacks(execute=False):
        alice_admin.post(
            "/admin/recommendations/recommenderrun/", {"action": "train_again", "_selected_action": [run.pk]}
        )
    assert RecommenderRun.objects.filter(store=store, state="queued").count() == 1


def test_other_stores_runs_are_not_listed(client, charlie, trained_shop, store):
    client.force_login(charlie)
    run = RecommenderRun.objects.get(store=store)
    response = client.get(f"/admin/recommendations/recommenderrun/{run.pk}/change/")
    assert response.status_code in (302, 404)


def test_customer_page_shows_their_picks(alice_admin, store):
    from support.models import OrderLine
    from tests import factories
    from tests.recommendations.conftest import run_training

    boots = factories.ProductFactory(store=store, title="Alpine Boots")
    customer = factories.CustomerFactory(store=store)
    order = factories.OrderFactory(store=store, customer=customer)
    OrderLine.objects.create(store=store, order=order, product=boots, title=boots.title)
    run_training(store)
    # when
    response = alice_admin.get(f"/admin/support/customer/{customer.pk}/change/")
    # then
    assert response.status_code == 200
    assert "Personal picks" in response.text and "Alpine Boots" in response.text
