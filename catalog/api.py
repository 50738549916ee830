from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from catalog.models import BrandVoice, Category, CopyKind, Product, ProductCopy
from catalog.services import approve_copies, publish_copies, reject_copies, request_copy
from ecomops.api import call_service
from ecomops.jobs.api import JobSerializer
from ecomops.tenancy.api import (
    ScopedRelatedField,
    StoreOwnedSerializer,
    StoreScopedModelViewSet,
    StoreScopedViewSet,
    caller_store,
)


class CategorySerializer(StoreOwnedSerializer):
    parent = ScopedRelatedField(queryset=Category.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Category
        fields = ["id", "store", "name", "parent"]


class BrandVoiceSerializer(StoreOwnedSerializer):
    words_to_avoid = serializers.ListField(child=serializers.CharField(max_length=60), required=False)

    class Meta:
        model = BrandVoice
        fields = ["id", "store", "tone", "audience", "words_to_avoid", "target_words"]


class ProductSerializer(StoreOwnedSerializer):
    unique_in_store = ("sku", "exact")

    category = ScopedRelatedField(queryset=Category.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "store",
            "title",
            "sku",
            "category",
            "attributes",
            "price",
            "currency",
            "stock",
            "is_published",
            "description",
            "short_description",
            "seo_title",
            "seo_meta_description",
            "marketing_blurb",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []

    def validate_attributes(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Attributes must be an object of name → value.")
        return value


class GenerateCopySerializer(serializers.Serializer):
    product_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=5000)
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=CopyKind.choices), min_length=1, default=[CopyKind.DESCRIPTION]
    )
    store = serializers.IntegerField(required=False)


class ProductCopySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductCopy
        fields = [
            "id",
            "store",
            "product",
            "kind",
            "status",
            "text",
            "flags",
            "passed_checks",
            "attempts",
            "model_version",
            "prompt_version",
            "job",
            "reviewed_at",
            "published_at",
            "created_at",
        ]
        read_only_fields = fields


class CopyIdsSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=5000)


class CategoryViewSet(StoreScopedModelViewSet):
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    filterset_fields = ["store", "parent"]
    search_fields = ["name"]


class BrandVoiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    StoreScopedViewSet,
):
    queryset = BrandVoice.objects.all()
    serializer_class = BrandVoiceSerializer


class ProductViewSet(StoreScopedModelViewSet):
    """Products of your stores. Storefront API keys may read them."""

    queryset = Product.objects.select_related("category")
    serializer_class = ProductSerializer
    api_key_actions = {"list", "retrieve"}
    filterset_fields = ["store", "category", "is_published", "currency"]
    search_fields = ["title", "sku", "description"]
    ordering_fields = ["title", "price", "stock", "created_at"]

    @extend_schema(request=GenerateCopySerializer, responses={202: JobSerializer})
    @action(detail=False, methods=["post"], url_path="generate-copy")
    def generate_copy(self, request):
        """Queue copy drafts for products; answers 202 with the job to poll."""
        params = GenerateCopySerializer(data=request.data)
        params.is_valid(raise_exception=True)
        store = caller_store(request, params.validated_data.get("store"))
        job = call_service(
            request_copy,
            user=request.user,
            store=store,
            product_ids=params.validated_data["product_ids"],
            kinds=params.validated_data["kinds"],
        )
        body = JobSerializer(job).data | {"url": request.build_absolute_uri(job.get_absolute_url())}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class ProductCopyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    """Generated drafts; approve, reject or publish them in bulk by id."""

    queryset = ProductCopy.objects.select_related("product")
    serializer_class = ProductCopySerializer
    filterset_fields = ["store", "product", "kind", "status", "passed_checks", "job"]
    ordering_fields = ["created_at"]

    @extend_schema(request=CopyIdsSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def approve(self, request):
        return self._review(request, approve_copies, "approved")

    @extend_schema(request=CopyIdsSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def reject(self, request):
        return self._review(request, reject_copies, "rejected")

    @extend_schema(request=CopyIdsSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def publish(self, request):
        return self._review(request, publish_copies, "published")

    def _review(self, request, service, verb: str) -> Response:
        params = CopyIdsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        copies = self.get_queryset().filter(pk__in=params.validated_data["ids"])
        count = call_service(service, user=request.user, copies=copies)
        return Response({verb: count, "requested": len(set(params.validated_data["ids"]))})
