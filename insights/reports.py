"""The weekly report per store: last week's figures against the week before, in words."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ecomops.tenancy.models import Store
from insights import figures
from insights.models import Alert, Review, WeeklyReport


def last_full_week(today: date | None = None) -> tuple[date, date]:
    """Monday..Sunday of the week before `today`'s week."""
    today = today or timezone.localdate()
    start = today - timedelta(days=today.weekday() + 7)
    return start, start + timedelta(days=6)


def week_reviews(store: Store, start: date, end: date):
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.combine(start, time.min), tz)
    hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz)
    return Review.objects.for_store(store).filter(written_at__gte=lo, written_at__lt=hi)


def week_figures(store: Store, start: date, end: date) -> dict:
    reviews = week_reviews(store, start, end)
    before = week_reviews(store, start - timedelta(days=7), end - timedelta(days=7))
    return {
        "this_week": figures.overview(reviews),
        "week_before": figures.overview(before),
        "aspects": figures.aspect_insights(reviews, examples=1, limit=5),
        "attention": figures.products_needing_attention(reviews, limit=5, min_reviews=2),
        "open_alerts": Alert.objects.for_store(store).filter(status=Alert.Status.OPEN).count(),
    }


def report_text(store: Store, start: date, end: date, data: dict) -> str:
    now, then = data["this_week"], data["week_before"]
    lines = [f"Reviews for {store.name}, {start:%d %b} – {end:%d %b %Y}", ""]
    if not now["reviews"]:
        return "\n".join(lines + ["No new reviews this week."])
    labels = now["labels"]
    analysed = sum(labels.values()) or 1
    lines.append(
        f"{now['reviews']} reviews (week before: {then['reviews']}), average rating "
        f"{now['rating'] if now['rating'] is not None else '–'} (before: "
        f"{then['rating'] if then['rating'] is not None else '–'})."
    )
    lines.append(
        f"Positive {labels['positive'] / analysed:.0%}, neutral {labels['neutral'] / analysed:.0%}, "
        f"negative {labels['negative'] / analysed:.0%}."
    )
    praised = [a["aspect"] for a in data["aspects"] if a["positive"] > a["negative"]]
    complained = [a for a in data["aspects"] if a["negative"] > 0]
    if praised:
        lines.append("Most praised: " + ", ".join(praised[:3]) + ".")
    for a in sorted(complained, key=lambda a: -a["negative"])[:3]:
        example = f" – e.g. “{a['complaints'][0]}”" if a["complaints"] else ""
        lines.append(f"Complaints about {a['aspect']}: {a['negative']}{example}")
    for p in data["attention"]:
        lines.append(f"Needs attention: {p['product']} ({p['negative_share']:.0%} negative of {p['reviews']})")
    lines.append(f"Open alerts: {data['open_alerts']}.")
    return "\n".join(lines)


def write_weekly_report(*, store: Store, today: date | None = None) -> WeeklyReport:
    """The store's report of last week; writing it twice keeps one."""
    start, end = last_full_week(today)
    data = week_figures(store, start, end)
    values = {"period_end": end, "text": report_text(store, start, end, data), "figures": data}
    try:
        with transaction.atomic():
            return WeeklyReport.objects.update_or_create(store=store, period_start=start, defaults=values)[0]
    except IntegrityError:
        return WeeklyReport.objects.update_or_create(store=store, period_start=start, defaults=values)[0]


def write_weekly_reports(today: date | None = None) -> int:
    stores = list(Store.objects.order_by("pk"))
    for store in stores:
        write_weekly_report(store=store, today=today)
    return len(stores)
