from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("members/<int:pk>/users/", views.member_users, name="users"),
    path("members/<int:pk>/users/<int:membership_id>/role", views.membership_role, name="role"),
    path("members/<int:pk>/users/<int:membership_id>/remove", views.membership_delete, name="remove"),
    path("members/<int:pk>/keys/", views.api_keys, name="keys"),
    path("members/<int:pk>/keys/<int:key_pk>/revoke", views.api_key_revoke, name="revoke_key"),
    path("members/<int:pk>/agents/", views.agents, name="agents"),
    path("members/<int:pk>/agents/<int:grant_pk>/revoke", views.agent_revoke, name="revoke_agent"),
]
