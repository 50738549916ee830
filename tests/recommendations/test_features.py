"""The ranker's features on small hand-made logs (no Django, no database)."""

from __future__ import annotations

import numpy as np
import pytest

from recommendations.engine import RecommenderParams
from recommendations.event_log import DAY_SECONDS, encode_events
from recommendations.features import OWN_FEATURES, Stats, _own_product_features
from tests.recommendations.purchase_logs import purchases


def test_own_features_say_how_much_of_the_recent_orders_a_product_fills_and_how_overdue_it_is():
    # given: ann's four orders hold tea in the first three and jam in the first only; the log ends on day 14
    events = purchases(("ann", 0, ["jam", "tea"]), ("ann", 4, ["tea"]), ("ann", 8, ["tea"]), ("ann", 11, ["coffee"]),
                       ("bob", 14, ["jam"]))  # fmt: skip
    log = encode_events(events)
    params = RecommenderParams(recent_baskets=3, basket_decay=0.5)
    # when
    rows = _own_product_features(log, Stats.compute(log, params=params), params=params)
    # then
    ann = {str(log.product_ids[int(row[1])]): dict(zip(OWN_FEATURES, row[2:], strict=True))
           for row in rows if log.customer_ids[int(row[0])] == "ann"}  # fmt: skip
    tea, jam, coffee = ann["tea"], ann["jam"], ann["coffee"]
    assert (tea["recent_share"], jam["recent_share"]) == (pytest.approx(2 / 3), 0.0)
    assert jam["decayed_share"] == pytest.approx(0.125 / 1.875)  # order weights 1, .5, .25, .125 from the newest
    assert (tea["own_rank"], coffee["own_rank"], jam["own_rank"]) == (0, 1, 2)  # most bought, then most recent
    # tea comes every 4 days: 3 days before ann's last order, 6 before the log's end
    assert (tea["overdue"], tea["overdue_now"]) == (pytest.approx(0.75), pytest.approx(1.5))
    assert np.isnan(jam["overdue"])  # bought once: no rhythm yet


def test_window_share_is_the_share_of_baskets_in_a_window_holding_the_product():
    # given: three days of baskets; tea on days 0 and 2
    log = encode_events(purchases(("a", 0, ["tea"]), ("b", 1, ["jam"]), ("c", 2, ["tea", "jam"])))
    stats = Stats.compute(log, params=RecommenderParams())
    tea, day = int(np.searchsorted(log.product_ids, "tea")), DAY_SECONDS
    start = stats.start_time
    # when
    shares = stats.window_share(np.array([tea, tea]), np.array([start - day, start + 5 * day]),
                                np.array([start + 2 * day, start + 9 * day]))  # fmt: skip
    # then: 2 of 3 baskets; a window without baskets is unknown, not zero
    assert shares[0] == pytest.approx(2 / 3)
    assert np.isnan(shares[1])
