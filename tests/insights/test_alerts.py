from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from insights.alerts import check_negative_spike, negative_rise, resolve_alerts
from insights.models import Alert
from insights.reports import write_weekly_report
from tests import factories

pytestmark = pytest.mark.django_db


def _analysed(store, product, *, days_ago: float, label: str, aspects=()):
    review = factories.ReviewFactory(store=store, product=product, written_at=timezone.now() - timedelta(days=days_ago))
    factories.ReviewAnalysisFactory(
        review=review,
        label=label,
        score={"negative": -0.9}.get(label, 0.9),
        aspects=[{"aspect": a, "text": f"the {a}", "label": "negative", "score": -0.9} for a in aspects],
    )
    return review


def _history(store, product, *, recent_negative: int, recent_positive: int):
    for i in range(30):  # a calm baseline: 1 in 10 negative
        _analysed(store, product, days_ago=20 + i, label="negative" if i % 10 == 0 else "positive")
    for i in range(recent_negative):
        _analysed(store, product, days_ago=1 + i * 0.5, label="negative", aspects=["battery"])
    for i in range(recent_positive):
        _analysed(store, product, days_ago=2 + i * 0.5, label="positive")


def test_rising_negative_share_opens_an_alert_that_says_why(store, product):
    _history(store, product, recent_negative=6, recent_positive=2)

    alert = check_negative_spike(store=store, product_id=product.pk)

    assert alert.kind == Alert.Kind.NEGATIVE_SPIKE
    assert "battery" in alert.message
    assert len(alert.details["review_ids"]) == 6
    assert alert.details["baseline_negative_share"] == pytest.approx(0.1)


def test_usual_negative_share_opens_no_alert(store, product):
    _history(store, product, recent_negative=1, recent_positive=8)

    assert check_negative_spike(store=store, product_id=product.pk) is None


def test_checking_again_keeps_one_open_alert(store, product):
    _history(store, product, recent_negative=6, recent_positive=2)

    check_negative_spike(store=store, product_id=product.pk)
    check_negative_spike(store=store, product_id=product.pk)

    assert Alert.objects.filter(product=product, status="open").count() == 1


def test_rise_needs_significance_not_just_a_bigger_share():
    assert negative_rise(recent=["negative", "positive"], before=["negative", "positive", "positive"]) is None
    assert negative_rise(recent=["negative"] * 8 + ["positive"] * 2, before=["positive"] * 27 + ["negative"] * 3)


def test_few_recent_reviews_open_no_alert(store, product):
    _history(store, product, recent_negative=3, recent_positive=0)

    assert check_negative_spike(store=store, product_id=product.pk) is None


def test_resolving_needs_a_writer(store, alice, victor):
    alert = factories.AlertFactory(store=store)

    assert resolve_alerts(user=victor, alerts=[alert.pk]) == 0
    assert resolve_alerts(user=alice, alerts=[alert.pk]) == 1
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED


def test_weekly_report_is_written_from_the_figures_once_per_week(store, product):
    today = timezone.localdate()
    last_week = timezone.now() - timedelta(days=today.weekday() + 4)
    review = factories.ReviewFactory(store=store, product=product, rating=2, written_at=last_week)
    factories.ReviewAnalysisFactory(
        review=review,
        label="negative",
        score=-0.8,
        aspects=[{"aspect": "delivery", "text": "late again", "label": "negative", "score": -0.8}],
    )

    report = write_weekly_report(store=store)
    again = write_weekly_report(store=store)

    assert report.pk == again.pk
    assert "1 reviews" in report.text
    assert "Complaints about delivery: 1" in report.text
