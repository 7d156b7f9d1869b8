"""The widget's addresses: /widget/v1/… is what publishers paste (versioned: it never changes
under them), and the member's pages for keys and documentation."""
from django.urls import path

from citations.widget import views

app_name = "widget"
urlpatterns = [
    path("widget/v1/cited-by.js", views.script, name="script"),
    path("widget/v1/data/<doi:doi>", views.data, name="data"),
    path("widget/v1/embed/<doi:doi>", views.embed, name="embed"),
    path("widget/demo/", views.demo, name="demo"),
    path("members/<int:pk>/widget/", views.keys, name="keys"),
    path("members/<int:pk>/widget/<int:key_pk>/revoke", views.key_revoke, name="revoke"),
    path("members/<int:pk>/widget/docs", views.docs, name="docs"),
]
