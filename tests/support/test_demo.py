"""The demo support desk loads once, with orders in every status, and triages."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from support.models import KnowledgeArticle, Order, Ticket
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_desk_is_idempotent_and_covers_every_order_status(django_capture_on_commit_callbacks):
    store = factories.StoreFactory(slug="demo", name="Demo")
    with django_capture_on_commit_callbacks(execute=False):
        call_command("load_demo_support", "--triage-now", stdout=open("/dev/null", "w"))
        call_command("load_demo_support", stdout=open("/dev/null", "w"))
    assert set(Order.objects.for_store(store).values_list("status", flat=True)) == set(Order.Status.values)
    assert Ticket.objects.for_store(store).count() == 20
    assert KnowledgeArticle.objects.for_store(store).count() >= 6
    assert not Ticket.objects.for_store(store).filter(triaged_at__isnull=True).exists()
