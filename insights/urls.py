"""Registers this app's viewsets on the shared /api/v1/ router."""

from ecomops.api import router  # noqa: F401
