from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from catalog.models import Product
from ecomops.api import call_service
from ecomops.jobs.api import JobSerializer
from ecomops.tenancy.api import ScopedRelatedField, StoreOwnedSerializer, StoreScopedViewSet
from insights import figures
from insights.alerts import resolve_alerts
from insights.models import Alert, ProductReviewSummary, Review, ReviewAnalysis, SentimentLabel, WeeklyReport
from insights.services import NewReview, correct_label, request_scoring_by, submit_reviews


class ReviewAnalysisSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewAnalysis
        fields = ["label", "probability", "score", "aspects", "contradicts_rating", "model_version", "updated_at"]
        read_only_fields = fields


class ReviewSerializer(StoreOwnedSerializer):
    product = ScopedRelatedField(queryset=Product.objects.all())
    analysis = ReviewAnalysisSerializer(read_only=True)
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    body = serializers.CharField(max_length=20000)

    class Meta:
        model = Review
        fields = [
            "id",
            "store",
            "product",
            "customer_ref",
            "rating",
            "title",
            "body",
            "source",
            "written_at",
            "corrected_label",
            "analysis",
            "created_at",
        ]
        read_only_fields = ["source", "corrected_label", "created_at"]

    def create(self, validated_data):
        data = dict(validated_data)
        store, product = data.pop("store"), data.pop("product")
        request = self.context["request"]
        source = Review.Source.STOREFRONT
        [review] = call_service(
            submit_reviews,
            store=store,
            user=request.user,
            reviews=[NewReview(product_id=product.pk, source=source, **data)],
        )
        return review


class CorrectionSerializer(serializers.Serializer):
    label = serializers.ChoiceField(choices=SentimentLabel.choices + [("", "no correction")])


class ReviewIdsSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=5000)


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, StoreScopedViewSet):
    """Reviews with their analysis. Storefront API keys submit reviews here; scoring is queued."""

    queryset = Review.objects.select_related("analysis")
    serializer_class = ReviewSerializer
    api_key_actions = {"create"}
    filterset_fields = ["store", "product", "rating", "analysis__label", "source"]
    search_fields = ["title", "body"]
    ordering_fields = ["written_at", "rating", "analysis__score"]

    @extend_schema(request=CorrectionSerializer, responses={200: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """A merchant's label for this review (counts more when the store's model is fine-tuned)."""
        params = CorrectionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        review = call_service(
            correct_label, user=request.user, review=self.get_object(), label=params.validated_data["label"]
        )
        return Response(ReviewSerializer(review, context={"request": request}).data)

    @extend_schema(request=ReviewIdsSerializer, responses={202: JobSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def score(self, request):
        """Rescore reviews by id; answers 202 with one job per store."""
        params = ReviewIdsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        reviews = self.get_queryset().filter(pk__in=params.validated_data["ids"])
        jobs = call_service(request_scoring_by, user=request.user, reviews=reviews)
        body = [JobSerializer(j).data | {"url": request.build_absolute_uri(j.get_absolute_url())} for j in jobs]
        return Response(body, status=status.HTTP_202_ACCEPTED)


FILTERS = [OpenApiParameter(name, int, required=False) for name in ("store", "category", "product", "days")]


class ReviewInsightsViewSet(StoreScopedViewSet):
    """Figures over your stores' reviews, narrowed by store, category, product and period (days)."""

    queryset = Review.objects.all()

    def scope_queryset(self, queryset):
        q = self.request.query_params
        try:
            return figures.narrow(
                queryset,
                store_id=_int(q, "store"),
                category_id=_int(q, "category"),
                product_id=_int(q, "product"),
                days=_int(q, "days"),
            )
        except ValueError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc

    @extend_schema(parameters=FILTERS, responses={200: dict})
    @action(detail=False)
    def aspects(self, request):
        return Response(figures.aspect_insights(self.get_queryset(), examples=3))

    @extend_schema(
        parameters=FILTERS + [OpenApiParameter("bucket", str, enum=["day", "week", "month"])], responses={200: dict}
    )
    @action(detail=False)
    def trends(self, request):
        bucket = request.query_params.get("bucket", "week")
        if bucket not in figures.BUCKETS:
            raise serializers.ValidationError({"bucket": f"One of {sorted(figures.BUCKETS)}."})
        reviews = self.get_queryset()
        return Response(
            {
                "overview": figures.overview(reviews),
                "ratings": figures.rating_distribution(reviews),
                "periods": figures.sentiment_over_time(reviews, bucket=bucket),
                "attention": figures.products_needing_attention(reviews),
            }
        )


class ProductReviewSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductReviewSummary
        fields = ["id", "store", "product", "text", "review_count", "model_version", "prompt_version", "updated_at"]
        read_only_fields = fields


class ProductReviewSummaryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    queryset = ProductReviewSummary.objects.all()
    serializer_class = ProductReviewSummarySerializer
    api_key_actions = {"list", "retrieve"}
    filterset_fields = ["store", "product"]


class AlertSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alert
        fields = ["id", "store", "product", "review", "kind", "status", "message", "details", "created_at"]
        read_only_fields = fields


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    queryset = Alert.objects.all()
    serializer_class = AlertSerializer
    filterset_fields = ["store", "product", "kind", "status"]
    ordering_fields = ["created_at"]

    @extend_schema(request=None, responses={200: AlertSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        alert = self.get_object()
        call_service(resolve_alerts, user=request.user, alerts=[alert.pk])
        alert.refresh_from_db()
        return Response(AlertSerializer(alert).data)


class WeeklyReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = WeeklyReport
        fields = ["id", "store", "period_start", "period_end", "text", "figures", "created_at"]
        read_only_fields = fields


class WeeklyReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    queryset = WeeklyReport.objects.all()
    serializer_class = WeeklyReportSerializer
    filterset_fields = ["store"]


def _int(params, name: str) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value
