"""The /api/v1/ root: one router that every app registers its viewsets on."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

router = DefaultRouter()


def exception_handler(exc, context):
    """DRF's handler, plus: bad input that slipped past validation answers 400, not 500."""
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    bad_value = isinstance(exc, (ValueError, TypeError, OverflowError))
    if bad_value or isinstance(exc, DatabaseError) and _is_data_error(exc):
        logger.warning("Rejected bad input: %s", exc)
        return Response({"detail": f"Invalid input: {exc}"}, status=status.HTTP_400_BAD_REQUEST)
    return None


def _is_data_error(exc: DatabaseError) -> bool:
    from django.db import DataError, IntegrityError

    return isinstance(exc, (DataError, IntegrityError))


def call_service(service, **kwargs):
    """Call a service from a view: domain errors become API errors a person can act on."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError({"detail": exc.messages}) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
