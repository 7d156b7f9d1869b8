"""Crossref-compatible API routes, at Crossref's paths: no trailing slash, as on api.crossref.org.

`works/<path>` also receives the portal's old page URLs (`/works/<doi>/`); the view sends
browsers on to the pages (see `views.work_or_old_page`).
"""
from django.urls import path

from citations.api import views

app_name = "citations_api"
urlpatterns = [
    path("works", views.WorkList.as_view(), name="works"),
    path("works/<path:doi>", views.work_or_old_page, name="work"),
]
