"""Interaction events, the rules a merchant sets, recommender runs and the recommendations they precompute."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from ecomops.tenancy.models import StoreOwned


class Interaction(StoreOwned):
    """One thing a customer did with a product. `customer_ref` is the store's own customer id (storefront or
    order), so events from apps count before a customer record exists."""

    class Kind(models.TextChoices):
        VIEW = "view", "View"
        CART = "cart", "Add to cart"
        PURCHASE = "purchase", "Purchase"

    class Source(models.TextChoices):
        API = "api", "Storefront / app"
        ORDER = "order", "Order"
        IMPORT = "import", "Import"

    customer_ref = models.CharField("customer", max_length=100)
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["store", "occurred_at"]),
            models.Index(fields=["store", "customer_ref"]),
        ]

    def __str__(self) -> str:
        return f"{self.customer_ref} {self.kind} {self.product_id}"


class RecommendationRules(StoreOwned):
    """A merchant's rules, applied whenever recommendations are served."""

    exclude_out_of_stock = models.BooleanField(default=True)
    exclude_unpublished = models.BooleanField(default=True)
    boosted_categories = models.ManyToManyField("catalog.Category", blank=True, related_name="+")
    buried_categories = models.ManyToManyField("catalog.Category", blank=True, related_name="+")
    boost_factor = models.FloatField(
        default=2.0, validators=[MinValueValidator(1.0)], help_text="Boosted scores are multiplied, buried divided."
    )
    max_per_category = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="At most this many recommendations from one category; empty: no cap."
    )

    class Meta:
        ordering = ["store", "pk"]
        verbose_name_plural = "recommendation rules"
        constraints = [models.UniqueConstraint(fields=["store"], name="one_recommendation_rules_per_store")]

    def __str__(self) -> str:
        return f"Recommendation rules of {self.store}"


class RecommenderRun(StoreOwned):
    """One training of a store's recommender; its recommendations go live only if it succeeds."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", "Nightly"
        MANUAL = "manual", "On demand"

    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    is_live = models.BooleanField(default=False, editable=False)
    params = models.JSONField(default=dict, blank=True)
    interactions = models.PositiveIntegerField(default=0)
    customers = models.PositiveIntegerField(default=0)
    products = models.PositiveIntegerField(default=0)
    metrics = models.JSONField(default=dict, blank=True, help_text="Offline metrics per model: hit rate, NDCG, …")
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["store"], condition=Q(is_live=True), name="one_live_run_per_store")
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.store} ({self.state})"


class SimilarProduct(StoreOwned):
    run = models.ForeignKey(RecommenderRun, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    similar = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        ordering = ["run", "product", "rank"]
        constraints = [models.UniqueConstraint(fields=["run", "product", "rank"], name="similar_rank_unique")]

    def __str__(self) -> str:
        return f"{self.product_id} ~ {self.similar_id}"


class BoughtTogether(StoreOwned):
    run = models.ForeignKey(RecommenderRun, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    confidence = models.FloatField(help_text="Share of the product's orders that also hold the other.")
    support = models.PositiveIntegerField(help_text="Orders holding both.")

    class Meta:
        ordering = ["run", "product", "rank"]
        verbose_name_plural = "bought together"
        constraints = [models.UniqueConstraint(fields=["run", "product", "rank"], name="together_rank_unique")]

    def __str__(self) -> str:
        return f"{self.product_id} + {self.other_id}"


class CustomerPick(StoreOwned):
    class Reason(models.TextChoices):
        REPEAT = "repeat", "Bought before"
        SIMILAR = "similar", "Because you bought …"
        POPULAR = "popular", "Popular"

    run = models.ForeignKey(RecommenderRun, on_delete=models.CASCADE, related_name="+")
    customer_ref = models.CharField("customer", max_length=100)
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reason = models.CharField(max_length=10, choices=Reason.choices)
    because_of = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["run", "customer_ref", "rank"]
        indexes = [models.Index(fields=["run", "customer_ref"])]
        constraints = [models.UniqueConstraint(fields=["run", "customer_ref", "rank"], name="pick_rank_unique")]

    def __str__(self) -> str:
        return f"{self.customer_ref}: {self.product_id}"
