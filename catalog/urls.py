"""Registers the catalog's viewsets on the shared /api/v1/ router."""

from catalog.api import BrandVoiceViewSet, CategoryViewSet, ProductCopyViewSet, ProductViewSet
from ecomops.api import router

router.register("categories", CategoryViewSet, basename="category")
router.register("brand-voices", BrandVoiceViewSet, basename="brandvoice")
router.register("products", ProductViewSet, basename="product")
router.register("product-copies", ProductCopyViewSet, basename="productcopy")
