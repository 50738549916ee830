"""Offline metrics and the evaluation split on tiny known cases (no Django, no database)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest

from recommendations.event_log import Events
from recommendations.metrics import coverage, evaluate, hit_rate_and_ndcg, split_last_order

DAY_ONE = datetime(2024, 1, 1, 9, 0)


def purchases(*baskets: tuple[str, int, list[str]]) -> Events:
    rows = [(customer, product, DAY_ONE + timedelta(days=day), "purchase")
            for customer, day, products in baskets for product in products]  # fmt: skip
    return Events.from_rows(rows)


def test_hit_rate_and_ndcg_on_a_known_case():
    # given: ann's only held-out product is second in her list; bob's list misses
    recommended = {"ann": ["x", "y", "z"], "bob": ["p", "q"]}
    held_out = {"ann": {"y"}, "bob": {"r", "s"}}
    # when
    hit_rate, ndcg = hit_rate_and_ndcg(recommended, held_out, k=3)
    # then: ann's DCG is 1/log2(3) over an ideal of 1
    assert hit_rate == 0.5
    assert ndcg == pytest.approx((1 / math.log2(3)) / 2)


def test_ideal_dcg_counts_at_most_k_held_out_products():
    # given: three held-out products, k = 2, both slots hit
    hit_rate, ndcg = hit_rate_and_ndcg({"ann": ["x", "y"]}, {"ann": {"x", "y", "z"}}, k=2)
    # then
    assert (hit_rate, ndcg) == (1.0, pytest.approx(1.0))


def test_only_the_first_k_recommendations_count():
    hit_rate, ndcg = hit_rate_and_ndcg({"ann": ["a", "b", "x"]}, {"ann": {"x"}}, k=2)
    assert (hit_rate, ndcg) == (0.0, 0.0)


def test_coverage_is_distinct_recommended_products_over_the_catalogue():
    assert coverage({"ann": ["x", "y"], "bob": ["y", "z"]}, k=2, catalogue_size=6) == 0.5


def test_split_holds_out_the_last_order_deduplicated_and_keeps_one_order_customers():
    # given: ann bought tea twice on one line each in her last order; bob has one order
    events = purchases(("ann", 0, ["tea", "mug"]), ("ann", 3, ["tea", "tea", "jam"]), ("bob", 1, ["tea"]))
    # when
    split = split_last_order(events)
    # then
    assert split.held_out == {"ann": {"tea", "jam"}}
    assert sorted(zip(split.train.customer.tolist(), split.train.product.tolist(), strict=True)) == [
        ("ann", "mug"), ("ann", "tea"), ("bob", "tea"),
    ]  # fmt: skip


def test_evaluate_scores_the_model_and_every_baseline():
    # given: everyone rebuys their own staple; popularity alone cannot know whose it is
    baskets = [(f"c{n}", day, [f"staple{n % 5}", f"extra{(n + day) % 7}"]) for n in range(20) for day in range(3)]
    # when
    results = evaluate(purchases(*baskets), k=2)
    # then
    assert set(results) == {"ranker", "own_then_popular", "popularity", "item_knn"}
    assert results["own_then_popular"]["hit_rate"] == 1.0
    assert results["ranker"]["hit_rate"] == 1.0
    assert results["popularity"]["hit_rate"] < 1.0
    assert all(0.0 <= scores["coverage"] <= 1.0 for scores in results.values())


def test_split_drops_what_the_customer_did_between_the_previous_and_the_held_out_order():
    # given: ann viewed the jam an hour before ordering it
    events = Events.from_rows([
        ("ann", "tea", "2024-01-01T10:00:00", "purchase"),
        ("ann", "jam", "2024-01-05T09:00:00", "view"),
        ("ann", "jam", "2024-01-05T10:00:00", "purchase"),
    ])  # fmt: skip
    # when
    split = split_last_order(events)
    # then
    assert split.held_out == {"ann": {"jam"}}
    assert split.train.product.tolist() == ["tea"]
