"""A deposit's page stays small: results paginated, failures first, filterable; the live fragment
carries counts and the newest results only."""
import pytest
from django.urls import reverse

from deposits.models import Deposit, RecordResult

pytestmark = pytest.mark.django_db

RECORDS = 5000


@pytest.fixture
def big_deposit(press):
    member, admin = press
    deposit = Deposit.objects.create(member=member, filename="big.xml", sha256="0" * 64, status="processing", record_count=RECORDS)
    RecordResult.objects.bulk_create(
        RecordResult(deposit=deposit, position=n, doi=f"10.5555/r{n}", line=10 * n,
                     status="failure" if n % 500 == 0 else "success",
                     message=f"line {10 * n}: a failure message" if n % 500 == 0 else "Successfully added " + "x" * 100)
        for n in range(1, RECORDS + 1)
    )
    Deposit.objects.filter(pk=deposit.pk).update(success_count=RECORDS - 10, failure_count=10)
    return deposit


def test_live_fragment_sends_counts_and_newest_results_only(client, press, big_deposit):
    client.force_login(press[1])
    fragment = client.get(reverse("deposits:detail", args=[big_deposit.pk]), headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert len(body) < 10_000, len(body)
    assert "5000 of 5000 records done" in body and "10 failed so far" in body
    assert "10.5555/r5000" in body and "10.5555/r4990" not in body


def test_finished_deposit_pages_its_results_failures_first(client, press, big_deposit):
    Deposit.objects.filter(pk=big_deposit.pk).update(status="completed")
    client.force_login(press[1])
    page = client.get(reverse("deposits:detail", args=[big_deposit.pk]))
    body = page.content.decode()
    assert len(body) < 150_000, len(body)
    rows = page.context["page"].object_list
    assert [r.status for r in rows[:10]] == ["failure"] * 10 and rows[10].position == 1
    assert "Failures (10)" in body and "Page 1 of 50" in body

    failures = client.get(reverse("deposits:detail", args=[big_deposit.pk]), {"status": "failure"})
    assert [r.position for r in failures.context["page"].object_list] == list(range(500, 5001, 500))


def test_last_poll_brings_the_results_without_a_reload(client, press, big_deposit):
    Deposit.objects.filter(pk=big_deposit.pk).update(status="completed")
    client.force_login(press[1])
    body = client.get(reverse("deposits:detail", args=[big_deposit.pk]), headers={"HX-Request": "true"}).content.decode()
    assert 'id="results" hx-swap-oob="true"' in body and "Result per record" in body
    assert '<div id="messages" hx-swap-oob="true"></div>' in body  # the "queued" notice goes
    assert 'hx-trigger="every 2s"' not in body


@pytest.mark.parametrize(
    ("counts", "label", "css"),
    [
        ({"success_count": 3}, "Completed", "status-completed"),
        ({"success_count": 2, "warning_count": 1}, "Completed with warnings", "status-completed-with-warnings"),
        ({"success_count": 2, "failure_count": 1}, "Completed with failures", "status-completed-with-failures"),
        ({"failure_count": 3}, "Failed — nothing registered", "status-failed"),
    ],
)
def test_a_deposits_outcome_is_told_the_same_on_its_page_and_in_the_list(client, press, counts, label, css):
    member, admin = press
    deposit = Deposit.objects.create(member=member, filename="o.xml", sha256="0" * 64, status="completed", record_count=3, **counts)
    client.force_login(admin)
    for url in (reverse("deposits:detail", args=[deposit.pk]), reverse("deposits:list", args=[member.pk])):
        body = client.get(url).content.decode()
        assert f'class="status {css}"' in body and label in body, url
        if css != "status-completed":
            assert 'class="status status-completed"' not in body  # never green when anything failed


def test_the_members_users_and_staff_download_the_file_they_deposited_others_do_not(client, press, society, admin_user):
    from deposits.services import deposit_create_from_bytes
    from tests.xmlbuild import journal_article_deposit

    content = journal_article_deposit([{"doi": "10.5555/dl"}])
    deposit = deposit_create_from_bytes(member=press[0], content=content, filename="mine.xml")
    url = reverse("deposits:file", args=[deposit.pk])
    client.force_login(press[1])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert 'filename="mine.xml"' in response["Content-Disposition"]
    assert url in client.get(reverse("deposits:detail", args=[deposit.pk])).content.decode()
    client.force_login(society[1])
    assert client.get(url).status_code == 404
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    admin_page = client.get(reverse("admin:deposits_deposit_change", args=[deposit.pk])).content.decode()
    assert f'href="{url}"' in admin_page
    assert "RecordResult object" not in client.get(reverse("admin:deposits_deposit_change", args=[deposit.pk])).content.decode()
