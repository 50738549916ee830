"""Reviews, what the models read in them, and what a merchant should do about it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ecomops.ml.sentiment import LABELS
from ecomops.ml.sentiment_data import stars_to_label
from ecomops.tenancy.models import StoreOwned


class SentimentLabel(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    NEUTRAL = "neutral", "Neutral"
    POSITIVE = "positive", "Positive"


def label_for_rating(rating: int | None) -> str:
    """Star ratings as labels: 1-2 negative, 3 neutral, 4-5 positive."""
    return "" if rating is None else SentimentLabel(LABELS[stars_to_label(rating)])


class Review(StoreOwned):
    class Source(models.TextChoices):
        STOREFRONT = "storefront", "Storefront (API)"
        ADMIN = "admin", "Admin"
        IMPORT = "import", "Import"
        DEMO = "demo", "Demo data"

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="reviews")
    # support.Customer does not exist yet: the storefront's customer id or e-mail, when known.
    customer_ref = models.CharField("customer", max_length=200, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.STOREFRONT)
    written_at = models.DateTimeField(default=timezone.now, help_text="When the customer wrote it.")
    corrected_label = models.CharField(
        max_length=10,
        choices=SentimentLabel.choices,
        blank=True,
        help_text="A merchant's correction: the strongest label when the store's model is fine-tuned.",
    )

    class Meta:
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["store", "product", "-written_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        stars = f"{self.rating}★ " if self.rating else ""
        return f"{stars}{self.title or self.body[:60]}"

    @property
    def text(self) -> str:
        """What the models read: the title as the first sentence, then the body."""
        title = self.title.strip()
        if title and title[-1] not in ".!?":
            title += "."
        return f"{title} {self.body.strip()}".strip()


class ReviewAnalysis(StoreOwned):
    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="analysis")
    label = models.CharField(max_length=10, choices=SentimentLabel.choices)
    probability = models.FloatField()
    score = models.FloatField(help_text="-1 (negative) … +1 (positive)")
    aspects = models.JSONField(default=list, blank=True, help_text="[{aspect, text, label, score}]")
    contradicts_rating = models.BooleanField(default=False)
    model_version = models.CharField(max_length=200)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "review analyses"

    def __str__(self) -> str:
        return f"{self.label} ({self.score:+.2f}) for review {self.review_id}"


class ProductReviewSummary(StoreOwned):
    """What customers say about one product, written by the generator from the reviews alone."""

    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="review_summary")
    text = models.TextField()
    review_count = models.PositiveIntegerField(help_text="Analysed reviews when it was written.")
    model_version = models.CharField(max_length=200)
    prompt_version = models.CharField(max_length=40)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name_plural = "product review summaries"

    def __str__(self) -> str:
        return f"Summary of {self.product_id} ({self.review_count} reviews)"


class Alert(StoreOwned):
    class Kind(models.TextChoices):
        NEGATIVE_SPIKE = "negative_spike", "Negative reviews rising"
        RATING_MISMATCH = "rating_mismatch", "Text contradicts rating"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="review_alerts")
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    message = models.TextField()
    details = models.JSONField(default=dict, blank=True, help_text="Figures, aspects and review ids behind it.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "kind"],
                condition=Q(status="open", kind="negative_spike"),
                name="one_open_spike_alert_per_product",
            ),
            models.UniqueConstraint(
                fields=["review", "kind"], condition=Q(kind="rating_mismatch"), name="one_mismatch_alert_per_review"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.product_id}"


class WeeklyReport(StoreOwned):
    period_start = models.DateField()
    period_end = models.DateField()
    text = models.TextField()
    figures = models.JSONField(default=dict)

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [models.UniqueConstraint(fields=["store", "period_start"], name="one_weekly_report_per_week")]

    def __str__(self) -> str:
        return f"{self.store} {self.period_start}–{self.period_end}"


class StoreSentimentModel(StoreOwned):
    """A store's own fine-tuned sentiment model; the active one scores its new reviews."""

    path = models.CharField(max_length=500, help_text="Folder of the fine-tuned weights.")
    version = models.CharField(max_length=200)
    accuracy = models.FloatField()
    default_accuracy = models.FloatField(help_text="The model it replaced, on the same held-back reviews.")
    train_size = models.PositiveIntegerField()
    test_size = models.PositiveIntegerField()
    active = models.BooleanField(default=False)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["store"], condition=Q(active=True), name="one_active_sentiment_model")
        ]

    def __str__(self) -> str:
        state = "active" if self.active else "kept aside"
        return f"{self.version} ({self.accuracy:.1%} vs {self.default_accuracy:.1%}, {state})"
