from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from catalog.models import Product
from ecomops.api import call_service
from ecomops.tenancy.api import StoreScopedViewSet, caller_store
from recommendations.models import CustomerPick, Interaction, RecommenderRun
from recommendations.services import (
    MAX_EVENTS_PER_REQUEST,
    STORED_PER_LIST,
    bought_together,
    customer_picks,
    record_interactions,
    request_training,
    similar_products,
)


class EventSerializer(serializers.Serializer):
    customer = serializers.CharField(max_length=100)
    product = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=Interaction.Kind.choices)
    timestamp = serializers.DateTimeField(required=False)


class EventBatchSerializer(serializers.Serializer):
    events = EventSerializer(many=True, allow_empty=False, max_length=MAX_EVENTS_PER_REQUEST)
    store = serializers.IntegerField(required=False)


class InteractionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Interaction
        fields = ["id", "store", "customer_ref", "product", "kind", "occurred_at", "source"]
        read_only_fields = fields


class RecommendationSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product.pk")
    title = serializers.CharField(source="product.title")
    score = serializers.FloatField()
    reason = serializers.CharField()
    explanation = serializers.CharField()
    because_of = serializers.IntegerField(source="because_of.pk", allow_null=True, default=None)
    support = serializers.IntegerField(allow_null=True)


class RecommenderRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecommenderRun
        fields = [
            "id",
            "store",
            "state",
            "trigger",
            "is_live",
            "params",
            "interactions",
            "customers",
            "products",
            "metrics",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "duration_s",
        ]
        read_only_fields = fields


class TrainSerializer(serializers.Serializer):
    store = serializers.IntegerField(required=False)


class TopKSerializer(serializers.Serializer):
    k = serializers.IntegerField(min_value=1, max_value=STORED_PER_LIST, default=10)


class PicksQuerySerializer(TopKSerializer):
    customer = serializers.CharField(max_length=100)
    store = serializers.IntegerField(required=False)


def _top_k(request) -> int:
    params = TopKSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data["k"]


class InteractionViewSet(mixins.ListModelMixin, StoreScopedViewSet):
    """Interaction events. Storefronts and apps post them in batches with their store API key."""

    queryset = Interaction.objects.all()
    serializer_class = InteractionSerializer
    api_key_actions = {"create"}
    filterset_fields = ["store", "customer_ref", "product", "kind", "source"]
    ordering_fields = ["occurred_at"]

    @extend_schema(request=EventBatchSerializer, responses={201: dict})
    def create(self, request):
        batch = EventBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        store = caller_store(request, batch.validated_data.get("store"))
        recorded = call_service(record_interactions, store=store, events=batch.validated_data["events"])
        return Response({"recorded": recorded}, status=status.HTTP_201_CREATED)


class ProductRecommendationViewSet(StoreScopedViewSet):
    """Similar products and products bought together, for a product of your store."""

    queryset = Product.objects.all()
    api_key_actions = {"similar", "bought_together"}

    @extend_schema(parameters=[OpenApiParameter("k", int)], responses={200: RecommendationSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def similar(self, request, pk=None):
        found = similar_products(product=self.get_object(), k=_top_k(request))
        return Response(RecommendationSerializer(found, many=True).data)

    @extend_schema(parameters=[OpenApiParameter("k", int)], responses={200: RecommendationSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="bought-together")
    def bought_together(self, request, pk=None):
        found = bought_together(product=self.get_object(), k=_top_k(request))
        return Response(RecommendationSerializer(found, many=True).data)


class CustomerPickViewSet(StoreScopedViewSet):
    """A customer's personal picks: `GET ?customer=<their id in your store>&k=10`."""

    queryset = CustomerPick.objects.all()
    api_key_actions = {"list"}

    @extend_schema(parameters=[PicksQuerySerializer], responses={200: RecommendationSerializer(many=True)})
    def list(self, request):
        params = PicksQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        store = caller_store(request, params.validated_data.get("store"), reading=True)
        found = customer_picks(
            store=store, customer_ref=params.validated_data["customer"], k=params.validated_data["k"]
        )
        return Response(RecommendationSerializer(found, many=True).data)


class RecommenderRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    """Training runs with their offline metrics. `POST` queues a new run (202)."""

    queryset = RecommenderRun.objects.all()
    serializer_class = RecommenderRunSerializer
    filterset_fields = ["store", "state", "trigger", "is_live"]
    ordering_fields = ["created_at"]

    @extend_schema(request=TrainSerializer, responses={202: RecommenderRunSerializer})
    def create(self, request):
        params = TrainSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        store = caller_store(request, params.validated_data.get("store"))
        run = call_service(request_training, user=request.user, store=store)
        url = request.build_absolute_uri(f"/api/v1/recommender-runs/{run.pk}/")
        return Response(RecommenderRunSerializer(run).data | {"url": url}, status=status.HTTP_202_ACCEPTED,
                        headers={"Location": url})  # fmt: skip
