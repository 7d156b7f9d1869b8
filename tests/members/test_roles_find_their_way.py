"""Each role sees what it can do and, where it cannot, why and who can change that."""
from __future__ import annotations

from django.urls import reverse

from members.models import Role, User
from tests.builders import user_in


def test_an_editor_is_told_depositing_needs_the_depositor_role_and_whom_to_ask(client, press):
    member, admin = press
    client.force_login(user_in(member, "editor@cited-press.example", Role.EDITOR))
    html = client.get(reverse("deposits:list", args=[member.pk])).content.decode()
    assert "Depositing needs the depositor role; ask your member admin" in html
    assert f'href="mailto:{admin.email}"' in html
    assert 'type="file"' not in html


def test_a_depositor_and_an_admin_get_the_upload_form_and_no_excuse(client, press):
    member, admin = press
    for user in (admin, user_in(member, "depositor@cited-press.example", Role.DEPOSITOR)):
        client.force_login(user)
        html = client.get(reverse("deposits:list", args=[member.pk])).content.decode()
        assert 'type="file"' in html and "why-not-deposit" not in html


def test_agency_staff_are_told_deposits_stay_with_the_members_users(client, press):
    member, admin = press
    client.force_login(User.objects.create_superuser("staff@agency.example", "pw"))
    html = client.get(reverse("deposits:list", args=[member.pk])).content.decode()
    assert "registration agency's staff" in html and f"mailto:{admin.email}" in html
    assert 'type="file"' not in html and "ask the agency" not in html


def test_agency_staff_find_every_member_from_the_home_page_and_search_them(client, press, society):
    client.force_login(User.objects.create_superuser("staff@agency.example", "pw"))
    html = client.get("/").content.decode()
    assert "<h1>Every member</h1>" in html
    for member, _ in (press, society):
        assert f'href="{reverse("citations:dashboard", args=[member.pk])}"' in html
    by_prefix = client.get("/", {"q": "10.66"}).content.decode()
    assert "Citing Society" in by_prefix and "Cited Press" not in by_prefix
    assert "1 member match" in by_prefix
    by_name = client.get("/", {"q": "press"}).content.decode()
    assert "Cited Press" in by_name and "Citing Society" not in by_name


def test_a_member_user_still_lands_on_their_member(client, press):
    member, admin = press
    client.force_login(admin)
    assert client.get("/").url == reverse("citations:dashboard", args=[member.pk])


def test_a_signed_out_visitor_on_a_work_page_is_told_who_sees_the_list_and_how(client, press):
    from deposits.services import deposit_create_from_bytes, deposit_process
    from tests.xmlbuild import journal_article_deposit

    member, _ = press
    deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit([{"doi": "10.5555/seen"}]), filename="d.xml")
    deposit_process(deposit_id=deposit.pk)
    html = client.get("/doi/10.5555/seen").content.decode()
    assert "available to Cited Press only" in html
    assert f'href="{reverse("account_login")}?next=/doi/10.5555/seen"' in html
