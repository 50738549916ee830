"""Support API: storefront keys open tickets and add messages; staff work the desk;
every store-owned endpoint hides other stores (404)."""

from __future__ import annotations

import pytest

from support.models import Customer, Message, ReplyDraft, SupportIntent, Ticket
from tests import factories

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "customers": lambda store: factories.CustomerFactory(store=store),
    "orders": lambda store: factories.OrderFactory(store=store),
    "tickets": lambda store: factories.TicketFactory(store=store),
    "knowledge-articles": lambda store: factories.KnowledgeArticleFactory(store=store),
    "reply-drafts": lambda store: factories.ReplyDraftFactory(ticket=factories.TicketFactory(store=store)),
    "support-intents": lambda store: SupportIntent.objects.filter(store=store).first(),  # the defaults
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_detail_of_other_stores_object_is_404(endpoint, alice_client, other_store):
    foreign = ENDPOINTS[endpoint](other_store)
    assert alice_client.get(f"/api/v1/{endpoint}/{foreign.pk}/").status_code == 404


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_shows_only_own_store(endpoint, alice_client, store, other_store):
    own, foreign = ENDPOINTS[endpoint](store), ENDPOINTS[endpoint](other_store)
    response = alice_client.get(f"/api/v1/{endpoint}/?page_size=200")
    ids = {row["id"] for row in response.json()["results"]}
    assert own.pk in ids and foreign.pk not in ids


def test_storefront_key_opens_ticket_for_a_new_customer(storefront_client, store, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = storefront_client.post(
            "/api/v1/tickets/",
            {
                "subject": "Parcel",
                "body": "Where is my parcel?",
                "customer_email": "dana@example.com",
                "customer_name": "Dana",
            },
            format="json",
        )
    # then
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert ticket.store == store and ticket.customer.email == "dana@example.com"
    assert ticket.messages.get().body == "Where is my parcel?"
    assert ticket.triaged_at is not None


def test_storefront_key_adds_customer_message(storefront_client, store):
    ticket = factories.TicketFactory(store=store)
    response = storefront_client.post(f"/api/v1/tickets/{ticket.pk}/messages/", {"body": "Any news?"}, format="json")
    assert response.status_code == 201
    assert ticket.messages.get().sender == Message.Sender.CUSTOMER


def test_storefront_key_cannot_list_tickets(storefront_client, store):
    factories.TicketFactory(store=store)
    assert storefront_client.get("/api/v1/tickets/").status_code == 403


def test_storefront_key_cannot_post_to_other_stores_ticket(storefront_client, other_store):
    foreign = factories.TicketFactory(store=other_store)
    response = storefront_client.post(f"/api/v1/tickets/{foreign.pk}/messages/", {"body": "x"}, format="json")
    assert response.status_code == 404
    assert not foreign.messages.exists()


def test_ticket_with_other_stores_customer_is_refused(alice_client, other_store):
    foreign = factories.CustomerFactory(store=other_store)
    response = alice_client.post(
        "/api/v1/tickets/", {"subject": "x", "body": "y", "customer": foreign.pk}, format="json"
    )
    assert response.status_code == 400
    assert "customer" in response.json()


def test_empty_ticket_answers_400(alice_client, store):
    assert alice_client.post("/api/v1/tickets/", {"subject": "", "body": ""}, format="json").status_code == 400


def test_staff_message_is_an_agent_message(alice_client, store):
    ticket = factories.TicketFactory(store=store)
    response = alice_client.post(f"/api/v1/tickets/{ticket.pk}/messages/", {"body": "On it."}, format="json")
    assert response.json()["sender"] == "agent"


def test_send_draft_with_edit(alice_client, store):
    draft = factories.ReplyDraftFactory(ticket=factories.TicketFactory(store=store))
    response = alice_client.post(f"/api/v1/reply-drafts/{draft.pk}/send/", {"text": "Edited reply."}, format="json")
    assert response.status_code == 201
    draft.refresh_from_db()
    assert (draft.status, draft.sent_text) == (ReplyDraft.Status.SENT, "Edited reply.")


def test_viewer_cannot_send_draft(victor_client, store):
    draft = factories.ReplyDraftFactory(ticket=factories.TicketFactory(store=store))
    assert victor_client.post(f"/api/v1/reply-drafts/{draft.pk}/send/", {}, format="json").status_code == 403
    draft.refresh_from_db()
    assert draft.status == ReplyDraft.Status.DRAFT


def test_discard_and_regenerate(alice_client, store, django_capture_on_commit_callbacks):
    draft = factories.ReplyDraftFactory(ticket=factories.TicketFactory(store=store))
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(f"/api/v1/reply-drafts/{draft.pk}/regenerate/")
    assert response.status_code == 202 and "url" in response.json()
    draft.refresh_from_db()
    assert draft.status == ReplyDraft.Status.DISCARDED
    assert draft.ticket.drafts.filter(status=ReplyDraft.Status.DRAFT).count() == 1


def test_triage_endpoint_answers_202_with_job(alice_client, store):
    ticket = factories.TicketFactory(store=store)
    response = alice_client.post("/api/v1/tickets/triage/", {"ids": [ticket.pk]}, format="json")
    assert response.status_code == 202
    assert response.json()["total"] == 1


def test_triage_of_other_stores_ticket_answers_400(alice_client, other_store):
    foreign = factories.TicketFactory(store=other_store)
    assert alice_client.post("/api/v1/tickets/triage/", {"ids": [foreign.pk]}, format="json").status_code == 400


def test_duplicate_customer_email_answers_400(alice_client, store):
    factories.CustomerFactory(store=store, email="dup@example.com")
    response = alice_client.post("/api/v1/customers/", {"name": "D", "email": "dup@example.com"}, format="json")
    assert response.status_code == 400
    assert Customer.objects.filter(email="dup@example.com").count() == 1
