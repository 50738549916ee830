"""The recommender engine on small hand-made logs (no Django, no database)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from recommendations.engine import FixedBlend, RecommenderParams, _training_rows, train
from recommendations.event_log import Events, encode_events
from recommendations.features import FEATURES
from tests.recommendations.purchase_logs import DAY_ONE, purchases


def test_repeat_purchase_ranks_first_with_its_reason():
    # given: ann rebuys coffee in every order; tea and mugs are bought once, by others
    events = purchases(("ann", 0, ["coffee", "filter"]), ("ann", 5, ["coffee"]), ("ann", 9, ["coffee", "mug"]),
                       ("bob", 1, ["tea"]), ("cid", 2, ["tea", "mug"]))  # fmt: skip
    # when
    picks = train(events).recommend(customer="ann", k=3)
    # then
    assert picks[0].product == "coffee"
    assert picks[0].reason == "repeat"


def test_unbought_neighbour_is_explained_by_the_product_that_led_to_it():
    # given: buyers of pasta also buy sauce; dan bought pasta only
    events = purchases(("eve", 0, ["pasta", "sauce"]), ("fay", 1, ["pasta", "sauce"]), ("dan", 2, ["pasta"]),
                       ("gus", 3, ["soap"]), ("gus", 4, ["soap"]), ("hal", 3, ["soap"]))  # fmt: skip
    # when
    picks = train(events).recommend(customer="dan", k=2)
    # then
    sauce = next(pick for pick in picks if pick.product == "sauce")
    assert (sauce.reason, sauce.because_of) == ("similar", "pasta")
    assert sauce.explanation() == "because you bought pasta"


def test_excluded_products_are_dropped_and_the_list_is_refilled():
    events = purchases(("ann", 0, ["coffee", "filter"]), ("ann", 5, ["coffee"]), ("bob", 1, ["tea", "mug"]))
    # when
    picks = train(events).recommend(customer="ann", k=3, exclude={"coffee"})
    # then
    products = [pick.product for pick in picks]
    assert "coffee" not in products
    assert len(products) == 3


def test_unknown_customer_gets_popular_products():
    events = purchases(("ann", 0, ["tea"]), ("bob", 1, ["tea", "mug"]), ("cid", 2, ["tea"]))
    # when
    picks = train(events).recommend(customer="nobody", k=2)
    # then
    assert [pick.product for pick in picks] == ["tea", "mug"]
    assert {pick.reason for pick in picks} == {"popular"}


def test_bought_together_keeps_pairs_at_minimum_support():
    # given: bread+butter share 3 baskets, bread+jam only 2
    events = purchases(("a", 0, ["bread", "butter", "jam"]), ("b", 0, ["bread", "butter", "jam"]),
                       ("c", 0, ["bread", "butter"]), ("d", 0, ["bread"]))  # fmt: skip
    # when
    together = train(events, params=RecommenderParams(min_support=3)).bought_together(product="bread")
    # then: confidence = shared baskets / baskets with bread
    assert together == [("butter", 0.75, 3)]


def test_bought_together_ignores_views():
    rows = [("a", "bread", DAY_ONE, "purchase"), ("a", "jam", DAY_ONE, "view")] * 3
    # when
    together = train(Events.from_rows(rows), params=RecommenderParams(min_support=1)).bought_together(product="bread")
    # then
    assert together == []


def test_bought_together_respects_exclusions():
    events = purchases(*[(c, 0, ["bread", "butter", "jam"]) for c in "abc"])
    # when
    together = train(events).bought_together(product="bread", exclude={"butter"})
    # then
    assert [product for product, _, _ in together] == ["jam"]


def test_small_log_ranks_by_fixed_blend_and_large_log_learns_a_ranker():
    small = purchases(("ann", 0, ["tea"]), ("ann", 1, ["tea"]))
    # when
    small_model, large_model = train(small), train(staples_log(customers=300))
    # then
    assert isinstance(small_model.ranker, FixedBlend)
    assert isinstance(large_model.ranker, HistGradientBoostingClassifier)


def test_learned_ranker_puts_each_customers_staple_in_their_top_three():
    events = staples_log(customers=300)
    # when
    model = train(events)
    # then: customer c<n> rebuys staple s<n % 40> in every order, among random other products
    found = [f"s{n % 40}" in [p.product for p in model.recommend(customer=f"c{n}", k=3)] for n in range(300)]
    assert np.mean(found) > 0.9


def staples_log(*, customers: int, seed: int = 0) -> Events:
    rng = np.random.default_rng(seed)
    baskets = []
    for n in range(customers):
        for order in range(int(rng.integers(3, 7))):
            others = [f"p{p}" for p in rng.choice(200, size=3, replace=False)]
            baskets.append((f"c{n}", order * 7 + n % 5, [f"s{n % 40}", *others]))
    return purchases(*baskets)


def test_events_accept_aware_timestamps_and_reject_unknown_kinds():
    aware = Events.from_rows([("a", "tea", "2024-01-01T10:00:00+02:00", "purchase")])
    assert aware.timestamp[0] == np.datetime64("2024-01-01T08:00:00")
    with pytest.raises(ValueError, match="unknown event kinds"):
        Events.from_rows([("a", "tea", "2024-01-01T10:00:00", "wishlist")])


def test_training_rows_come_from_several_earlier_orders_each_seeing_only_what_came_before_it():
    # given: every order is one product the customer never had before, from a catalogue of six
    events = purchases(*[(f"c{n}", 7 * order, [f"p{(n + order) % 6}"]) for n in range(30) for order in range(5)])
    log = encode_events(events)
    # when
    one_order, _ = _training_rows(log, params=RecommenderParams(training_orders=1))
    features, target = _training_rows(log, params=RecommenderParams(training_orders=3))
    # then: three orders give three times the positives, and no positive row knows its product as bought
    assert target.sum() == 3 * 30 and len(features) > len(one_order)
    assert np.isnan(features[target, FEATURES.index("n_bought")]).all()


def test_training_rows_stay_within_the_row_budget():
    log = encode_events(staples_log(customers=200))
    # when
    features, _ = _training_rows(log, params=RecommenderParams(ranker_rows=2_000))
    # then: customers are sampled rather than every one's candidates built and most thrown away
    assert 1_000 < len(features) < 3_000
