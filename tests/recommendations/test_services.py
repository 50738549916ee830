from __future__ import annotations

from unittest import mock

import pytest

from recommendations.models import CustomerPick, RecommendationRules, RecommenderRun, SimilarProduct
from recommendations.services import (
    bought_together,
    customer_picks,
    record_order,
    refresh_all_stores,
    request_training,
    similar_products,
)
from tests import factories
from tests.recommendations.conftest import run_training

pytestmark = pytest.mark.django_db


def test_successful_run_goes_live_with_every_kind_of_recommendation(shop, store):
    # when
    run = run_training(store)
    # then
    assert (run.state, run.is_live) == (RecommenderRun.State.SUCCEEDED, True)
    assert {r.product for r in bought_together(product=shop["tent"], k=5)} == {shop["gas"], shop["stakes"]}
    assert shop["tent"] not in [r.product for r in similar_products(product=shop["tent"], k=5)]
    assert customer_picks(store=store, customer_ref="cust-1", k=1)[0].product == shop["gas"]


def test_failed_run_leaves_the_live_recommendations_in_place(trained_shop, store):
    live_before = RecommenderRun.objects.get(store=store, is_live=True)
    # when: the next run breaks half-way through storing
    with mock.patch("recommendations.services._store_together", side_effect=RuntimeError("disk full")):
        failed = run_training(store)
    # then
    assert (failed.state, failed.is_live, failed.error) == ("failed", False, "RuntimeError: disk full")
    assert RecommenderRun.objects.get(store=store, is_live=True) == live_before
    assert not CustomerPick.objects.filter(run=failed).exists()
    assert customer_picks(store=store, customer_ref="cust-1", k=1)


def test_new_run_replaces_the_old_runs_rows(trained_shop, store):
    # when
    second = run_training(store)
    # then
    assert set(SimilarProduct.objects.filter(store=store).values_list("run", flat=True)) == {second.pk}


def test_run_records_offline_metrics_when_enough_customers_return(store):
    products = [factories.ProductFactory(store=store) for _ in range(5)]
    for n in range(25):
        for day in (1, 2):
            record_order(store=store, customer_ref=f"c{n}", product_ids=[products[n % 5].pk], ordered_at=_day(day))
    # when
    run = run_training(store)
    # then
    assert set(run.metrics) == {"ranker", "own_then_popular", "popularity", "item_knn"}
    assert run.metrics["own_then_popular"]["hit_rate"] == 1.0


def test_out_of_stock_and_unpublished_products_are_not_served(trained_shop, store):
    trained_shop["gas"].stock = 0
    trained_shop["gas"].save()
    trained_shop["stakes"].is_published = False
    trained_shop["stakes"].save()
    # when
    served = {r.product for r in customer_picks(store=store, customer_ref="cust-1", k=10)}
    # then
    assert served and not served & {trained_shop["gas"], trained_shop["stakes"]}


def test_buried_category_sinks_and_boosted_category_rises(trained_shop, store):
    rules = RecommendationRules.objects.create(store=store, boost_factor=100)
    rules.buried_categories.add(trained_shop["gas"].category)
    # when
    first = customer_picks(store=store, customer_ref="cust-1", k=1)[0]
    # then
    assert first.product.category == trained_shop["tent"].category


def test_cap_per_category_is_respected(trained_shop, store):
    RecommendationRules.objects.create(store=store, max_per_category=1)
    # when
    picks = customer_picks(store=store, customer_ref="cust-1", k=10)
    # then
    categories = [r.product.category_id for r in picks]
    assert len(categories) == len(set(categories)) == 2


def test_unknown_customer_gets_the_store_wide_popular_list(trained_shop, store):
    picks = customer_picks(store=store, customer_ref="someone-new", k=3)
    assert picks[0].product == trained_shop["gas"]
    assert {p.reason for p in picks} == {"popular"}


def test_picks_explain_an_unbought_product_by_what_led_to_it(trained_shop, store):
    # cust-1 bought stove, never pan; buyers of tent and gas also buy pan
    picks = customer_picks(store=store, customer_ref="cust-1", k=10)
    pan = next(p for p in picks if p.product == trained_shop["pan"])
    assert pan.reason == "similar" and pan.explanation.startswith("because you bought Trail ")


def test_viewer_may_not_request_training(store, victor):
    with pytest.raises(Exception, match="may not change"):
        request_training(user=victor, store=store)


def test_nightly_refresh_queues_one_run_per_store_with_events(
    shop, store, other_store, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        run_ids = refresh_all_stores()
    # then: the eager task trained it
    run = RecommenderRun.objects.get(pk__in=run_ids)
    assert (run.store, run.trigger, run.state) == (store, "nightly", "succeeded")


def _day(day: int):
    from datetime import datetime, timedelta

    from django.utils import timezone

    return timezone.make_aware(datetime(2024, 1, 1)) + timedelta(days=day)


def test_orders_of_the_support_app_count_as_purchases_and_cancelled_ones_do_not(store):
    from support.models import Order, OrderLine

    boots, socks = factories.ProductFactory(store=store), factories.ProductFactory(store=store)
    customer = factories.CustomerFactory(store=store)
    for day, status, product in ((1, "delivered", boots), (2, "delivered", boots), (3, "cancelled", socks)):
        order = factories.OrderFactory(store=store, customer=customer, status=status, placed_at=_day(day))
        OrderLine.objects.create(store=store, order=order, product=product, title=product.title)
    # when
    run_training(store)
    # then
    assert customer_picks(store=store, customer_ref=str(customer.pk), k=1)[0].product == boots
    assert Order.objects.count() == 3
