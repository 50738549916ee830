from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from ecomops.tenancy.admin import StoreScopedAdmin
from insights.alerts import resolve_alerts
from insights.dashboard import dashboard_view
from insights.models import Alert, ProductReviewSummary, Review, ReviewAnalysis, StoreSentimentModel, WeeklyReport
from insights.services import correct_label, request_scoring, request_scoring_by


class ReadOnlyAdmin(StoreScopedAdmin):
    """Rows the workers write: merchants read them, never edit them by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(StoreScopedAdmin):
    list_display = ["excerpt", "product", "rating", "sentiment", "corrected_label", "source", "written_at"]
    list_editable = ["corrected_label"]
    list_filter = ["store", "rating", "analysis__label", "analysis__contradicts_rating", "source", "product__category"]
    search_fields = ["title", "body", "product__title", "customer_ref"]
    list_select_related = ["product", "analysis"]
    date_hierarchy = "written_at"
    actions = ["score_sentiment"]
    fields = [
        "store",
        "product",
        "rating",
        "title",
        "body",
        "customer_ref",
        "source",
        "written_at",
        "corrected_label",
        "analysis_details",
    ]
    readonly_fields = ["analysis_details"]

    def get_urls(self):
        view = self.admin_site.admin_view(dashboard_view(self.admin_site))
        return [path("dashboard/", view, name="insights_dashboard")] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "dashboard_url": reverse("admin:insights_dashboard")}
        return super().changelist_view(request, extra_context)

    @admin.display(description="Review")
    def excerpt(self, review: Review) -> str:
        return Truncator(review.text).chars(90)

    @admin.display(description="Sentiment", ordering="analysis__score")
    def sentiment(self, review: Review) -> str:
        analysis = getattr(review, "analysis", None)
        if analysis is None:
            return "—"
        colour = {"positive": "#2e7d32", "negative": "#b71c1c"}.get(analysis.label, "#666")
        flag = " ⚠ contradicts stars" if analysis.contradicts_rating else ""
        return format_html('<span style="color:{}">{} ({:+.2f})</span>{}', colour, analysis.label, analysis.score, flag)

    @admin.display(description="Analysis")
    def analysis_details(self, review: Review) -> str:
        analysis = getattr(review, "analysis", None)
        if analysis is None:
            return "Not scored yet."
        aspects = "; ".join(f"{a['aspect']}: {a['label']}" for a in analysis.aspects) or "no aspects found"
        return (
            f"{analysis.label} (p={analysis.probability:.2f}, score {analysis.score:+.2f}) – {aspects} "
            f"[{analysis.model_version}]"
        )

    def save_model(self, request, obj, form, change):
        corrected = change and "corrected_label" in form.changed_data
        label = obj.corrected_label
        if corrected:  # the correction goes through its service; the rest saves normally
            obj.corrected_label = Review.objects.get(pk=obj.pk).corrected_label
        super().save_model(request, obj, form, change)
        if corrected:
            correct_label(user=request.user, review=obj, label=label)
        if not change or {"title", "body"} & set(form.changed_data):
            transaction.on_commit(lambda: request_scoring(store=obj.store, review_ids=[obj.pk], user=request.user))

    @admin.action(description="Score sentiment and aspects of selected reviews")
    def score_sentiment(self, request, queryset):
        jobs = request_scoring_by(user=request.user, reviews=queryset)
        for job in jobs:
            url = reverse("admin:jobs_job_change", args=[job.pk])
            self.message_user(
                request,
                format_html('Scoring {} reviews of {} – <a href="{}">follow progress</a>', job.total, job.store, url),
            )
        if not jobs:
            self.message_user(request, "None of the selected reviews belong to a store you may change.")


@admin.register(ReviewAnalysis)
class ReviewAnalysisAdmin(ReadOnlyAdmin):
    list_display = ["review", "label", "probability", "score", "contradicts_rating", "model_version", "updated_at"]
    list_filter = ["label", "contradicts_rating", "store"]
    list_select_related = ["review"]


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["kind", "product", "message", "status", "created_at"]
    list_filter = ["status", "kind", "store"]
    list_select_related = ["product"]
    actions = ["resolve"]

    def has_change_permission(self, request, obj=None) -> bool:  # for the action; fields stay read-only
        return StoreScopedAdmin.has_change_permission(self, request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.action(description="Mark selected alerts resolved")
    def resolve(self, request, queryset):
        self.message_user(request, f"Resolved {resolve_alerts(user=request.user, alerts=queryset)} alerts.")


@admin.register(ProductReviewSummary)
class ProductReviewSummaryAdmin(ReadOnlyAdmin):
    list_display = ["product", "text", "review_count", "updated_at"]
    list_filter = ["store"]
    list_select_related = ["product"]


@admin.register(WeeklyReport)
class WeeklyReportAdmin(ReadOnlyAdmin):
    list_display = ["store", "period_start", "period_end", "created_at"]
    list_filter = ["store"]
    fields = ["store", "period_start", "period_end", "report"]
    readonly_fields = fields

    @admin.display(description="Report")
    def report(self, report: WeeklyReport) -> str:
        return format_html('<pre style="white-space:pre-wrap">{}</pre>', report.text)


@admin.register(StoreSentimentModel)
class StoreSentimentModelAdmin(ReadOnlyAdmin):
    list_display = [
        "version",
        "store",
        "accuracy",
        "default_accuracy",
        "train_size",
        "test_size",
        "active",
        "created_at",
    ]
    list_filter = ["store", "active"]
