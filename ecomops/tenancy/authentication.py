"""Per-store API keys for storefronts and mobile apps.

Kept apart from api.py: DRF imports authentication classes while it loads its
own views, so this module imports nothing from rest_framework's view layer.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from ecomops.tenancy.models import ApiKey
from ecomops.tenancy.services import authenticate_api_key


class StoreKeyUser:
    """Who a request is when it comes with a store API key: that store, nobody else."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_staff = False
    is_anonymous = False

    def __init__(self, key: ApiKey):
        self.api_key = key
        self.store = key.store
        self.pk = f"apikey-{key.pk}"  # throttling keys on this

    def __str__(self) -> str:
        return f"API key {self.api_key}"


class StoreApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <secret>` (or `X-Api-Key: <secret>`)."""

    keyword = "Api-Key"

    def authenticate(self, request):
        raw = request.headers.get("X-Api-Key", "")
        header = request.headers.get("Authorization", "")
        if header.startswith(f"{self.keyword} "):
            raw = header[len(self.keyword) + 1 :].strip()
        if not raw:
            return None
        key = authenticate_api_key(raw=raw)
        if key is None:
            raise exceptions.AuthenticationFailed(_("Invalid or inactive API key."))
        return StoreKeyUser(key), key

    def authenticate_header(self, request):
        return self.keyword
