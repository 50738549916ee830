"""The figures behind the dashboard, the API and the weekly report, from stored analyses.

Every function takes an already store-scoped queryset: callers narrow it with
`for_user` / `for_store` first, so nothing here can read another store's rows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from insights.models import Alert, Review, ReviewAnalysis

BUCKETS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def narrow(reviews, *, store_id=None, category_id=None, product_id=None, days: int | None = None):
    """Filter a scoped Review queryset by the dashboard's filters."""
    if store_id:
        reviews = reviews.filter(store_id=store_id)
    if category_id:
        reviews = reviews.filter(product__category_id=category_id)
    if product_id:
        reviews = reviews.filter(product_id=product_id)
    if days:
        reviews = reviews.filter(written_at__gte=timezone.now() - timedelta(days=days))
    return reviews


def sentiment_over_time(reviews, *, bucket: str = "week") -> list[dict]:
    """Per period: review count, share of each label, mean score and mean rating."""
    trunc = BUCKETS.get(bucket, TruncWeek)
    rows = (
        reviews.annotate(period=trunc("written_at"))
        .values("period")
        .order_by("period")
        .annotate(
            reviews=Count("pk"),
            analysed=Count("analysis"),
            positive=Count("pk", filter=Q(analysis__label="positive")),
            neutral=Count("pk", filter=Q(analysis__label="neutral")),
            negative=Count("pk", filter=Q(analysis__label="negative")),
            score=Avg("analysis__score"),
            rating=Avg("rating"),
        )
    )
    return [
        {
            "period": r["period"].date().isoformat() if hasattr(r["period"], "date") else str(r["period"]),
            "reviews": r["reviews"],
            **{
                k: round(r[k] / r["analysed"], 3) if r["analysed"] else None
                for k in ("positive", "neutral", "negative")
            },
            "score": _round(r["score"]),
            "rating": _round(r["rating"]),
        }
        for r in rows
    ]


def rating_distribution(reviews) -> dict[int, int]:
    counts = dict(reviews.filter(rating__isnull=False).values_list("rating").annotate(n=Count("pk")))
    return {stars: counts.get(stars, 0) for stars in range(1, 6)}


def label_counts(reviews) -> dict[str, int]:
    counts = dict(reviews.filter(analysis__isnull=False).values_list("analysis__label").annotate(n=Count("pk")))
    return {label: counts.get(label, 0) for label in ("positive", "neutral", "negative")}


def aspect_insights(reviews, *, examples: int = 2, limit: int = 12) -> list[dict]:
    """Per aspect: mentions by sentiment and the clearest example sentences, most mentioned first."""
    tally: dict[str, dict] = defaultdict(lambda: {"positive": 0, "neutral": 0, "negative": 0, "mentions": []})
    analyses = ReviewAnalysis.objects.filter(review__in=reviews.values("pk")).values_list("aspects", flat=True)
    for aspects in analyses.iterator():
        for m in aspects or []:
            entry = tally[m["aspect"]]
            entry[m["label"]] = entry.get(m["label"], 0) + 1
            entry["mentions"].append((m["score"], m["text"]))
    out = []
    for name, entry in tally.items():
        ranked = sorted(entry.pop("mentions"))
        out.append(
            {
                "aspect": name,
                **entry,
                "total": entry["positive"] + entry["neutral"] + entry["negative"],
                "praise": _unique([t for s, t in reversed(ranked) if s > 0.3])[:examples],
                "complaints": _unique([t for s, t in ranked if s < -0.3])[:examples],
            }
        )
    return sorted(out, key=lambda a: (-a["total"], a["aspect"]))[:limit]


def products_needing_attention(reviews, *, limit: int = 10, min_reviews: int = 3) -> list[dict]:
    """Products with open alerts first, then by negative share."""
    rows = (
        reviews.values("product_id", "product__title")
        .annotate(reviews=Count("pk"), negative=Count("pk", filter=Q(analysis__label="negative")), rating=Avg("rating"))
        .filter(reviews__gte=min_reviews)
    )
    alerts = defaultdict(list)
    open_alerts = Alert.objects.filter(status=Alert.Status.OPEN, product_id__in=[r["product_id"] for r in rows])
    for alert in open_alerts.filter(store_id__in=reviews.values("store_id")):
        alerts[alert.product_id].append(alert.message)
    ranked = sorted(
        (
            {
                "product_id": r["product_id"],
                "product": r["product__title"],
                "reviews": r["reviews"],
                "negative_share": round(r["negative"] / r["reviews"], 3),
                "rating": _round(r["rating"]),
                "alerts": alerts.get(r["product_id"], []),
            }
            for r in rows
        ),
        key=lambda p: (-len(p["alerts"]), -p["negative_share"], p["product_id"]),
    )
    return [p for p in ranked if p["alerts"] or p["negative_share"] > 0][:limit]


def overview(reviews) -> dict:
    """Headline numbers for a scope: counts, mean rating and score."""
    agg = reviews.aggregate(reviews=Count("pk"), rating=Avg("rating"), score=Avg("analysis__score"))
    return {
        "reviews": agg["reviews"],
        "rating": _round(agg["rating"]),
        "score": _round(agg["score"]),
        "labels": label_counts(reviews),
    }


def scoped_reviews(user):
    return Review.objects.for_user(user)


def _round(value, digits: int = 2):
    return None if value is None else round(float(value), digits)


def _unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))
