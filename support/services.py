"""Support desk use-cases: open tickets and add messages, triage and draft them (in
workers), send or discard drafts, and measure how drafts fare."""

from __future__ import annotations

import difflib
import threading
from collections import OrderedDict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ecomops.jobs.models import Job
from ecomops.jobs.services import ChunkOutcome, start_job
from ecomops.ml import registry
from ecomops.ml.intents import Intent, IntentClassifier, intents_fingerprint
from ecomops.tenancy.models import Store
from support.default_intents import DEFAULT_INTENTS
from support.models import Customer, Message, Order, ReplyDraft, SupportIntent, Ticket
from support.prompts import TicketContext

TRIAGE = "support.triage"
DRAFT = "support.draft_replies"
# Drafting is the slow part (SmolLM2 on CPU writes ~10 tokens/s per sequence, more
# when batched): 8 tickets per chunk keeps one chunk well inside the task's 540 s.
DRAFT_CHUNK_SIZE = 8
# An edit smaller than this share of the text counts as a "small edit" in the
# desk's self-measure (a greeting or a name changed, not the substance).
SMALL_EDIT = 0.2


# -- writing tickets and messages ---------------------------------------------------------


def open_ticket(
    *,
    store: Store,
    subject: str,
    body: str,
    channel: str = Ticket.Channel.EMAIL,
    customer: Customer | None = None,
    order: Order | None = None,
) -> Ticket:
    """A new ticket with its first customer message; triage and a draft follow after commit."""
    if not (subject or "").strip() and not (body or "").strip():
        raise ValidationError("A ticket needs a subject or a message.")
    for related in (customer, order):
        if related is not None and related.store_id != store.pk:
            raise ValidationError("Customer and order must belong to the ticket's store.")
    with transaction.atomic():
        ticket = Ticket.objects.create(
            store=store,
            subject=(subject or body)[:300].strip(),
            channel=channel,
            customer=customer,
            order=order or _latest_order(customer),
        )
        if (body or "").strip():
            Message.objects.create(store=store, ticket=ticket, sender=Message.Sender.CUSTOMER, body=body.strip())
        schedule_first_pass(store=store, ticket_ids=[ticket.pk])
    return ticket


def find_or_create_customer(*, store: Store, email: str, name: str = "") -> Customer:
    """The store's customer with this email (case-insensitive), added if new."""
    email = (email or "").strip()
    if not email:
        raise ValidationError("A customer needs an email address.")
    customer = Customer.objects.for_store(store).filter(email__iexact=email).first()
    return customer or Customer.objects.create(store=store, email=email, name=(name or email.split("@")[0])[:200])


def add_message(*, ticket: Ticket, body: str, sender: str = Message.Sender.CUSTOMER, author=None) -> Message:
    """A message on a ticket. A customer's message re-opens the ticket and is triaged and drafted for."""
    if not (body or "").strip():
        raise ValidationError("The message is empty.")
    with transaction.atomic():
        message = Message.objects.create(
            store_id=ticket.store_id, ticket=ticket, sender=sender, author=author, body=body.strip()
        )
        if sender == Message.Sender.CUSTOMER:
            Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.OPEN, updated_at=timezone.now())
            schedule_first_pass(store=ticket.store, ticket_ids=[ticket.pk])
    return message


def schedule_first_pass(*, store: Store, ticket_ids: list[int]) -> None:
    """Triage, then a draft, for each ticket (two jobs, enqueued on commit)."""
    start_triage(store=store, ticket_ids=ticket_ids)
    start_drafts(store=store, ticket_ids=ticket_ids)


# -- triage -------------------------------------------------------------------------------


def request_triage(*, user, store: Store, ticket_ids: Iterable[int]) -> Job:
    """Re-triage the store's tickets (admin action, API); returns the job."""
    _require_writer(user=user, store=store)
    return start_triage(store=store, ticket_ids=_store_ticket_ids(store, ticket_ids), user=user)


def start_triage(*, store: Store, ticket_ids: list[int], user=None) -> Job:
    from support.tasks import triage_tickets_chunk as triage_tickets_chunk_task

    return start_job(
        store=store,
        kind=TRIAGE,
        item_ids=ticket_ids,
        task=triage_tickets_chunk_task,
        chunk_size=settings.ECOMOPS_CHUNK_SIZE * 4,
        user=user,
    )


def triage_chunk(job: Job, ticket_ids: list[int]) -> ChunkOutcome:
    """Worker side: one encoder pass for the chunk; intent, urgency, mood, priority saved."""
    from support.triage import triage_texts

    tickets = list(
        Ticket.objects.for_store(job.store).filter(pk__in=ticket_ids).prefetch_related("messages").order_by("pk")
    )
    if not tickets:
        return ChunkOutcome(done=0, failed=len(ticket_ids))
    classifier = classifier_for(intents_for_store(job.store), embedder=registry.embedder())
    results = triage_texts([t.triage_text() for t in tickets], classifier=classifier)
    now = timezone.now()
    for ticket, result in zip(tickets, results):
        Ticket.objects.filter(pk=ticket.pk).update(
            intent=result.intent,
            intent_confidence=result.confidence,
            urgency=result.urgency,
            mood=result.mood,
            priority=result.priority,
            triaged_at=now,
            updated_at=now,
        )
    return ChunkOutcome(done=len(tickets), failed=len(ticket_ids) - len(tickets))


def intents_for_store(store: Store) -> list[Intent]:
    """The store's active intents; the default list when it has none."""
    rows = SupportIntent.objects.for_store(store).filter(active=True).order_by("name", "pk")
    intents = [Intent(r.name, r.description, tuple(str(e) for e in (r.examples or []))) for r in rows]
    return intents or list(DEFAULT_INTENTS)


def install_default_intents(*, store: Store) -> int:
    """Give a store the default intent list (idempotent); returns how many were added."""
    added = 0
    for intent in DEFAULT_INTENTS:
        _, created = SupportIntent.objects.get_or_create(
            store=store,
            name=intent.name,
            defaults={"description": intent.description, "examples": list(intent.examples)},
        )
        added += created
    return added


_classifiers: OrderedDict[tuple[str, int], IntentClassifier] = OrderedDict()
_classifiers_lock = threading.Lock()
CLASSIFIERS_KEPT = 32  # per process; a fit costs ~1-10 s on the 2-core CPU (bench/triage_speed.py)


def classifier_for(intents: list[Intent], *, embedder) -> IntentClassifier:
    """A fitted classifier per intent list and embedder, kept per process (fit once, reuse)."""
    key = (intents_fingerprint(intents), id(embedder))
    with _classifiers_lock:
        cached = _classifiers.get(key)
        if cached is not None and cached.embedder is embedder:
            _classifiers.move_to_end(key)
            return cached
    classifier = IntentClassifier.fit(intents, embedder=embedder)
    with _classifiers_lock:
        _classifiers[key] = classifier
        while len(_classifiers) > CLASSIFIERS_KEPT:
            _classifiers.popitem(last=False)
    return classifier


# -- reply drafts -------------------------------------------------------------------------


def request_drafts(*, user, store: Store, ticket_ids: Iterable[int]) -> Job:
    """(Re)draft replies for the store's tickets; an open draft is replaced."""
    _require_writer(user=user, store=store)
    return start_drafts(store=store, ticket_ids=_store_ticket_ids(store, ticket_ids), user=user)


def start_drafts(*, store: Store, ticket_ids: list[int], user=None) -> Job:
    from support.tasks import draft_replies_chunk as draft_replies_chunk_task

    return start_job(
        store=store,
        kind=DRAFT,
        item_ids=ticket_ids,
        task=draft_replies_chunk_task,
        chunk_size=DRAFT_CHUNK_SIZE,
        user=user,
        model_name=registry.configured_name("generator"),
    )


def draft_chunk(job: Job, ticket_ids: list[int]) -> ChunkOutcome:
    """Worker side: retrieval for the chunk, one generator call, checks, one open draft per ticket."""
    from support.drafting import write_drafts
    from support.retrieval import search_articles

    tickets = list(
        Ticket.objects.for_store(job.store)
        .filter(pk__in=ticket_ids)
        .select_related("store", "customer", "order")
        .prefetch_related("messages", "order__lines")
        .order_by("pk")
    )
    if not tickets:
        return ChunkOutcome(done=0, failed=len(ticket_ids))
    hits = search_articles(store=job.store, queries=[t.triage_text() for t in tickets], embedder=registry.embedder())
    contexts = [ticket_context(ticket, [h.article for h in found]) for ticket, found in zip(tickets, hits)]
    results = write_drafts(contexts, generator=registry.generator())
    for ticket, found, context, result in zip(tickets, hits, contexts, results):
        save_draft(ticket=ticket, articles=[h.article for h in found], order_facts=context.order_facts, result=result)
    return ChunkOutcome(done=len(tickets), failed=len(ticket_ids) - len(tickets))


def ticket_context(ticket: Ticket, articles: list) -> TicketContext:
    turns = [("agent" if m.sender == Message.Sender.AGENT else "customer", m.body) for m in ticket.messages.all()]
    return TicketContext(
        store_name=ticket.store.name,
        customer_name=ticket.customer.name if ticket.customer else "",
        articles=[(a.title, a.body) for a in articles],
        order_facts=order_facts(ticket.order) if ticket.order else {},
        turns=turns or [("customer", ticket.subject)],
    )


def order_facts(order: Order) -> dict[str, str]:
    """What a draft may say about the order: status, dates, carrier, tracking, lines."""
    facts = {
        "Order number": order.number,
        "Status": order.get_status_display().lower(),
        "Placed on": _day(order.placed_at),
    }
    optional = {
        "Paid on": _day(order.paid_at),
        "Shipped on": _day(order.shipped_at),
        "Delivered on": _day(order.delivered_at),
        "Expected delivery": order.expected_delivery.isoformat() if order.expected_delivery else "",
        "Carrier": order.carrier,
        "Tracking number": order.tracking_number,
        "Total": f"{order.total} {order.currency}",
        "Items": ", ".join(f"{line.quantity} x {line.title}" for line in order.lines.all()),
    }
    return facts | {k: v for k, v in optional.items() if v}


def save_draft(*, ticket: Ticket, articles: list, order_facts: dict, result) -> ReplyDraft:
    """Upsert the ticket's one open draft: running a chunk twice leaves one draft."""
    values = {
        "store_id": ticket.store_id,
        "text": result.text,
        "flags": result.flags,
        "order_facts": order_facts,
        "model_version": result.model_version,
        "prompt_version": result.prompt_version,
    }
    try:
        with transaction.atomic():
            draft, _ = ReplyDraft.objects.update_or_create(
                ticket=ticket, status=ReplyDraft.Status.DRAFT, defaults=values
            )
    except IntegrityError:  # a concurrent run inserted it first
        draft, _ = ReplyDraft.objects.update_or_create(ticket=ticket, status=ReplyDraft.Status.DRAFT, defaults=values)
    draft.articles.set(articles)
    return draft


@transaction.atomic
def send_draft(*, user, draft: ReplyDraft, text: str | None = None) -> Message:
    """The agent sends the draft (as edited): stored as the agent's message; the ticket waits on the customer."""
    draft = _writable_drafts(user).select_for_update().filter(pk=draft.pk, status=ReplyDraft.Status.DRAFT).first()
    if draft is None:
        raise ValidationError("Only an open draft of your store can be sent.")
    final = (text if text is not None else draft.text).strip()
    if not final:
        raise ValidationError("The reply is empty.")
    message = Message.objects.create(
        store_id=draft.store_id, ticket_id=draft.ticket_id, sender=Message.Sender.AGENT, author=user, body=final
    )
    ReplyDraft.objects.filter(pk=draft.pk).update(
        status=ReplyDraft.Status.SENT,
        sent_text=final,
        sent_by=user,
        sent_at=timezone.now(),
        edit_share=edit_share(draft.text, final),
        updated_at=timezone.now(),
    )
    Ticket.objects.filter(pk=draft.ticket_id).update(status=Ticket.Status.PENDING, updated_at=timezone.now())
    return message


def discard_drafts(*, user, drafts) -> int:
    """Open drafts of the user's writable stores are discarded; returns how many."""
    ids = drafts.values("pk") if hasattr(drafts, "values") else drafts
    return (
        _writable_drafts(user)
        .filter(pk__in=ids, status=ReplyDraft.Status.DRAFT)
        .update(status=ReplyDraft.Status.DISCARDED, updated_at=timezone.now())
    )


def regenerate_draft(*, user, draft: ReplyDraft) -> Job:
    """Discard the open draft and write a new one."""
    discard_drafts(user=user, drafts=[draft.pk])
    return request_drafts(user=user, store=draft.store, ticket_ids=[draft.ticket_id])


def edit_share(draft: str, sent: str) -> float:
    """0.0 when sent unchanged, 1.0 when nothing of the draft survived."""
    return round(1.0 - difflib.SequenceMatcher(None, draft.split(), sent.split()).ratio(), 4)


def draft_outcomes(*, store: Store) -> list[dict]:
    """Per intent: drafts sent unchanged, after small edits, after larger edits, discarded."""
    table: dict[str, dict] = {}
    rows = ReplyDraft.objects.for_store(store).exclude(status=ReplyDraft.Status.DRAFT)
    for intent, status, share in rows.values_list("ticket__intent", "status", "edit_share"):
        row = table.setdefault(
            intent or "(untriaged)",
            {"intent": intent or "(untriaged)", "unchanged": 0, "small_edits": 0, "rewritten": 0, "discarded": 0},
        )
        if status == ReplyDraft.Status.DISCARDED:
            row["discarded"] += 1
        elif not share:
            row["unchanged"] += 1
        else:
            row["small_edits" if share < SMALL_EDIT else "rewritten"] += 1
    for row in table.values():
        total = sum(row[k] for k in ("unchanged", "small_edits", "rewritten", "discarded"))
        row |= {"total": total} | {
            f"{k}_share": round(row[k] / total, 3) for k in ("unchanged", "small_edits", "discarded")
        }
    return sorted(table.values(), key=lambda r: (-r["total"], r["intent"]))


# -- helpers ------------------------------------------------------------------------------


def _latest_order(customer: Customer | None) -> Order | None:
    return customer.orders.order_by("-placed_at", "-pk").first() if customer else None


def _day(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _store_ticket_ids(store: Store, ticket_ids: Iterable[int]) -> list[int]:
    wanted = set(ticket_ids)
    found = set(Ticket.objects.for_store(store).filter(pk__in=wanted).values_list("pk", flat=True))
    if missing := wanted - found:
        raise ValidationError(f"Unknown tickets for this store: {sorted(missing)[:10]}")
    return sorted(found)


def _writable_drafts(user):
    return ReplyDraft.objects.writable_by(user)


def _require_writer(*, user, store: Store) -> None:
    if not Store.objects.writable_by(user).filter(pk=store.pk).exists():
        raise PermissionDenied("You may not change this store's data.")
