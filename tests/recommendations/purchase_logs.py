"""Hand-made purchase logs for the engine and feature tests (no Django, no database)."""

from __future__ import annotations

from datetime import datetime, timedelta

from recommendations.event_log import Events

DAY_ONE = datetime(2024, 1, 1, 9, 0)


def purchases(*baskets: tuple[str, int, list[str]]) -> Events:
    """Events from (customer, day, products) baskets; one basket per customer and day."""
    rows = [(customer, product, DAY_ONE + timedelta(days=day), "purchase")
            for customer, day, products in baskets for product in products]  # fmt: skip
    return Events.from_rows(rows)
