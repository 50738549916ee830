"""Products and the copy the generator drafts for them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from ecomops.tenancy.models import StoreOwned


class Category(StoreOwned):
    name = models.CharField(max_length=120)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["store", "name"], name="category_name_unique_per_store")]

    def __str__(self) -> str:
        return self.name


class BrandVoice(StoreOwned):
    """How a store sounds: the generator writes every draft in this voice."""

    tone = models.CharField(max_length=200, default="friendly, clear and factual")
    audience = models.CharField(max_length=200, blank=True)
    words_to_avoid = models.JSONField(default=list, blank=True, help_text="Words the copy must never use.")
    target_words = models.PositiveIntegerField(
        default=60, validators=[MinValueValidator(10)], help_text="Target length of a description, in words."
    )

    class Meta:
        ordering = ["store", "pk"]
        constraints = [models.UniqueConstraint(fields=["store"], name="one_brand_voice_per_store")]

    def __str__(self) -> str:
        return f"Brand voice of {self.store}"


class Product(StoreOwned):
    title = models.CharField(max_length=300)
    sku = models.CharField("SKU", max_length=64)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products")
    attributes = models.JSONField(default=dict, blank=True, help_text="Brand, colour, material, size…")
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    stock = models.IntegerField(default=0)
    is_published = models.BooleanField(default=True)
    description = models.TextField(blank=True)
    short_description = models.TextField(blank=True)
    seo_title = models.CharField(max_length=200, blank=True)
    seo_meta_description = models.CharField(max_length=400, blank=True)
    marketing_blurb = models.TextField(blank=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [models.UniqueConstraint(fields=["store", "sku"], name="sku_unique_per_store")]
        indexes = [models.Index(fields=["store", "category"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.sku})"


class CopyKind(models.TextChoices):
    DESCRIPTION = "description", "Description"
    SHORT_DESCRIPTION = "short_description", "Short description"
    SEO_TITLE = "seo_title", "SEO title"
    SEO_META = "seo_meta", "SEO meta description"
    MARKETING = "marketing", "Marketing blurb"


# Where publishing a copy of each kind writes on the product.
PRODUCT_FIELD_FOR_KIND = {
    CopyKind.DESCRIPTION: "description",
    CopyKind.SHORT_DESCRIPTION: "short_description",
    CopyKind.SEO_TITLE: "seo_title",
    CopyKind.SEO_META: "seo_meta_description",
    CopyKind.MARKETING: "marketing_blurb",
}


class ProductCopy(StoreOwned):
    """A generated text for one product; a person approves it before it is published."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="copies")
    kind = models.CharField(max_length=20, choices=CopyKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    text = models.TextField()
    flags = models.JSONField(default=dict, blank=True, help_text="Quality checks: name → problem found.")
    passed_checks = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=1)
    model_version = models.CharField(max_length=200)
    prompt_version = models.CharField(max_length=40)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "product copies"
        constraints = [
            models.UniqueConstraint(
                fields=["product", "kind"], condition=Q(status="draft"), name="one_draft_per_product_and_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.product_id} ({self.status})"

    @property
    def current_text(self) -> str:
        """What the product shows now for this kind, to compare with the draft."""
        return getattr(self.product, PRODUCT_FIELD_FOR_KIND[self.kind])
