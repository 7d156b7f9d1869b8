from django.urls import path

from deposits import views

app_name = "deposits"
urlpatterns = [
    path("members/<int:pk>/", views.member_overview, name="member"),
    path("members/<int:pk>/deposits/", views.deposit_list, name="list"),
    path("deposits/<int:pk>/", views.deposit_detail, name="detail"),
    path("deposits/<int:pk>/file", views.deposit_file, name="file"),
]
