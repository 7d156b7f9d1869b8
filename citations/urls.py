"""Work pages. A DOI may hold any printable character, "/cited-by" and ".." included, so each
page has its own prefix before the DOI (no suffix route can collide) and links are built by
`citations.links.work_url`, which keeps dot segments from being collapsed by browsers."""
from django.urls import path

from citations import dashboard_views, notification_views, servlet, text_query_views, views

app_name = "citations"
urlpatterns = [
    path("doi/", views.work_lookup, name="lookup"),
    path("doi/<doi:doi>", views.work_public, name="work"),
    path("cited-by/<doi:doi>", views.work_cited_by, name="cited_by"),
    # Crossref's cited-by servlet, at Crossref's path (owner and its agents only).
    path("servlet/getForwardLinks", servlet.get_forward_links, name="get_forward_links"),
    # The member's home: its dashboard and works list (deposits:member redirects here).
    path("members/<int:pk>/", dashboard_views.member_dashboard, name="dashboard"),
    path("members/<int:pk>/participation/", dashboard_views.participation_report, name="participation"),
    path("members/<int:pk>/cited-by.<str:fmt>", dashboard_views.citing_export, name="export"),
    path("members/<int:pk>/notifications/", notification_views.notifications_page, name="notifications"),
    path("members/<int:pk>/notifications/<str:action>", notification_views.callback_change, name="callback_change"),
    path("members/<int:pk>/citation-emails/", notification_views.digest_page, name="digest"),
    path("citations/<int:pk>/decide", views.citation_decide, name="decide"),
    # The pages lived under /works/<doi>/ before; old links still arrive there, where
    # Crossref's JSON now answers: citations.api.views.work_or_old_page redirects browsers.
    path("tools/simple-text-query/", text_query_views.simple_text_query, name="simple_text_query"),
]
