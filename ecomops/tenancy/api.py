"""API building blocks that keep every endpoint inside the caller's stores."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, permissions, serializers, viewsets

from ecomops.tenancy.authentication import StoreKeyUser
from ecomops.tenancy.models import Store
from ecomops.tenancy.scoping import WRITER_ROLES


def is_api_key(request) -> bool:
    return isinstance(getattr(request, "user", None), StoreKeyUser)


def scoped(queryset, request):
    """The rows a request may see: its API key's store, or its user's stores."""
    return queryset.for_user(request.user)


class StoreAccess(permissions.BasePermission):
    """Reading needs membership (the queryset sees to it); writing needs owner or staff.

    Views opt in to API keys with `api_key_actions` (e.g. {"create", "list"}).
    """

    message = _("Your role in this store does not allow changes.")

    def has_permission(self, request, view) -> bool:
        if is_api_key(request):
            return view.action in getattr(view, "api_key_actions", set())
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or request.user.is_superuser:
            return True
        return Store.objects.writable_by(request.user).exists()

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS or is_api_key(request) or request.user.is_superuser:
            return True
        return obj.store.memberships.filter(user=request.user, role__in=WRITER_ROLES).exists()


class StoreScopedViewSet(viewsets.GenericViewSet):
    """Base of every store-owned endpoint. Narrow with `scope_queryset()`, never `get_queryset()`."""

    permission_classes = [StoreAccess]
    api_key_actions: set[str] = set()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(f"{cls.__name__}: narrow with scope_queryset(), never override get_queryset()")

    def get_queryset(self):
        return self.scope_queryset(scoped(self.queryset.all(), self.request))  # keeps select_related

    def scope_queryset(self, queryset):
        return queryset


class StoreScopedModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    StoreScopedViewSet,
):
    """List, read, create, change and delete one store-owned model."""


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key whose choices are the caller's stores' rows only: others read as 'does not exist'."""

    def get_queryset(self):
        return scoped(super().get_queryset(), self.context["request"])


class StoreOwnedSerializer(serializers.ModelSerializer):
    """`store` defaults to the caller's only store (or the API key's); must be writable by the caller;
    every other store-owned relation must belong to the same store."""

    store = serializers.PrimaryKeyRelatedField(queryset=Store.objects.all(), required=False)
    # (field, lookup) unique within a store, e.g. ("sku", "exact"): checked here, where the
    # store is known, so subclasses set Meta.validators = [] for the model's constraint.
    unique_in_store: tuple[str, str] | None = None

    def validate(self, attrs):
        attrs = super().validate(attrs)
        store = self._resolve_store(attrs)
        attrs["store"] = store
        if self.unique_in_store:
            self._check_unique_in_store(attrs, store)
        for name, value in attrs.items():
            related_store_id = getattr(value, "store_id", None)
            if name != "store" and related_store_id is not None and related_store_id != store.pk:
                raise serializers.ValidationError({name: _("Must belong to the same store.")})
        return attrs

    def _check_unique_in_store(self, attrs, store: Store) -> None:
        name, lookup = self.unique_in_store
        value = attrs.get(name, getattr(self.instance, name, None))
        clash = self.Meta.model.objects.filter(store=store, **{f"{name}__{lookup}": value})
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            model = self.Meta.model._meta
            label = model.get_field(name).verbose_name
            message = f"This store already has a {model.verbose_name} with this {label}."
            raise serializers.ValidationError({name: message})

    def _resolve_store(self, attrs) -> Store:
        request = self.context["request"]
        if self.instance is not None:
            if "store" in attrs and attrs["store"].pk != self.instance.store_id:
                raise serializers.ValidationError({"store": _("An object cannot move to another store.")})
            return self.instance.store
        writable = Store.objects.writable_by(request.user)
        if "store" in attrs:
            if not writable.filter(pk=attrs["store"].pk).exists():
                raise serializers.ValidationError({"store": _("Unknown store, or you may not change it.")})
            return attrs["store"]
        choices = list(writable[:2])
        if len(choices) != 1:
            raise serializers.ValidationError({"store": _("Say which store (you belong to several).")})
        return choices[0]


def caller_store(request, store_id=None, *, reading: bool = False) -> Store:
    """The store an action-style endpoint acts on: the API key's, the given one, or the only one.

    Writing needs owner or staff (an unknown store is bad input, 400); reading needs
    membership (an unknown store is simply not there, 404).
    """
    stores = Store.objects.for_user(request.user) if reading else Store.objects.writable_by(request.user)
    if store_id not in (None, ""):
        try:
            return stores.get(pk=int(store_id))
        except (Store.DoesNotExist, TypeError, ValueError):
            if reading:
                raise Http404("No such store.") from None
            raise exceptions.ValidationError({"store": _("Unknown store, or you may not change it.")}) from None
    choices = list(stores[:2])
    if len(choices) != 1:
        raise exceptions.ValidationError({"store": _("Say which store (you belong to several).")})
    return choices[0]
