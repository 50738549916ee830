"""Admin base that keeps merchants inside their stores, and the store pages themselves."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import PermissionDenied

from ecomops.tenancy.models import ApiKey, Membership, Store
from ecomops.tenancy.services import create_api_key


class StoreScopedAdmin(admin.ModelAdmin):
    """Querysets, foreign-key choices and permissions follow the user's memberships.

    Merchants need `is_staff` to log in; what they may see and change comes from
    their role in each store, not from Django's per-model permissions.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_list_filter(self, request):
        """A filter on a store or store-owned relation lists only values in the user's own rows:
        the default one lists every row of the related table (other stores' names)."""
        return [
            (item, admin.RelatedOnlyFieldListFilter) if isinstance(item, str) and self._scoped_relation(item) else item
            for item in super().get_list_filter(request)
        ]

    def _scoped_relation(self, field_path: str) -> bool:
        field = get_fields_from_path(self.model, field_path)[-1]
        related = getattr(field, "related_model", None)
        return related is Store or hasattr(getattr(related, "objects", None), "for_user")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related is Store:
            kwargs["queryset"] = Store.objects.writable_by(request.user)
        elif hasattr(related.objects, "for_user"):
            kwargs["queryset"] = related.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if hasattr(db_field.related_model.objects, "for_user"):
            kwargs["queryset"] = db_field.related_model.objects.for_user(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and (request.user.is_superuser or request.user.memberships.exists())

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is not None:
            return self.get_queryset(request).filter(pk=obj.pk).exists()
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return Store.objects.writable_by(request.user).exists()

    def has_change_permission(self, request, obj=None) -> bool:
        writable = Store.objects.writable_by(request.user)
        if obj is None:
            return writable.exists()
        return writable.filter(pk=obj.store_id).exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not Store.objects.writable_by(request.user).filter(pk=obj.store_id).exists():
            raise PermissionDenied("You may not change this store's data.")
        super().save_model(request, obj, form, change)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "currency", "auto_describe_new_products", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_module_permission(self, request) -> bool:
        # The login page lists apps for the anonymous user too (Django 5 nav sidebar).
        return request.user.is_active and (request.user.is_superuser or request.user.memberships.exists())

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        owned = Store.objects.for_user(request.user).filter(
            memberships__user=request.user, memberships__role=Membership.Role.OWNER
        )
        return owned.exists() if obj is None else owned.filter(pk=obj.pk).exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(ApiKey)
class ApiKeyAdmin(StoreScopedAdmin):
    list_display = ["name", "store", "prefix", "active", "created_at", "last_used_at"]
    list_filter = ["active", "store"]
    fields = ["store", "name", "active", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        if not Store.objects.writable_by(request.user).filter(pk=obj.store_id).exists():
            raise PermissionDenied("You may not change this store's data.")
        key, raw = create_api_key(store=obj.store, name=obj.name)
        obj.pk, obj.prefix = key.pk, key.prefix
        obj._state.adding = False
        messages.warning(request, f"Copy this key now, it is shown only once: {raw}")
