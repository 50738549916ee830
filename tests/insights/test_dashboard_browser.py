"""The review dashboard in headless Chromium: the charts really draw, offline, from our static file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.test_admin import SCREENSHOTS, browser, log_in, page  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_draws_its_charts(page, live_server, alice, store, charlies_product):  # noqa: F811
    from playwright.sync_api import expect

    product = factories.ProductFactory(store=store, title="Trail Lamp")
    for week in range(8):
        for label, rating in (("positive", 5), ("negative", 1), ("neutral", 3)):
            review = factories.ReviewFactory(
                store=store, product=product, rating=rating, written_at=timezone.now() - timedelta(days=7 * week + 1)
            )
            factories.ReviewAnalysisFactory(
                review=review,
                label=label,
                score={"positive": 0.9}.get(label, -0.9),
                aspects=[
                    {
                        "aspect": "battery",
                        "text": "battery died",
                        "label": label,
                        "score": -0.9 if label == "negative" else 0.9,
                    }
                ],
            )
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    log_in(page, live_server, alice)

    page.goto(f"{live_server.url}/admin/insights/review/dashboard/")

    expect(page.locator("h1")).to_have_text("Review insights")
    for chart in ("chart-trend", "chart-aspects", "chart-ratings"):
        assert page.evaluate(f"Chart.getChart(document.getElementById('{chart}')) !== undefined")
    expect(page.locator("#kpi-reviews")).to_have_text("24")
    expect(page.locator("#content")).not_to_contain_text(charlies_product.title)
    assert external == []  # Chart.js comes from our static files: works offline
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "insights_dashboard.png"), full_page=True)
