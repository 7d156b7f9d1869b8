"""Crossref-compatible API routes, at Crossref's paths: no trailing slash, as on api.crossref.org.

`works/<path>` also receives the portal's old page URLs (`/works/<doi>/`); the view sends
browsers on to the pages (see `views.work_or_old_page`).
"""
from django.urls import path

from citations.api import cited_by, views

app_name = "citations_api"
urlpatterns = [
    path("works", views.WorkList.as_view(), name="works"),
    # Members only: the owner's users and keys with `retrieve`, and its agents.
    path("api/v1/works/<path:doi>/cited-by", cited_by.WorkCitedBy.as_view(), name="work_cited_by"),
    path("api/v1/prefixes/<str:prefix>/cited-by", cited_by.PrefixCitedBy.as_view(), name="prefix_cited_by"),
    path("works/<path:doi>", views.work_or_old_page, name="work"),
]
