"""Work pages say while the references that concern them are being linked, and what was linked;
the linked-reference counts stay right through matching, rejections and re-deposits."""
import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from citations.models import Citation
from citations.services import citation_reject, match_works
from deposits.models import Deposit, Work
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db


def process(member, articles, **kwargs) -> Deposit:
    deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit(articles, **kwargs), filename="d.xml")
    return deposit_process(deposit_id=deposit.pk)


def text(response) -> str:
    """What the page says (words only), plus whether it polls."""
    body = response.content.decode()
    return " ".join(strip_tags(body).split()) + (' hx-trigger="every 2s"' if 'hx-trigger="every 2s"' in body else "")


@pytest.fixture
def linked_pair(press, society):
    process(press[0], [{"doi": "10.5555/cited", "title": "Cited"}])
    process(society[0], [{"doi": "10.6666/citing", "references": [
        {"key": "a", "doi": "10.5555/cited"}, {"key": "b", "unstructured": "Nobody (1900). Nothing."}]}])
    return press, society


def test_public_page_shows_linking_then_what_was_linked(client, linked_pair):
    url = reverse("citations:work", args=["10.6666/citing"])
    running = text(client.get(url))
    assert "Linking references… 0 of 2 checked (0 of 1 work)." in running
    assert "Cited by 0 works registered here so far" in running and 'hx-trigger="every 2s"' in running
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="work-linking"') and "<html" not in fragment

    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    done = text(client.get(url))
    assert "References linked: 1 of its 2 references cites a registered work." in done
    assert "Linking references" not in done and "hx-trigger" not in done and "so far" not in done


def test_cited_by_page_of_a_work_still_linking_says_so(client, linked_pair):
    (press, admin), _ = linked_pair
    client.force_login(admin)
    url = reverse("citations:cited_by", args=["10.5555/cited"])
    assert "Linking references… 0 of 1 checked." in text(client.get(url))  # the cited work: no references of its own
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    done = text(client.get(url))
    assert "Cited by 1" in done and "Linking references" not in done and "hx-trigger" not in done


def test_cited_by_fragment_is_only_for_those_who_see_the_list(client, linked_pair, society):
    _, (_, other_admin) = linked_pair
    client.force_login(other_admin)
    url = reverse("citations:cited_by", args=["10.5555/cited"])
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404


def test_linked_reference_counts_follow_links_rejections_and_redeposits(linked_pair):
    (_, admin), (society, _) = linked_pair
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    assert Work.objects.get(doi="10.6666/citing").linked_references_count == 1
    citation_reject(citation=Citation.objects.get(), by=admin)
    assert Work.objects.get(doi="10.6666/citing").linked_references_count == 0

    process(society, [{"doi": "10.6666/citing", "references": [{"key": "c", "doi": "10.5555/cited"}]}], timestamp=20250101000000)
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    assert Work.objects.get(doi="10.6666/citing").linked_references_count == 1
    process(society, [{"doi": "10.6666/citing", "references": []}], timestamp=20260101000000)
    assert Work.objects.get(doi="10.6666/citing").linked_references_count == 0  # its citation went with the reference


def test_migration_backfills_linked_counts_of_links_made_before_it(linked_pair):
    import importlib

    from django.apps import apps

    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    Work.objects.update(linked_references_count=0)  # as the column's default left existing works
    migration = importlib.import_module("citations.migrations.0006_backfill_linked_reference_counts")
    migration.backfill(apps, None)
    assert dict(Work.objects.values_list("doi", "linked_references_count")) == {"10.5555/cited": 0, "10.6666/citing": 1}
