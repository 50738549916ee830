"""A small store with a purchase history, and a helper that trains it synchronously."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from recommendations.models import Interaction, RecommenderRun
from recommendations.services import train_store
from tests import factories


@pytest.fixture
def shop(store):
    """Products of two categories; tent and stakes are bought together, and everyone rebuys gas."""
    camping = factories.CategoryFactory(store=store, name="Camping")
    cooking = factories.CategoryFactory(store=store, name="Cooking")
    titles = {"tent": camping, "stakes": camping, "lamp": camping, "gas": cooking, "stove": cooking, "pan": cooking}
    products = {key: factories.ProductFactory(store=store, title=f"Trail {key}", category=cat)
                for key, cat in titles.items()}  # fmt: skip
    start = timezone.now() - timedelta(days=60)
    rows = []
    for n in range(8):
        customer = f"cust-{n}"
        for order in range(3):
            basket = ["gas", "tent", "stakes"] if order == 0 else ["gas", "stove" if n % 2 else "pan"]
            rows += [Interaction(store=store, customer_ref=customer, product=products[key], kind="purchase",
                                 occurred_at=start + timedelta(days=order * 10 + n)) for key in basket]  # fmt: skip
    Interaction.objects.bulk_create(rows)
    return products


def run_training(store) -> RecommenderRun:
    run = RecommenderRun.objects.create(store=store)
    train_store(run_id=run.pk)
    run.refresh_from_db()
    return run


@pytest.fixture
def trained_shop(shop, store):
    run_training(store)
    return shop
