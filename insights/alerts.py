"""Alerts: a product whose negative share rises clearly above its own baseline, and reviews
whose text contradicts their stars. Each alert says why (aspects, reviews)."""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ecomops.tenancy.models import Store
from insights.models import Alert, Review, ReviewAnalysis

RECENT_DAYS = 14  # the window compared with the product's own history
BASELINE_DAYS = 180
MIN_RECENT_REVIEWS = 5
# "Clearly above": the rise is at least 15 points and a one-sided two-proportion
# z-test says z >= 2 (~2.3% chance of a rise this large with no change).
MIN_RISE = 0.15
MIN_Z = 2.0


def flag_rating_mismatch(*, review: Review, analysis: ReviewAnalysis) -> Alert:
    """One alert per review whose text reads opposite to its stars."""
    reads = "positive" if analysis.score > 0 else "negative"
    message = f"{review.rating}★ review reads {reads} ({analysis.score:+.2f}): “{review.text[:160]}”"
    try:
        with transaction.atomic():
            alert, _ = Alert.objects.get_or_create(
                review=review,
                kind=Alert.Kind.RATING_MISMATCH,
                defaults={
                    "store_id": review.store_id,
                    "product_id": review.product_id,
                    "message": message,
                    "details": {"rating": review.rating, "score": analysis.score, "review_ids": [review.pk]},
                },
            )
    except IntegrityError:
        alert = Alert.objects.get(review=review, kind=Alert.Kind.RATING_MISMATCH)
    return alert


def check_negative_spikes(*, store: Store, product_ids: set[int], now=None) -> list[Alert]:
    return [a for pid in sorted(product_ids) if (a := check_negative_spike(store=store, product_id=pid, now=now))]


def check_negative_spike(*, store: Store, product_id: int, now=None) -> Alert | None:
    """Open (or refresh) the product's spike alert when its recent negative share rose clearly."""
    now = now or timezone.now()
    cut = now - timedelta(days=RECENT_DAYS)
    analyses = (
        ReviewAnalysis.objects.for_store(store)
        .filter(
            review__product_id=product_id,
            review__written_at__gte=cut - timedelta(days=BASELINE_DAYS),
            review__written_at__lte=now,
        )
        .select_related("review")
    )
    recent = [a for a in analyses if a.review.written_at >= cut]
    before = [a for a in analyses if a.review.written_at < cut]
    if len(recent) < MIN_RECENT_REVIEWS or not before:
        return None
    rise = negative_rise(recent=[a.label for a in recent], before=[a.label for a in before])
    if rise is None:
        return None
    recent_share, base_share, z = rise
    negatives = sorted((a for a in recent if a.label == "negative"), key=lambda a: a.score)
    aspects = Counter(m["aspect"] for a in negatives for m in a.aspects if m.get("label") == "negative")
    why = ", ".join(f"{name} ({n})" for name, n in aspects.most_common(3)) or "no single aspect"
    details = {
        "recent_negative_share": round(recent_share, 3),
        "baseline_negative_share": round(base_share, 3),
        "z": round(z, 2),
        "recent_reviews": len(recent),
        "baseline_reviews": len(before),
        "aspects": dict(aspects.most_common(5)),
        "review_ids": [a.review_id for a in negatives[:10]],
    }
    message = (
        f"{recent_share:.0%} of the last {len(recent)} reviews are negative (usually {base_share:.0%}); "
        f"complaints about {why}."
    )
    return _upsert_spike(store=store, product_id=product_id, message=message, details=details)


def negative_rise(*, recent: list[str], before: list[str]) -> tuple[float, float, float] | None:
    """(recent share, baseline share, z) when the negative share rose clearly, else None."""
    p1 = recent.count("negative") / len(recent)
    p0 = before.count("negative") / len(before)
    pooled = (recent.count("negative") + before.count("negative")) / (len(recent) + len(before))
    spread = math.sqrt(max(pooled * (1 - pooled), 1e-9) * (1 / len(recent) + 1 / len(before)))
    z = (p1 - p0) / spread
    return (p1, p0, z) if p1 - p0 >= MIN_RISE and z >= MIN_Z else None


def _upsert_spike(*, store: Store, product_id: int, message: str, details: dict) -> Alert:
    values = {"message": message, "details": details}
    lookup = {"store": store, "product_id": product_id, "kind": Alert.Kind.NEGATIVE_SPIKE, "status": Alert.Status.OPEN}
    try:
        with transaction.atomic():
            return Alert.objects.update_or_create(**lookup, defaults=values)[0]
    except IntegrityError:
        return Alert.objects.update_or_create(**lookup, defaults=values)[0]


def resolve_alerts(*, user, alerts) -> int:
    ids = alerts.values("pk") if hasattr(alerts, "values") else alerts
    return (
        Alert.objects.writable_by(user)
        .filter(pk__in=ids, status=Alert.Status.OPEN)
        .update(status=Alert.Status.RESOLVED, updated_at=timezone.now())
    )
