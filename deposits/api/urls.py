"""The JSON API of deposits, versioned in its path."""
from django.urls import path

from deposits.api import views

app_name = "deposits_api"
urlpatterns = [
    path("api/v1/deposits/", views.DepositListCreate.as_view(), name="list"),
    path("api/v1/deposits/<int:pk>/", views.DepositDetail.as_view(), name="detail"),
]
