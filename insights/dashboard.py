"""The review dashboard in the admin: charts (Chart.js, served from our static files) and CSV export.

Every figure comes from `Review.objects.for_user(request.user)`: a merchant sees only
their stores, and a filter on another store's id simply finds nothing.
"""

from __future__ import annotations

import csv

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse

from catalog.models import Category
from ecomops.tenancy.models import Store
from insights import figures
from insights.models import Review

PERIODS = [("30", "Last 30 days"), ("90", "Last 90 days"), ("365", "Last 12 months"), ("", "All time")]


class DashboardFilter(forms.Form):
    store = forms.ModelChoiceField(queryset=Store.objects.none(), required=False, empty_label="All my stores")
    category = forms.ModelChoiceField(queryset=Category.objects.none(), required=False, empty_label="All categories")
    days = forms.ChoiceField(choices=PERIODS, required=False, initial="90", label="Period")
    bucket = forms.ChoiceField(choices=[("week", "Weekly"), ("month", "Monthly"), ("day", "Daily")], required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = Store.objects.for_user(user)
        self.fields["category"].queryset = Category.objects.for_user(user).select_related("store")


def filtered_reviews(request) -> tuple[DashboardFilter, object]:
    form = DashboardFilter(request.GET or {"days": "90"}, user=request.user)
    reviews = Review.objects.for_user(request.user)
    if not form.is_valid():
        return form, reviews.none()
    data = form.cleaned_data
    return form, figures.narrow(
        reviews,
        store_id=getattr(data["store"], "pk", None),
        category_id=getattr(data["category"], "pk", None),
        days=int(data["days"]) if data.get("days") else None,
    )


def dashboard_data(reviews, *, bucket: str = "week") -> dict:
    return {
        "overview": figures.overview(reviews),
        "trend": figures.sentiment_over_time(reviews, bucket=bucket),
        "ratings": figures.rating_distribution(reviews),
        "aspects": figures.aspect_insights(reviews),
        "attention": figures.products_needing_attention(reviews),
    }


def dashboard_view(admin_site):
    def view(request):
        form, reviews = filtered_reviews(request)
        if request.GET.get("export") == "csv":
            return export_csv(reviews)
        data = dashboard_data(reviews, bucket=(form.cleaned_data.get("bucket") if form.is_valid() else "") or "week")
        query = request.GET.copy()
        query["export"] = "csv"
        context = {
            **admin_site.each_context(request),
            "title": "Review insights",
            "form": form,
            "data": data,
            "export_query": query.urlencode(),
        }
        return TemplateResponse(request, "admin/insights/dashboard.html", context)

    return view


def export_csv(reviews) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="review-insights.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "review_id",
            "store",
            "product",
            "sku",
            "category",
            "rating",
            "written_at",
            "label",
            "probability",
            "score",
            "aspects",
            "title",
            "body",
        ]
    )
    rows = reviews.select_related("store", "product", "product__category", "analysis").order_by("written_at", "pk")
    for r in rows.iterator(chunk_size=500):
        a = getattr(r, "analysis", None)
        aspects = "; ".join(f"{m['aspect']}:{m['label']}" for m in a.aspects) if a else ""
        writer.writerow(
            [
                r.pk,
                r.store.slug,
                r.product.title,
                r.product.sku,
                r.product.category.name if r.product.category else "",
                r.rating or "",
                r.written_at.isoformat(),
                a.label if a else "",
                a.probability if a else "",
                a.score if a else "",
                aspects,
                _safe(r.title),
                _safe(r.body),
            ]
        )
    return response


def _safe(text: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: quote them."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
