"""Use-cases for stores, memberships and API keys."""

from __future__ import annotations

import hmac

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ecomops.tenancy.models import ApiKey, Membership, Store, hash_api_key


@transaction.atomic
def create_store(*, name: str, owner, slug: str = "", currency: str = "EUR") -> Store:
    store = Store.objects.create(name=name, slug=slug or slugify(name), currency=currency)
    Membership.objects.create(user=owner, store=store, role=Membership.Role.OWNER)
    return store


def add_member(*, store: Store, user, role: str = Membership.Role.STAFF) -> Membership:
    membership, _ = Membership.objects.update_or_create(store=store, user=user, defaults={"role": role})
    return membership


def create_api_key(*, store: Store, name: str) -> tuple[ApiKey, str]:
    """Returns the key and its raw secret; only the hash is stored, so show the secret once."""
    raw = ApiKey.generate_raw()
    key = ApiKey.objects.create(
        store=store, name=name, prefix=raw[: ApiKey.PREFIX_LENGTH], hashed_key=hash_api_key(raw)
    )
    return key, raw


def authenticate_api_key(*, raw: str) -> ApiKey | None:
    key = (
        ApiKey.objects.select_related("store")
        .filter(prefix=raw[: ApiKey.PREFIX_LENGTH], active=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.hashed_key, hash_api_key(raw)):
        return None
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def stores_for_user(user):
    return Store.objects.for_user(user)


def writable_stores(user):
    return Store.objects.writable_by(user)
