"""Crossref-compatible API routes. `works` has no trailing slash, as on api.crossref.org."""
from django.urls import path

from citations.api import views

app_name = "citations_api"
urlpatterns = [
    path("works", views.WorkList.as_view(), name="works"),
]
