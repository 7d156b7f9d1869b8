from django.urls import path

from deposits import servlet, views

app_name = "deposits"
urlpatterns = [
    path("members/<int:pk>/", views.member_overview, name="member"),
    path("members/<int:pk>/deposits/", views.deposit_list, name="list"),
    path("deposits/<int:pk>/", views.deposit_detail, name="detail"),
    path("deposits/<int:pk>/file", views.deposit_file, name="file"),
    path("deposits/<int:pk>/log.xml", views.deposit_log, name="log"),
    # Crossref's servlet API, at Crossref's paths.
    path("servlet/deposit", servlet.deposit, name="servlet_deposit"),
    path("servlet/submissionDownload", servlet.submission_download, name="servlet_submission_download"),
]
