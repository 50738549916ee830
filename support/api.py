from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ecomops.api import call_service
from ecomops.jobs.api import JobSerializer
from ecomops.tenancy.api import (
    ScopedRelatedField,
    StoreOwnedSerializer,
    StoreScopedModelViewSet,
    StoreScopedViewSet,
    caller_store,
    is_api_key,
)
from support.models import Customer, KnowledgeArticle, Message, Order, ReplyDraft, SupportIntent, Ticket
from support.services import (
    SMALL_EDIT,
    add_message,
    discard_drafts,
    draft_outcomes,
    find_or_create_customer,
    open_ticket,
    regenerate_draft,
    request_drafts,
    request_triage,
    send_draft,
)


class CustomerSerializer(StoreOwnedSerializer):
    unique_in_store = ("email", "iexact")

    class Meta:
        model = Customer
        fields = ["id", "store", "name", "email", "phone", "notes", "created_at"]
        read_only_fields = ["created_at"]
        validators = []


class OrderSerializer(StoreOwnedSerializer):
    unique_in_store = ("number", "exact")

    customer = ScopedRelatedField(queryset=Customer.objects.all())

    class Meta:
        model = Order
        fields = [
            "id",
            "store",
            "customer",
            "number",
            "status",
            "placed_at",
            "paid_at",
            "shipped_at",
            "delivered_at",
            "expected_delivery",
            "carrier",
            "tracking_number",
            "total",
            "currency",
        ]
        validators = []


class SupportIntentSerializer(StoreOwnedSerializer):
    unique_in_store = ("name", "exact")

    examples = serializers.ListField(child=serializers.CharField(max_length=500), max_length=50, required=False)

    class Meta:
        model = SupportIntent
        fields = ["id", "store", "name", "description", "examples", "active"]
        validators = []


class KnowledgeArticleSerializer(StoreOwnedSerializer):
    tags = serializers.ListField(child=serializers.CharField(max_length=60), max_length=30, required=False)

    class Meta:
        model = KnowledgeArticle
        fields = ["id", "store", "title", "body", "tags", "active", "updated_at"]
        read_only_fields = ["updated_at"]


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "ticket", "sender", "body", "created_at"]
        read_only_fields = fields


class TicketSerializer(StoreOwnedSerializer):
    """Open a ticket: `body` is the first message. A storefront that does not know the
    customer's id gives `customer_email` (and `customer_name`); the customer is found or added."""

    customer = ScopedRelatedField(queryset=Customer.objects.all(), required=False, allow_null=True)
    order = ScopedRelatedField(queryset=Order.objects.all(), required=False, allow_null=True)
    body = serializers.CharField(max_length=20000, write_only=True, required=False, allow_blank=True)
    customer_email = serializers.EmailField(write_only=True, required=False)
    customer_name = serializers.CharField(max_length=200, write_only=True, required=False)
    subject = serializers.CharField(max_length=300, required=False, allow_blank=True)
    messages = MessageSerializer(many=True, read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "store",
            "subject",
            "channel",
            "status",
            "customer",
            "order",
            "assignee",
            "intent",
            "intent_confidence",
            "urgency",
            "mood",
            "priority",
            "triaged_at",
            "created_at",
            "body",
            "customer_email",
            "customer_name",
            "messages",
        ]
        read_only_fields = [
            "status",
            "assignee",
            "intent",
            "intent_confidence",
            "urgency",
            "mood",
            "priority",
            "triaged_at",
            "created_at",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not (attrs.get("subject") or "").strip() and not (attrs.get("body") or "").strip():
            raise serializers.ValidationError({"body": "Give a subject or a message."})
        return attrs

    def create(self, validated_data):
        data = dict(validated_data)
        customer = data.get("customer")
        if customer is None and data.get("customer_email"):
            customer = call_service(
                find_or_create_customer,
                store=data["store"],
                email=data["customer_email"],
                name=data.get("customer_name", ""),
            )
        return call_service(
            open_ticket,
            store=data["store"],
            subject=data.get("subject", ""),
            body=data.get("body", ""),
            channel=data.get("channel", Ticket.Channel.WEB),
            customer=customer,
            order=data.get("order"),
        )

    def update(self, instance, validated_data):
        for name in ("body", "customer_email", "customer_name"):
            validated_data.pop(name, None)
        return super().update(instance, validated_data)


class NewMessageSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20000)


class TicketIdsSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=5000)
    store = serializers.IntegerField(required=False)


class ReplyDraftSerializer(serializers.ModelSerializer):
    articles = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ReplyDraft
        fields = [
            "id",
            "store",
            "ticket",
            "status",
            "text",
            "articles",
            "order_facts",
            "flags",
            "model_version",
            "prompt_version",
            "sent_text",
            "sent_at",
            "edit_share",
            "created_at",
        ]
        read_only_fields = fields


class SendSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000, required=False)


class DraftOutcomeSerializer(serializers.Serializer):
    """What agents did with the drafts of one intent (open drafts are not counted)."""

    intent = serializers.CharField()
    total = serializers.IntegerField()
    unchanged = serializers.IntegerField(help_text="Sent as drafted.")
    small_edits = serializers.IntegerField(help_text=f"Sent after changing less than {SMALL_EDIT:.0%} of the words.")
    rewritten = serializers.IntegerField(help_text="Sent after larger edits.")
    discarded = serializers.IntegerField()
    unchanged_share = serializers.FloatField()
    small_edits_share = serializers.FloatField()
    discarded_share = serializers.FloatField()


class DraftOutcomesSerializer(serializers.Serializer):
    store = serializers.IntegerField()
    small_edit_below = serializers.FloatField(help_text="Share of changed words under which an edit counts as small.")
    intents = DraftOutcomeSerializer(many=True, help_text="Most drafts first.")


class CustomerViewSet(StoreScopedModelViewSet):
    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    filterset_fields = ["store", "email"]
    search_fields = ["name", "email", "phone"]


class OrderViewSet(StoreScopedModelViewSet):
    queryset = Order.objects.select_related("customer")
    serializer_class = OrderSerializer
    filterset_fields = ["store", "customer", "status"]
    search_fields = ["number", "tracking_number"]
    ordering_fields = ["placed_at", "total"]


class SupportIntentViewSet(StoreScopedModelViewSet):
    """The store's intent list (name, one-line description, a few examples) that triage chooses from."""

    queryset = SupportIntent.objects.all()
    serializer_class = SupportIntentSerializer
    filterset_fields = ["store", "active"]


class KnowledgeArticleViewSet(StoreScopedModelViewSet):
    queryset = KnowledgeArticle.objects.all()
    serializer_class = KnowledgeArticleSerializer
    filterset_fields = ["store", "active"]
    search_fields = ["title", "body"]


class TicketViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    StoreScopedViewSet,
):
    """Tickets, highest priority first. Storefront and app API keys open tickets and add messages."""

    queryset = Ticket.objects.select_related("customer", "order").prefetch_related("messages")
    serializer_class = TicketSerializer
    api_key_actions = {"create", "add_message"}
    filterset_fields = ["store", "status", "intent", "urgency", "mood", "customer"]
    search_fields = ["subject"]
    ordering_fields = ["priority", "created_at"]

    @extend_schema(request=NewMessageSerializer, responses={201: MessageSerializer})
    @action(detail=True, methods=["post"], url_path="messages")
    def add_message(self, request, pk=None):
        """A new message: from the customer with an API key, from an agent with a staff login."""
        ticket = self.get_object()
        params = NewMessageSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        sender = Message.Sender.CUSTOMER if is_api_key(request) else Message.Sender.AGENT
        author = None if is_api_key(request) else request.user
        message = call_service(
            add_message, ticket=ticket, body=params.validated_data["body"], sender=sender, author=author
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TicketIdsSerializer, responses={202: JobSerializer})
    @action(detail=False, methods=["post"])
    def triage(self, request):
        """Re-triage tickets by id; answers 202 with the job."""
        return self._job(request, request_triage)

    @extend_schema(request=TicketIdsSerializer, responses={202: JobSerializer})
    @action(detail=False, methods=["post"], url_path="draft-replies")
    def draft_replies(self, request):
        """(Re)draft replies for tickets by id; answers 202 with the job."""
        return self._job(request, request_drafts)

    def _job(self, request, service) -> Response:
        params = TicketIdsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        store = caller_store(request, params.validated_data.get("store"))
        job = call_service(service, user=request.user, store=store, ticket_ids=params.validated_data["ids"])
        body = JobSerializer(job).data | {"url": request.build_absolute_uri(job.get_absolute_url())}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class ReplyDraftViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    """Drafts with their sources and flags; send (optionally edited), discard or regenerate."""

    queryset = ReplyDraft.objects.prefetch_related("articles")
    serializer_class = ReplyDraftSerializer
    filterset_fields = ["store", "ticket", "status"]
    ordering_fields = ["created_at"]

    @extend_schema(
        parameters=[OpenApiParameter("store", int, description="Needed when you belong to several stores.")],
        responses={200: DraftOutcomesSerializer},
    )
    @action(detail=False, methods=["get"])
    def outcomes(self, request):
        """Per intent: the share of drafts sent unchanged, sent after small edits, or discarded."""
        store = caller_store(request, request.query_params.get("store"), reading=True)
        body = {"store": store.pk, "small_edit_below": SMALL_EDIT, "intents": draft_outcomes(store=store)}
        return Response(DraftOutcomesSerializer(body).data)

    @extend_schema(request=SendSerializer, responses={201: MessageSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        draft = self.get_object()
        params = SendSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        message = call_service(send_draft, user=request.user, draft=draft, text=params.validated_data.get("text"))
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        draft = self.get_object()
        return Response({"discarded": call_service(discard_drafts, user=request.user, drafts=[draft.pk])})

    @extend_schema(request=None, responses={202: JobSerializer})
    @action(detail=True, methods=["post"])
    def regenerate(self, request, pk=None):
        draft = self.get_object()
        job = call_service(regenerate_draft, user=request.user, draft=draft)
        body = JobSerializer(job).data | {"url": request.build_absolute_uri(job.get_absolute_url())}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})
