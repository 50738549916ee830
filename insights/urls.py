"""Registers this app's viewsets on the shared /api/v1/ router."""

from ecomops.api import router
from insights.api import (
    AlertViewSet,
    ProductReviewSummaryViewSet,
    ReviewInsightsViewSet,
    ReviewViewSet,
    WeeklyReportViewSet,
)

router.register("reviews", ReviewViewSet, basename="review")
router.register("review-insights", ReviewInsightsViewSet, basename="review-insights")
router.register("review-summaries", ProductReviewSummaryViewSet, basename="reviewsummary")
router.register("review-alerts", AlertViewSet, basename="reviewalert")
router.register("review-reports", WeeklyReportViewSet, basename="weeklyreport")
