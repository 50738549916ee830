from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.timesince import timesince

from ecomops.tenancy.admin import StoreScopedAdmin
from ecomops.tenancy.models import Store
from support.models import Customer, KnowledgeArticle, Message, Order, OrderLine, ReplyDraft, SupportIntent, Ticket
from support.services import (
    discard_drafts,
    draft_outcomes,
    regenerate_draft,
    request_drafts,
    request_triage,
    send_draft,
)


@admin.register(Customer)
class CustomerAdmin(StoreScopedAdmin):
    list_display = ["name", "email", "phone", "store"]
    list_filter = ["store"]
    search_fields = ["name", "email", "phone"]


class StoreInlinePermissions:
    """Inlines follow the parent's store roles, not Django's per-model permissions
    (merchants have none; StoreScopedAdmin decides who sees the parent)."""

    def has_view_permission(self, request, obj=None) -> bool:
        return True  # the parent page is only reachable inside the user's stores

    def has_change_permission(self, request, obj=None) -> bool:
        writable = Store.objects.writable_by(request.user)
        return writable.filter(pk=obj.store_id).exists() if obj is not None else writable.exists()

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


class OrderLineInline(StoreInlinePermissions, admin.TabularInline):
    model = OrderLine
    fields = ["title", "product", "quantity", "unit_price"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if hasattr(db_field.related_model.objects, "for_user"):
            kwargs["queryset"] = db_field.related_model.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Order)
class OrderAdmin(StoreScopedAdmin):
    list_display = ["number", "customer", "status", "placed_at", "carrier", "tracking_number", "total", "currency"]
    list_filter = ["status", "store"]
    search_fields = ["number", "customer__name", "customer__email", "tracking_number"]
    list_select_related = ["customer"]
    inlines = [OrderLineInline]

    def save_formset(self, request, form, formset, change):
        for line in formset.save(commit=False):
            line.store_id = form.instance.store_id  # lines always belong to their order's store
            line.save()
        for line in formset.deleted_objects:
            line.delete()


@admin.register(SupportIntent)
class SupportIntentAdmin(StoreScopedAdmin):
    list_display = ["name", "description", "example_count", "active", "store"]
    list_filter = ["active", "store"]
    search_fields = ["name", "description"]

    @admin.display(description="Examples")
    def example_count(self, intent: SupportIntent) -> int:
        return len(intent.examples or [])


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(StoreScopedAdmin):
    list_display = ["title", "tags", "active", "updated_at", "store"]
    list_filter = ["active", "store"]
    search_fields = ["title", "body"]
    fields = ["store", "title", "body", "tags", "active"]


class MessageInline(StoreInlinePermissions, admin.TabularInline):
    """The conversation, read-only: agents reply through the draft, which records the message."""

    model = Message
    fields = ["created_at", "sender", "body"]
    readonly_fields = ["created_at", "sender", "body"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(StoreScopedAdmin):
    """The queue: highest priority first, then oldest."""

    list_display = ["subject", "status", "intent", "urgency", "mood", "priority", "age", "customer", "assignee"]
    list_filter = ["status", "urgency", "intent", "mood", "store"]
    search_fields = ["subject", "customer__name", "customer__email", "messages__body"]
    list_select_related = ["customer", "assignee"]
    ordering = ["-priority", "created_at"]
    actions = ["retriage", "draft_replies"]
    inlines = [MessageInline]
    fields = [
        "store",
        "subject",
        "channel",
        "status",
        "customer",
        "order",
        "assignee",
        "triage",
        "customer_orders",
        "current_draft",
    ]
    readonly_fields = ["triage", "customer_orders", "current_draft"]

    @admin.display(description="Age")
    def age(self, ticket: Ticket) -> str:
        return timesince(ticket.created_at, timezone.now()).split(",")[0]

    @admin.display(description="Triage")
    def triage(self, ticket: Ticket) -> str:
        if not ticket.triaged_at:
            return "Not triaged yet."
        return format_html(
            "intent <b>{}</b> ({}), urgency <b>{}</b>, mood <b>{}</b>, priority <b>{}</b>",
            ticket.intent,
            f"{ticket.intent_confidence or 0:.0%}",
            ticket.urgency,
            ticket.mood,
            ticket.priority,
        )

    @admin.display(description="Customer's orders")
    def customer_orders(self, ticket: Ticket) -> str:
        if not ticket.customer_id:
            return "—"
        orders = ticket.customer.orders.all()[:10]
        return (
            format_html_join(
                "",
                "<div>{} – {} – placed {} {}</div>",
                (
                    (
                        o.number,
                        o.get_status_display(),
                        o.placed_at.date(),
                        f"– {o.carrier} {o.tracking_number}" if o.tracking_number else "",
                    )
                    for o in orders
                ),
            )
            or "No orders."
        )

    @admin.display(description="Reply draft")
    def current_draft(self, ticket: Ticket) -> str:
        draft = ticket.drafts.filter(status=ReplyDraft.Status.DRAFT).first()
        if draft is None:
            return "No open draft."
        url = reverse("admin:support_replydraft_change", args=[draft.pk])
        sources = ", ".join(a.title for a in draft.articles.all()) or "no article"
        warning = format_html(' <b style="color:#b71c1c">⚠ unbacked promise</b>') if draft.flags else ""
        return format_html(
            '<div style="white-space:pre-wrap">{}</div><p>Sources: {}{}</p>'
            '<a class="button" href="{}">Edit, send, regenerate or discard</a>',
            draft.text,
            sources,
            warning,
            url,
        )

    @admin.action(description="Re-triage selected tickets")
    def retriage(self, request, queryset):
        self._per_store(request, queryset, request_triage, "Triaging")

    @admin.action(description="Draft replies for selected tickets")
    def draft_replies(self, request, queryset):
        self._per_store(request, queryset, request_drafts, "Drafting replies for")

    def _per_store(self, request, queryset, service, verb: str) -> None:
        for store in Store.objects.filter(pk__in=queryset.values("store")).order_by("pk"):
            ids = list(queryset.filter(store=store).values_list("pk", flat=True))
            try:
                job = service(user=request.user, store=store, ticket_ids=ids)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, str(exc), messages.ERROR)
                continue
            url = reverse("admin:jobs_job_change", args=[job.pk])
            self.message_user(
                request, format_html('{} {} tickets of {} – <a href="{}">progress</a>', verb, job.total, store, url)
            )


@admin.register(ReplyDraft)
class ReplyDraftAdmin(StoreScopedAdmin):
    """Each open draft is edited here and sent, regenerated or discarded (the buttons
    under the form); the list shows how drafts fared per intent."""

    change_form_template = "admin/support/replydraft/change_form.html"
    change_list_template = "admin/support/replydraft/change_list.html"
    list_display = ["ticket", "status", "flag_list", "excerpt", "edit_share", "model_version", "created_at"]
    list_filter = ["status", "store"]
    list_select_related = ["ticket"]
    actions = ["discard"]
    fields = [
        "ticket",
        "status",
        "conversation",
        "sources",
        "flag_list",
        "text",
        "sent_text",
        "model_version",
        "prompt_version",
    ]
    readonly_fields = [
        "ticket",
        "status",
        "conversation",
        "sources",
        "flag_list",
        "sent_text",
        "model_version",
        "prompt_version",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != ReplyDraft.Status.DRAFT:
            return [*self.readonly_fields, "text"]
        return self.readonly_fields

    @admin.display(description="Draft")
    def excerpt(self, draft: ReplyDraft) -> str:
        return Truncator(draft.text).chars(160)

    @admin.display(description="Unbacked promises")
    def flag_list(self, draft: ReplyDraft) -> str:
        if not draft.flags:
            return "—"
        return format_html_join(
            "", '<div style="color:#b71c1c">⚠ {}: {}</div>', ((f.get("kind"), f.get("text")) for f in draft.flags)
        )

    @admin.display(description="Conversation")
    def conversation(self, draft: ReplyDraft) -> str:
        return format_html_join(
            "", "<p><b>{}</b>: {}</p>", ((m.get_sender_display(), m.body) for m in draft.ticket.messages.all())
        )

    @admin.display(description="Sources")
    def sources(self, draft: ReplyDraft) -> str:
        articles = format_html_join("", "<li>Article: {}</li>", ((a.title,) for a in draft.articles.all()))
        facts = format_html_join("", "<li>{}: {}</li>", (draft.order_facts or {}).items())
        return format_html("<ul>{}{}</ul>", articles, facts) if (articles or facts) else "None"

    def save_model(self, request, obj, form, change):
        """The buttons: send (the edited text), regenerate, discard; plain save keeps the edit."""
        if "_send" in request.POST:
            send_draft(user=request.user, draft=obj, text=form.cleaned_data["text"])
            self.message_user(request, "Reply sent; the ticket now waits on the customer.")
        elif "_regenerate" in request.POST:
            regenerate_draft(user=request.user, draft=obj)
            self.message_user(request, "A new draft is being written.")
        elif "_discard" in request.POST:
            discard_drafts(user=request.user, drafts=[obj.pk])
            self.message_user(request, "Draft discarded.")
        else:
            super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if any(k in request.POST for k in ("_send", "_regenerate", "_discard")):
            return HttpResponseRedirect(reverse("admin:support_ticket_change", args=[obj.ticket_id]))
        return super().response_change(request, obj)

    @admin.action(description="Discard selected drafts")
    def discard(self, request, queryset):
        self.message_user(request, f"Discarded {discard_drafts(user=request.user, drafts=queryset)} drafts.")

    def changelist_view(self, request, extra_context=None):
        stores = Store.objects.for_user(request.user).order_by("name", "pk")[:20]
        outcomes = [(store, draft_outcomes(store=store)) for store in stores]
        return super().changelist_view(request, extra_context={**(extra_context or {}), "outcomes": outcomes})
