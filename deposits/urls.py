from django.urls import path
from django.views.generic import RedirectView

from deposits import servlet, views

app_name = "deposits"
urlpatterns = [
    # The member's home moved to its dashboard (citations:dashboard at /members/<pk>/); this name
    # stays so links built with it still land there.
    path("members/<int:pk>/works/", RedirectView.as_view(pattern_name="citations:dashboard", query_string=True), name="member"),
    path("members/<int:pk>/deposits/", views.deposit_list, name="list"),
    path("deposits/<int:pk>/", views.deposit_detail, name="detail"),
    path("deposits/<int:pk>/file", views.deposit_file, name="file"),
    path("deposits/<int:pk>/log.xml", views.deposit_log, name="log"),
    # Crossref's servlet API, at Crossref's paths.
    path("servlet/deposit", servlet.deposit, name="servlet_deposit"),
    path("servlet/submissionDownload", servlet.submission_download, name="servlet_submission_download"),
]
