"""`make run`'s demo (manage.py load_demo): every part of the dashboard, the participation report,
the review of flagged links and the widget demo page has something to show, made by the real
deposit pipeline and the real matcher; and loading it again changes nothing."""
import datetime
from io import StringIO

import pytest
import time_machine
from django.conf import global_settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from citations import dashboard
from citations.models import CallbackEndpoint, Citation, UnmatchedReference
from deposits.models import Deposit, RecordResult, Work
from members.models import AgentGrant, APIKey, Member, User, WidgetKey

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """What a second load must leave exactly as it was."""
    return {
        "users": sorted(User.objects.values_list("email", flat=True)),
        "members": Member.objects.count(),
        "deposits": sorted(Deposit.objects.values_list("filename", "status", "success_count")),
        "records": RecordResult.objects.count(),
        "works": sorted(Work.objects.values_list("doi", "cited_by_count", "references_count", "linked_references_count")),
        "links": sorted(Citation.objects.values_list("reference_id", "cited_work_id", "status", "created")),
        "unmatched": sorted(UnmatchedReference.objects.values_list("reference_id", "reason", "tried")),
        "keys": (APIKey.objects.count(), WidgetKey.objects.count(), AgentGrant.objects.count()),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loaded once for the module (about 20 s), then again 40 days later (into another year, whose
    deposit file the first load could not have had), inside a transaction rolled back at the end so
    the rest of the suite never sees it. Yields (first output, second output, snapshots)."""
    with django_db_blocker.unblock(), transaction.atomic():
        first = load_demo()
        before = snapshot()
        with time_machine.travel(timezone.now() + datetime.timedelta(days=40)):
            second = load_demo()
        yield first, second, before, snapshot()
        transaction.set_rollback(True)


@pytest.fixture
def open_demos(demo) -> Member:
    return Member.objects.get(name="Journal of Open Demos")


def test_loading_again_later_changes_nothing_and_says_so(demo):
    first, second, before, after = demo
    assert "13 new deposits" in first and "0 new deposits, 0 new links" in second
    assert before == after
    assert after["members"] == 4 and len(after["works"]) >= 250


def test_the_printed_logins_work(demo, settings):
    # The demo was loaded before this test's fast (MD5-only) hashers came in: read its hashes as made.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    for email, password in [("editor@open-demos.example", "demo-password"),
                            ("letters@example-letters.example", "demo-password"),
                            ("admin@agency.example", "demo-admin-password")]:
        assert User.objects.get(email=email).check_password(password), email
    assert User.objects.get(email="admin@agency.example").is_superuser


def test_every_deposit_went_through_the_pipeline_and_is_fully_linked(demo):
    assert set(Deposit.objects.values_list("status", flat=True)) == {Deposit.Status.COMPLETED}
    assert Deposit.objects.filter(failure_count__gt=0).count() == 0
    assert RecordResult.objects.count() == Work.objects.count()
    assert not Work.objects.filter(match_pending=True).exists()


def test_the_editors_dashboard_shows_non_zero_totals(client, open_demos):
    client.force_login(User.objects.get(email="editor@open-demos.example"))
    body = client.get(reverse("citations:dashboard", args=[open_demos.pk])).content.decode()
    totals = dashboard.totals(open_demos)
    assert all(getattr(totals, name) > 0 for name in totals.__dataclass_fields__), totals
    assert totals.citing_members == 4
    assert f"<dt>Citations received</dt><dd>{totals.citations_received}</dd>" in body
    assert dashboard.newest_citations(open_demos, days=7)  # the week's list is not empty either


def test_the_chart_has_citations_in_many_months(open_demos):
    months = dashboard.citations_per_month(member=open_demos)
    assert sum(1 for _, count in months if count) >= 6, months


def test_links_were_made_from_dois_structured_fields_and_strings(demo):
    assert set(Citation.objects.values_list("method", flat=True)) >= {"publisher-doi", "structured", "unstructured"}


def test_members_cite_each_other_both_ways(demo):
    def between(citing: str, cited: str) -> int:
        return Citation.objects.filter(citing_work__doi__startswith=citing + "/", cited_work__doi__startswith=cited + "/",
                                       status=Citation.Status.LINKED).count()
    assert between("10.5555", "10.5556") > 0 and between("10.5556", "10.5555") > 0


def test_one_link_is_flagged_for_the_cited_members_editors(client, open_demos):
    flagged = Citation.objects.get(status=Citation.Status.FLAGGED)
    assert flagged.cited_work.owner == open_demos and flagged.citing_work.doi.startswith("10.5556/")
    assert "year" in flagged.note and "title" in flagged.note
    client.force_login(User.objects.get(email="editor@open-demos.example"))
    page = client.get(reverse("citations:cited_by", args=[flagged.cited_work.doi])).content.decode()
    assert reverse("citations:decide", args=[flagged.pk]) in page


def test_the_participation_report_lists_unmatched_references_by_reason(client, open_demos):
    reasons = {reason for reason, _, _ in dashboard.participation(open_demos).unmatched}
    assert reasons >= {"doi-not-registered", "too-little-to-match"} and reasons & {"no-candidates", "below-threshold"}
    client.force_login(User.objects.get(email="editor@open-demos.example"))
    page = client.get(reverse("citations:participation", args=[open_demos.pk])).content.decode()
    assert "The DOI it gives is not registered here" in page


def test_keys_and_an_agent_are_set_up_and_no_callback(open_demos):
    key = WidgetKey.objects.filter(revoked__isnull=True).order_by("created", "pk").first()
    assert key.member == open_demos
    assert set(key.allowed_origins) >= {"http://127.0.0.1:8000", "http://localhost:8000"}
    assert APIKey.objects.filter(member=open_demos, revoked__isnull=True).exists()
    grant = AgentGrant.objects.get()
    assert (grant.principal.name, grant.agent.name) == ("Demo University Press", "Society of Example Letters")
    assert not CallbackEndpoint.objects.exists()


def test_the_widget_demo_page_embeds_the_most_cited_work_with_the_demo_key(client, open_demos):
    most = dashboard.most_cited(open_demos, limit=1)[0]
    key = WidgetKey.objects.get(member=open_demos)
    page = client.get("/widget/demo/").content.decode()
    assert f'<div data-cited-by-doi="{most.doi}" data-cited-by-key="{key.key}"' in page
