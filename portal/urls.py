"""Root URLs."""
from django.contrib import admin
from django.urls import include, path, register_converter
from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from deposits.doi import DoiConverter

from portal.health import health
from portal.views import home

register_converter(DoiConverter, "doi")
admin.site.site_header = "Cited-by Portal — agency administration"

urlpatterns = [
    path("", home, name="home"),
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("deposits.urls")),
    path("", include("members.urls")),
    path("", include("citations.urls")),
    path("", include("citations.widget.urls")),
    path("", include("citations.api.urls")),
    path("", include("deposits.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # Swagger UI's script is a file of its own (the split view), but it sets style attributes as it
    # draws: that page alone allows inline styles, never inline script.
    path("api/docs/", csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api_schema")),
         name="api_docs"),
]
