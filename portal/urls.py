"""Root URLs."""
from django.contrib import admin
from django.urls import include, path, register_converter

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
    path("", include("citations.urls")),
    path("", include("citations.api.urls")),
]
