from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

# Importing an app's urls module registers its viewsets on the shared router.
import catalog.urls  # noqa: F401
import insights.urls  # noqa: F401
import recommendations.urls  # noqa: F401
import support.urls  # noqa: F401
from ecomops.api import router
from ecomops.jobs.api import JobViewSet

router.register("jobs", JobViewSet, basename="job")

admin.site.site_header = "ecomops"
admin.site.site_title = "ecomops"
admin.site.index_title = "Store operations"
admin.site.site_url = None  # no storefront here: hide "View site"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include((router.urls, "api"), namespace="api")),
    path("api/v1/auth/token/", obtain_auth_token, name="api-token"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
