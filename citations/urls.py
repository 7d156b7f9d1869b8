from django.urls import path

from citations import views

app_name = "citations"
urlpatterns = [
    path("works/", views.work_lookup, name="lookup"),
    path("works/<path:doi>/cited-by/", views.work_cited_by, name="cited_by"),
    path("works/<path:doi>/", views.work_public, name="work"),
]
