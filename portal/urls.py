"""Root URLs."""
from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from deposits.doi import DoiConverter

from portal.views import home

register_converter(DoiConverter, "doi")
admin.site.site_header = "Cited-by Portal — agency administration"

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("deposits.urls")),
    path("", include("members.urls")),
    path("", include("citations.urls")),
    path("", include("citations.api.urls")),
    path("", include("deposits.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
]
