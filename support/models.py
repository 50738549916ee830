"""The merchant's customers and orders, and the support desk: tickets, messages,
the knowledge base, the store's intent list and the reply drafts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ecomops.tenancy.models import StoreOwned


class Customer(StoreOwned):
    name = models.CharField(max_length=200)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["store", "email"], name="customer_email_unique_per_store")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Order(StoreOwned):
    class Status(models.TextChoices):
        PLACED = "placed", "Placed"
        PAID = "paid", "Paid"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    number = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLACED)
    placed_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    expected_delivery = models.DateField(null=True, blank=True, help_text="Date promised to the customer, if any.")
    carrier = models.CharField(max_length=60, blank=True)
    tracking_number = models.CharField(max_length=80, blank=True)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="EUR")

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["store", "number"], name="order_number_unique_per_store")]
        indexes = [models.Index(fields=["store", "customer", "-placed_at"])]

    def __str__(self) -> str:
        return f"Order {self.number}"


class OrderLine(StoreOwned):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=300, help_text="As bought (the product may change or go).")
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"


class SupportIntent(StoreOwned):
    """One entry of the store's editable intent list: what triage chooses from."""

    name = models.SlugField(max_length=60, help_text="Short name, e.g. cancel_order.")
    description = models.CharField(max_length=300, blank=True, help_text="One line: what the customer wants.")
    examples = models.JSONField(default=list, blank=True, help_text="A few example messages (three is enough).")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["store", "name"], name="intent_name_unique_per_store")]

    def __str__(self) -> str:
        return self.name


class Ticket(StoreOwned):
    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEB = "web", "Web form"
        CHAT = "chat", "Chat"
        APP = "app", "Mobile app"
        PHONE = "phone", "Phone"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PENDING = "pending", "Pending"
        SOLVED = "solved", "Solved"

    class Urgency(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"
        URGENT = "urgent", "Urgent"

    subject = models.CharField(max_length=300)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    intent = models.CharField(max_length=60, blank=True)
    intent_confidence = models.FloatField(null=True, blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, blank=True)
    mood = models.CharField(max_length=10, blank=True)
    priority = models.PositiveSmallIntegerField(default=0, help_text="0-100, higher first (support/triage.py).")
    triaged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-priority", "created_at", "pk"]
        indexes = [models.Index(fields=["store", "status", "-priority"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    def triage_text(self) -> str:
        """What triage reads: the subject and the customer's latest message
        (reads prefetched `messages` when the caller prefetched them)."""
        from_customer = [m for m in self.messages.all() if m.sender == Message.Sender.CUSTOMER]
        last = max(from_customer, key=lambda m: (m.created_at, m.pk), default=None)
        return f"{self.subject}\n{last.body}" if last else self.subject


class Message(StoreOwned):
    class Sender(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        AGENT = "agent", "Agent"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices, default=Sender.CUSTOMER)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_sender_display()} on #{self.ticket_id}"


class KnowledgeArticle(StoreOwned):
    title = models.CharField(max_length=200)
    body = models.TextField()
    tags = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_version = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class ReplyDraft(StoreOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"
        DISCARDED = "discarded", "Discarded"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="drafts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    text = models.TextField()
    articles = models.ManyToManyField(KnowledgeArticle, blank=True, related_name="+")
    order_facts = models.JSONField(default=dict, blank=True)
    flags = models.JSONField(default=list, blank=True, help_text="Promises not backed by the sources.")
    model_version = models.CharField(max_length=200)
    prompt_version = models.CharField(max_length=40)
    sent_text = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    edit_share = models.FloatField(null=True, blank=True, help_text="0 = sent unchanged, 1 = rewritten.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["ticket"], condition=Q(status="draft"), name="one_open_draft_per_ticket")
        ]

    def __str__(self) -> str:
        return f"Draft for #{self.ticket_id}"

    @property
    def flagged(self) -> bool:
        return bool(self.flags)
