"""The support admin: the queue, the ticket page, the draft page, scoped to the user's stores."""

from __future__ import annotations

import pytest

from support.models import ReplyDraft
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_admin(client, alice):
    client.force_login(alice)
    return client


def test_queue_lists_own_tickets_by_priority(alice_admin, store, other_store):
    factories.TicketFactory(store=store, subject="Colour question", priority=5)
    factories.TicketFactory(store=store, subject="Angry late order", priority=60)
    factories.TicketFactory(store=other_store, subject="Charlie's ticket", priority=99)
    page = alice_admin.get("/admin/support/ticket/").text
    assert page.index("Angry late order") < page.index("Colour question")
    assert "Charlie's ticket" not in page


@pytest.mark.parametrize("path", ["ticket", "customer", "order", "knowledgearticle", "replydraft", "supportintent"])
def test_changelists_open(alice_admin, store, path):
    assert alice_admin.get(f"/admin/support/{path}/").status_code == 200


def test_ticket_page_shows_conversation_orders_and_draft(alice_admin, store):
    customer = factories.CustomerFactory(store=store)
    order = factories.OrderFactory(store=store, customer=customer, number="A7777")
    ticket = factories.TicketFactory(store=store, customer=customer, order=order)
    factories.MessageFactory(ticket=ticket, body="Parcel still missing")
    draft = factories.ReplyDraftFactory(ticket=ticket, text="Your parcel is with DHL.")
    draft.articles.add(factories.KnowledgeArticleFactory(store=store, title="Shipping times"))
    page = alice_admin.get(f"/admin/support/ticket/{ticket.pk}/change/").text
    for expected in ("Parcel still missing", "A7777", "Your parcel is with DHL.", "Shipping times"):
        assert expected in page


def test_other_stores_ticket_page_is_not_reachable(alice_admin, other_store):
    foreign = factories.TicketFactory(store=other_store, subject="Charlie's secret")
    response = alice_admin.get(f"/admin/support/ticket/{foreign.pk}/change/")
    assert response.status_code == 302


def test_send_button_sends_the_edited_draft(alice_admin, store):
    draft = factories.ReplyDraftFactory(ticket=factories.TicketFactory(store=store), text="Draft text.")
    response = alice_admin.post(f"/admin/support/replydraft/{draft.pk}/change/", {"text": "Edited text.", "_send": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.sent_text) == (ReplyDraft.Status.SENT, "Edited text.")
    assert draft.ticket.messages.get().body == "Edited text."


def test_discard_button(alice_admin, store):
    draft = factories.ReplyDraftFactory(ticket=factories.TicketFactory(store=store))
    alice_admin.post(f"/admin/support/replydraft/{draft.pk}/change/", {"text": draft.text, "_discard": "1"})
    draft.refresh_from_db()
    assert draft.status == ReplyDraft.Status.DISCARDED


def test_draft_list_shows_outcomes_per_intent(alice_admin, alice, store):
    from support.services import send_draft

    draft = factories.ReplyDraftFactory(ticket=factories.TicketFactory(store=store, intent="order_status"))
    send_draft(user=alice, draft=draft)
    page = alice_admin.get("/admin/support/replydraft/").text
    assert "How drafts fared" in page and "order_status" in page


def test_retriage_action_starts_a_job(alice_admin, store):
    ticket = factories.TicketFactory(store=store)
    response = alice_admin.post(
        "/admin/support/ticket/", {"action": "retriage", "_selected_action": [ticket.pk]}, follow=True
    )
    assert "Triaging 1 tickets" in response.text
