"""Stores are tenants; every domain row belongs to exactly one."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

from ecomops.tenancy.scoping import StoreScopedQuerySet


class Store(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    currency = models.CharField(max_length=3, default="EUR")
    auto_describe_new_products = models.BooleanField(
        default=False, help_text="Write a description draft for new products created without one."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StoreScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class StoreOwned(models.Model):
    """Base of every domain model: one store, timestamps, store-scoped manager."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoreScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        STAFF = "staff", "Staff"
        VIEWER = "viewer", "Viewer"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        ordering = ["store", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "store"], name="one_membership_per_store")]

    def __str__(self) -> str:
        return f"{self.user} – {self.store} ({self.role})"


def hash_api_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKey(models.Model):
    """A storefront's or mobile app's key: acts for one store, never for a user."""

    PREFIX_LENGTH = 8

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True, editable=False)
    hashed_key = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = StoreScopedQuerySet.as_manager()

    class Meta:
        ordering = ["store", "name", "pk"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate_raw() -> str:
        return secrets.token_urlsafe(32)
