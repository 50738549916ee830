"""Tenancy fails closed, here and only here.

Every domain manager is `StoreScopedQuerySet.as_manager()`; every API viewset
inherits `StoreScopedViewSet` (ecomops/tenancy/api.py); every admin inherits
`StoreScopedAdmin` (ecomops/tenancy/admin.py). A row of another store is simply
not in the queryset, so it answers 404.
"""

from __future__ import annotations

from django.db import models

WRITER_ROLES = ("owner", "staff")


class StoreScopedQuerySet(models.QuerySet):
    def for_user(self, user) -> StoreScopedQuerySet:
        """Rows of the stores the user is a member of (all for superusers).

        One membership per (user, store) is a constraint, so the join adds no duplicates.
        """
        if not user or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if hasattr(user, "api_key"):  # a storefront's key acts for its one store
            return self.for_store(user.store)
        return self.filter(**{f"{self._store_path()}memberships__user": user})

    def writable_by(self, user) -> StoreScopedQuerySet:
        """Rows the user may change: owner or staff, never viewer."""
        if not user or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if hasattr(user, "api_key"):
            return self.for_store(user.store)
        path = self._store_path()
        return self.filter(
            **{f"{path}memberships__user": user, f"{path}memberships__role__in": WRITER_ROLES}
        )

    def for_store(self, store) -> StoreScopedQuerySet:
        if self.model._meta.label_lower == "tenancy.store":
            return self.filter(pk=store.pk)
        return self.filter(store=store)

    def _store_path(self) -> str:
        return "" if self.model._meta.label_lower == "tenancy.store" else "store__"
