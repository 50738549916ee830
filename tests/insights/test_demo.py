from __future__ import annotations

import pytest

from insights import demo
from insights.models import Review
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_reviews_are_varied_and_loaded_once(store):
    category = factories.CategoryFactory(store=store, name="Electronics accessories")
    factories.ProductFactory(store=store, category=category)
    factories.ProductFactory(store=store)

    first = demo.load(store=store, count=300)
    second = demo.load(store=store, count=300)

    assert len(first) == 360 and second == []
    ratings = set(Review.objects.values_list("rating", flat=True))
    assert ratings == {1, 2, 3, 4, 5}
    bodies = list(Review.objects.values_list("body", flat=True))
    assert len(set(bodies)) > 100
    assert any(b in demo.SARCASTIC for b in bodies) and any(b in demo.OFF_TOPIC for b in bodies)
