"""A member admin's widget keys page and the publishers' documentation page."""
from __future__ import annotations

import pytest

from members.models import Role, WidgetKey
from tests.builders import user_in
from tests.citations.widget_builders import SITE, widget_key, work

pytestmark = pytest.mark.django_db


def test_an_admin_makes_a_key_for_the_sites_given(client, press):
    member, admin = press
    client.force_login(admin)
    response = client.post(f"/members/{member.pk}/widget/", {"name": "Journal site", "origins": "https://Journal.example/\nhttp://localhost:8080"}, follow=True)
    key = WidgetKey.objects.get(member=member)
    assert key.allowed_origins == [SITE, "http://localhost:8080"]
    assert key.key.startswith("cbw_")
    page = response.content.decode()
    assert f"Widget key “Journal site” made: {key.key}" in page
    assert "How to add the widget to your pages" in page


def test_a_bad_site_is_refused_naming_its_line_and_nothing_is_made(client, press):
    member, admin = press
    client.force_login(admin)
    response = client.post(f"/members/{member.pk}/widget/", {"name": "x", "origins": "https://ok.example\njournal.example/articles"})
    assert response.status_code == 400
    assert "line 2" in response.content.decode()
    assert not WidgetKey.objects.exists()


def test_revoking_a_key_from_the_page_marks_it_revoked(client, press):
    member, admin = press
    key = widget_key(member)
    client.force_login(admin)
    response = client.post(f"/members/{member.pk}/widget/{key.pk}/revoke", follow=True)
    key.refresh_from_db()
    assert key.revoked is not None and key.revoked_by == admin
    assert "is revoked" in response.content.decode()


def test_only_the_members_admins_see_its_widget_pages(client, press, society):
    member, _ = press
    key = widget_key(member)
    for user in (user_in(member, "editor@cited-press.example", Role.EDITOR), society[1]):
        client.force_login(user)
        assert client.get(f"/members/{member.pk}/widget/").status_code == 404
        assert client.get(f"/members/{member.pk}/widget/docs").status_code == 404
        assert client.post(f"/members/{member.pk}/widget/{key.pk}/revoke").status_code == 404
    key.refresh_from_db()
    assert key.revoked is None


def test_the_documentation_shows_the_snippet_for_one_of_the_members_dois_with_a_live_preview(client, press):
    member, admin = press
    work(member, "10.5555/most.cited", cited_by_count=7)
    work(member, "10.5555/less.cited", cited_by_count=1)
    key = widget_key(member)
    client.force_login(admin)
    page = client.get(f"/members/{member.pk}/widget/docs").content.decode()
    assert '&lt;div data-cited-by-doi="10.5555/most.cited" data-cited-by-key="' + key.key in page
    assert "http://testserver/widget/v1/cited-by.js" in page
    assert f'id="preview" data-cited-by-doi="10.5555/most.cited" data-cited-by-key="{key.key}"' in page
    assert 'src="/widget/v1/embed/10.5555/most.cited?key=' in page
    for option in ("data-cited-by-max", "data-cited-by-layout", "data-cited-by-theme", "data-cited-by-empty"):
        assert option in page


def test_the_demo_page_embeds_the_widget_for_a_work_of_a_member_with_a_key(client, press):
    assert "No member has an active widget key yet" in client.get("/widget/demo/").content.decode()
    member, _ = press
    work(member, "10.5555/demo.most", cited_by_count=3)
    key = widget_key(member)
    page = client.get("/widget/demo/").content.decode()
    assert f'<div data-cited-by-doi="10.5555/demo.most" data-cited-by-key="{key.key}"' in page
    assert '<script async src="/widget/v1/cited-by.js">' in page
