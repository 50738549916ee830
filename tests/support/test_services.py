"""Support desk use-cases (support/services.py) on the fake models."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecomops.jobs.models import Job
from support.models import Message, ReplyDraft, SupportIntent, Ticket
from support.prompts import PROMPT_VERSION
from support.services import (
    add_message,
    discard_drafts,
    draft_chunk,
    draft_outcomes,
    edit_share,
    intents_for_store,
    open_ticket,
    request_triage,
    send_draft,
)
from tests import factories


@pytest.fixture
def customer(store):
    return factories.CustomerFactory(store=store, name="Dana")


@pytest.fixture
def order(store, customer):
    return factories.OrderFactory(store=store, customer=customer, number="A1001", tracking_number="JD123")


def test_new_store_gets_the_default_intent_list(store):
    names = set(SupportIntent.objects.for_store(store).values_list("name", flat=True))
    assert {"order_status", "cancel_order", "return_or_refund", "complaint"} <= names


def test_store_without_intents_triages_with_the_defaults(store):
    SupportIntent.objects.for_store(store).delete()
    assert "order_status" in [i.name for i in intents_for_store(store)]


def test_open_ticket_triages_and_drafts_after_commit(store, customer, order, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(
            store=store, subject="Where is my order?", body="My parcel has not arrived, where is it?", customer=customer
        )
    # then
    ticket.refresh_from_db()
    assert ticket.triaged_at is not None
    assert ticket.intent == "order_status"
    assert ticket.urgency in {"normal", "high", "urgent", "low"}
    assert ticket.order == order  # the customer's latest order is the relevant one
    draft = ticket.drafts.get(status=ReplyDraft.Status.DRAFT)
    assert draft.order_facts["Tracking number"] == "JD123"
    assert draft.prompt_version == PROMPT_VERSION


def test_angry_late_order_is_queued_above_a_colour_question(store, customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        calm = open_ticket(store=store, subject="Colours", body="Does the jacket come in blue?")
        angry = open_ticket(
            store=store,
            subject="LATE ORDER",
            customer=customer,
            body="Where is my order?? It is two weeks late, this is USELESS and RIDICULOUS!!!",
        )
    assert list(Ticket.objects.for_store(store).values_list("pk", flat=True))[:2] == [angry.pk, calm.pk]


def test_customer_message_reopens_and_retriages(store, customer, django_capture_on_commit_callbacks):
    ticket = factories.TicketFactory(store=store, customer=customer, status=Ticket.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        add_message(ticket=ticket, body="I want to cancel my order please")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.intent == "cancel_order"


def test_agent_message_does_not_retriage(store, alice, django_capture_on_commit_callbacks):
    ticket = factories.TicketFactory(store=store)
    with django_capture_on_commit_callbacks(execute=True):
        add_message(ticket=ticket, body="We are on it.", sender=Message.Sender.AGENT, author=alice)
    ticket.refresh_from_db()
    assert ticket.triaged_at is None


def test_ticket_needs_text(store):
    with pytest.raises(ValidationError):
        open_ticket(store=store, subject=" ", body="")


def test_ticket_refuses_another_stores_customer(store, other_store):
    with pytest.raises(ValidationError):
        open_ticket(store=store, subject="Hi", body="Hi", customer=factories.CustomerFactory(store=other_store))


def test_request_triage_refuses_viewers(victor, store):
    ticket = factories.TicketFactory(store=store)
    with pytest.raises(PermissionDenied):
        request_triage(user=victor, store=store, ticket_ids=[ticket.pk])


def test_request_triage_refuses_other_stores_tickets(alice, store, other_store):
    with pytest.raises(ValidationError):
        request_triage(user=alice, store=store, ticket_ids=[factories.TicketFactory(store=other_store).pk])


def test_draft_uses_matching_article_and_records_it(store, customer):
    ticket = factories.TicketFactory(store=store, customer=customer, subject="shipping times to germany")
    factories.MessageFactory(ticket=ticket, body="How long does delivery to Germany take?")
    article = factories.KnowledgeArticleFactory(store=store, title="Shipping times to Germany")
    factories.KnowledgeArticleFactory(store=store, title="Cashmere care", body="Wash cold by hand.")
    job = factories.JobFactory(store=store, kind="support.draft_replies")
    # when
    draft_chunk(job, [ticket.pk])
    # then
    draft = ticket.drafts.get()
    assert list(draft.articles.all()) == [article]


def test_running_a_draft_chunk_twice_leaves_one_open_draft(store):
    ticket = factories.TicketFactory(store=store)
    job = factories.JobFactory(store=store, kind="support.draft_replies")
    draft_chunk(job, [ticket.pk])
    draft_chunk(job, [ticket.pk])
    assert ticket.drafts.filter(status=ReplyDraft.Status.DRAFT).count() == 1


def test_other_stores_tickets_are_not_drafted_by_a_job(store, other_store):
    foreign = factories.TicketFactory(store=other_store)
    outcome = draft_chunk(factories.JobFactory(store=store), [foreign.pk])
    assert (outcome.done, outcome.failed) == (0, 1)
    assert not foreign.drafts.exists()


def test_send_stores_the_agents_message_and_measures_the_edit(alice, store):
    draft = factories.ReplyDraftFactory(ticket=factories.TicketFactory(store=store), text="Your order has shipped.")
    # when
    message = send_draft(user=alice, draft=draft, text="Hi Dana, your order has shipped.")
    # then
    draft.refresh_from_db()
    assert (message.sender, message.body) == ("agent", "Hi Dana, your order has shipped.")
    assert draft.status == ReplyDraft.Status.SENT and draft.sent_text == message.body
    assert 0 < draft.edit_share < 0.5
    assert draft.ticket.status == Ticket.Status.PENDING


def test_send_refuses_viewers_and_other_stores(victor, charlie, store):
    draft = factories.ReplyDraftFactory(ticket=factories.TicketFactory(store=store))
    for user in (victor, charlie):
        with pytest.raises(ValidationError):
            send_draft(user=user, draft=draft)
    assert not Message.objects.filter(ticket=draft.ticket, sender="agent").exists()


def test_discard_and_outcomes_per_intent(alice, store):
    tickets = [factories.TicketFactory(store=store, intent="order_status") for _ in range(3)]
    drafts = [factories.ReplyDraftFactory(ticket=t, text="Your order has shipped with DHL today.") for t in tickets]
    send_draft(user=alice, draft=drafts[0])
    send_draft(user=alice, draft=drafts[1], text="Your order has shipped with DHL today. Best, Alice")
    discard_drafts(user=alice, drafts=[drafts[2].pk])
    # when
    (row,) = draft_outcomes(store=store)
    # then
    assert (row["intent"], row["unchanged"], row["small_edits"], row["discarded"], row["total"]) == (
        "order_status",
        1,
        1,
        1,
        3,
    )


def test_edit_share_is_zero_for_unchanged_and_one_for_rewritten():
    assert edit_share("same text here", "same text here") == 0.0
    assert edit_share("same text here", "entirely different words") == 1.0


def test_triage_job_counts_progress(alice, store, django_capture_on_commit_callbacks):
    tickets = factories.TicketFactory.create_batch(3, store=store)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_triage(user=alice, store=store, ticket_ids=[t.pk for t in tickets])
    job.refresh_from_db()
    assert (job.done, job.state) == (3, Job.State.SUCCEEDED)


def test_triage_chunk_queries_do_not_grow_per_ticket(store, django_assert_max_num_queries):
    from support.services import triage_chunk

    tickets = factories.TicketFactory.create_batch(10, store=store)
    for ticket in tickets:
        factories.MessageFactory(ticket=ticket)
    job = factories.JobFactory(store=store, kind="support.triage")
    # 3 reads (tickets, messages, intents) + one update per ticket
    with django_assert_max_num_queries(3 + len(tickets)):
        triage_chunk(job, [t.pk for t in tickets])
