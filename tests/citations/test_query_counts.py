"""Pages cost the same number of queries for 2 works as for 40: no query per row."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citations.services import match_works
from deposits.models import Work
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db


def register(member, articles) -> None:
    deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit(articles), filename="d.xml")
    deposit_process(deposit_id=deposit.pk)


def citing(n: int, offset: int) -> list[dict]:
    return [{"doi": f"10.6666/c{offset + i}", "title": f"Citing {i}", "authors": [("A", f"Author{i}"), ("B", "Other")],
             "references": [{"key": "r", "doi": "10.5555/target"}]} for i in range(n)]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_cited_by_page_and_works_list_do_not_query_per_row(client, press, society):
    register(press[0], [{"doi": "10.5555/target", "title": "Target"}])
    register(society[0], citing(2, 0))
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    client.force_login(press[1])
    cited_by = reverse("citations:cited_by", args=["10.5555/target"])
    works = reverse("deposits:member", args=[press[0].pk])
    few = (queries_for(client, cited_by), queries_for(client, works))

    register(society[0], citing(38, 100))
    register(press[0], [{"doi": f"10.5555/more{i}"} for i in range(38)])
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    assert Work.objects.get(doi="10.5555/target").cited_by_count == 40
    many = (queries_for(client, cited_by), queries_for(client, works))
    assert many == few
