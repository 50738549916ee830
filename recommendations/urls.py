"""Registers this app's viewsets on the shared /api/v1/ router."""

from ecomops.api import router
from recommendations.api import (
    CustomerPickViewSet,
    InteractionViewSet,
    ProductRecommendationViewSet,
    RecommenderRunViewSet,
)

router.register("interactions", InteractionViewSet, basename="interaction")
router.register("recommendations/products", ProductRecommendationViewSet, basename="product-recommendation")
router.register("recommendations/picks", CustomerPickViewSet, basename="customer-pick")
router.register("recommender-runs", RecommenderRunViewSet, basename="recommender-run")
