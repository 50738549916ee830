from __future__ import annotations

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db
URL = "/admin/insights/review/dashboard/"


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_draws_charts_from_own_store(alice, store, other_store):
    mine = factories.ReviewFactory(store=store, rating=2)
    factories.ReviewAnalysisFactory(
        review=mine,
        label="negative",
        score=-0.8,
        aspects=[{"aspect": "battery", "text": "battery died", "label": "negative", "score": -0.8}],
    )
    factories.ReviewAnalysisFactory(review=factories.ReviewFactory(store=other_store, title="Charlie secret"))
    response = _login(alice).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "chart-4.5.1.umd.min.js" in html and 'id="chart-trend"' in html
    assert "battery died" in html
    assert "Charlie secret" not in html
    assert response.context["data"]["overview"]["reviews"] == 1


def test_dashboard_filters_by_category(alice, store):
    product = factories.ProductFactory(store=store)
    factories.ReviewFactory(store=store, product=product)
    factories.ReviewFactory(store=store)
    response = _login(alice).get(URL, {"category": product.category_id, "days": ""})
    assert response.context["data"]["overview"]["reviews"] == 1


def test_csv_export_has_only_own_rows(alice, store, other_store):
    factories.ReviewAnalysisFactory(review=factories.ReviewFactory(store=store, body="=HYPERLINK(1)"))
    factories.ReviewFactory(store=other_store, body="Charlie secret")
    response = _login(alice).get(URL, {"export": "csv", "days": ""})
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Charlie secret" not in text
    assert "'=HYPERLINK(1)" in text  # formula-looking cells are defused
    assert len(text.strip().splitlines()) == 2


def test_other_stores_filter_value_is_rejected(alice, other_store):
    factories.ReviewFactory(store=other_store)
    response = _login(alice).get(URL, {"store": other_store.pk})
    assert response.context["data"]["overview"]["reviews"] == 0


def test_dashboard_needs_login():
    assert Client().get(URL).status_code == 302


def test_admin_action_queues_scoring(alice, store, django_capture_on_commit_callbacks):
    review = factories.ReviewFactory(store=store)
    with django_capture_on_commit_callbacks(execute=True):
        response = _login(alice).post(
            "/admin/insights/review/", {"action": "score_sentiment", "_selected_action": [review.pk]}
        )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.analysis.label == "positive"


def test_review_changelist_links_the_dashboard(alice, store):
    factories.ReviewFactory(store=store)
    assert URL in _login(alice).get("/admin/insights/review/").content.decode()
