"""Support API: storefront keys open tickets and add messages; staff work the desk;
every store-owned endpoint hides other stores (404)."""

from __future__ import annotations

import pytest

from ecomops.tenancy.models import Membership
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


def _closed_drafts(store, intent: str, *, unchanged: int = 0, edited: int = 0, discarded: int = 0) -> None:
    """Drafts agents have dealt with: sent as drafted, sent after a small edit (what
    send_draft records for two added words), discarded."""
    text = "Your order has shipped with DHL today."
    for status, sent, share in (
        [(ReplyDraft.Status.SENT, text, 0.0)] * unchanged
        + [(ReplyDraft.Status.SENT, text + " Best, Alice", 0.1)] * edited
        + [(ReplyDraft.Status.DISCARDED, "", None)] * discarded
    ):
        ticket = factories.TicketFactory(store=store, intent=intent)
        factories.ReplyDraftFactory(ticket=ticket, text=text, status=status, sent_text=sent, edit_share=share)


def test_draft_outcomes_per_intent(alice_client, store):
    _closed_drafts(store, "track_order", unchanged=2, edited=1, discarded=1)
    _closed_drafts(store, "get_refund", discarded=1)
    factories.ReplyDraftFactory(ticket=factories.TicketFactory(store=store, intent="get_refund"))  # still open
    # when
    response = alice_client.get("/api/v1/reply-drafts/outcomes/")
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["store"], body["small_edit_below"]) == (store.pk, 0.2)
    track, refund = body["intents"]
    assert track == {
        "intent": "track_order",
        "total": 4,
        "unchanged": 2,
        "small_edits": 1,
        "rewritten": 0,
        "discarded": 1,
        "unchanged_share": 0.5,
        "small_edits_share": 0.25,
        "discarded_share": 0.25,
    }
    assert (refund["intent"], refund["total"], refund["discarded_share"]) == ("get_refund", 1, 1.0)


def test_draft_outcomes_count_only_the_callers_store(alice_client, charlie_client, store, other_store):
    _closed_drafts(store, "track_order", unchanged=1)
    _closed_drafts(other_store, "track_order", discarded=3)
    _closed_drafts(other_store, "complaint", discarded=1)
    # when
    alices = alice_client.get("/api/v1/reply-drafts/outcomes/").json()
    charlies = charlie_client.get("/api/v1/reply-drafts/outcomes/").json()
    # then
    assert [(r["intent"], r["total"], r["unchanged"]) for r in alices["intents"]] == [("track_order", 1, 1)]
    assert [(r["intent"], r["total"]) for r in charlies["intents"]] == [("track_order", 3), ("complaint", 1)]


def test_draft_outcomes_of_other_store_answer_404(alice_client, other_store):
    _closed_drafts(other_store, "track_order", discarded=2)
    assert alice_client.get(f"/api/v1/reply-drafts/outcomes/?store={other_store.pk}").status_code == 404


def test_draft_outcomes_of_one_of_several_stores(alice, alice_client, store, other_store):
    Membership.objects.create(user=alice, store=other_store, role="viewer")
    _closed_drafts(other_store, "complaint", edited=1)
    # when
    unnamed = alice_client.get("/api/v1/reply-drafts/outcomes/")
    named = alice_client.get(f"/api/v1/reply-drafts/outcomes/?store={other_store.pk}")
    # then
    assert unnamed.status_code == 400
    assert [(r["intent"], r["small_edits"]) for r in named.json()["intents"]] == [("complaint", 1)]


def test_viewer_reads_draft_outcomes_but_storefront_key_does_not(victor_client, storefront_client, store):
    _closed_drafts(store, "track_order", unchanged=1)
    assert victor_client.get("/api/v1/reply-drafts/outcomes/").json()["intents"][0]["unchanged"] == 1
    assert storefront_client.get("/api/v1/reply-drafts/outcomes/").status_code == 403
