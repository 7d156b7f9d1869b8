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
    works = reverse("citations:dashboard", args=[press[0].pk])
    few = (queries_for(client, cited_by), queries_for(client, works))

    register(society[0], citing(38, 100))
    register(press[0], [{"doi": f"10.5555/more{i}"} for i in range(38)])
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    assert Work.objects.get(doi="10.5555/target").cited_by_count == 40
    many = (queries_for(client, cited_by), queries_for(client, works))
    assert many == few


def flagged(n: int, offset: int) -> list[dict]:
    """Citing works whose reference gives the target's DOI but describes another work."""
    return [{"doi": f"10.6666/f{offset + i}", "title": f"Flagging {i}",
             "references": [{"key": "r", "doi": "10.5555/target", "article_title": "Microbial carbon turnover in boreal peat soils",
                             "year": "1987", "first_page": "999"}]} for i in range(n)]


def test_cited_by_page_with_explanations_flags_and_decisions_does_not_query_per_row(client, press, society):
    """Each link's method, reviewer, flagged references and the decisions list come in a few queries."""
    from citations.models import Citation
    from citations.services import citation_confirm, citation_reject

    register(press[0], [{"doi": "10.5555/target", "title": "Target", "year": 2019, "volume": "4", "first_page": "10"}])
    cited_by = reverse("citations:cited_by", args=["10.5555/target"])

    def grow(offset: int, n: int) -> int:
        register(society[0], citing(n, offset) + flagged(n, offset))
        match_works(work_ids=Work.objects.values_list("pk", flat=True))
        new = Citation.objects.filter(citing_work__doi__startswith="10.6666/c", status="linked").order_by("pk")
        citation_confirm(citation=new[0], by=press[1])
        citation_reject(citation=new[1], by=press[1])
        client.force_login(press[1])
        return queries_for(client, cited_by)

    few = grow(0, 3)
    many = grow(100, 30)
    assert Citation.objects.filter(status="flagged").count() == 33
    assert Citation.objects.filter(status="confirmed").count() == 2
    body = client.get(cited_by).content.decode()
    assert body.count("\"match-status\">Confirmed by admin@cited-press.example") == 2 and body.count("Rejected by") == 2
    assert many == few
