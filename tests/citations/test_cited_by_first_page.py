"""A work's first cited-by page, read by a statement compiled once (citations.selectors.newest_links_to):
the same answer, byte for byte, as the general path (a queryset paged by DRF's cursor), and the
same owner-only rule."""
import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied

from citations.api import cited_by
from citations.api.serializers import WORK_FIELDS
from citations.models import Citation
from citations.selectors import cited_by_link_rows, cited_by_links, newest_links_to
from members.models import APIKey
from members.services import api_key_create
from tests.citations.cited_by_builders import link, work

pytestmark = pytest.mark.django_db
UTC = datetime.timezone.utc


@pytest.fixture
def varied(press, society):
    """10.5555/varied cited nine times by works of every shape, two links found at the same
    moment (the id breaks the tie), and a flagged link that is never listed."""
    target = work(press[0], "10.5555/varied")
    day = datetime.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
    people = [
        {"given_name": "Ana", "surname": "Silva", "sequence": "first", "orcid": "0000-0002-1825-0097"},
        {"surname": "The Consortium", "is_organization": True, "sequence": "additional"},
        {"given_name": "Eve", "surname": "Editor", "role": "editor", "sequence": "first"},
    ]
    shapes = [
        {"title": "Graphene <i>in vivo</i> H<sub>2</sub>O", "subtitle": "A <b>subtitle</b>", "contributors": people,
         "container_title": "Journal of Citing", "publication_year": 2025, "volume": "4", "issue": "2", "first_page": "10",
         "last_page": "19", "issn": "1234-5678", "publisher": "Citing Society", "resource_url": "https://citing.example/a"},
        {"title": "A book chapter", "type": "book-chapter", "isbn": "978-3-16-148410-0", "first_page": "e101"},
        {"title": "", "type": "posted-content", "publication_year": None},
        {"title": "Ünïcode “quotes” — and dashes", "contributors": [{"surname": "Øster"}], "publication_year": 1999},
        {"title": "Many references", "references_count": 120},
        {"title": "Tied one"},
        {"title": "Tied two"},
        {"title": "Confirmed by an editor"},
        {"title": "Oldest"},
    ]
    citers = [work(society[0], f"10.6666/varied.{n}", **fields) for n, fields in enumerate(shapes)]
    found = [day - datetime.timedelta(days=n) for n in range(len(citers))]
    found[6] = found[5]  # a tie
    for n, (citer, when) in enumerate(zip(citers, found)):
        method, score, status = Citation.Method.PUBLISHER_DOI, None, Citation.Status.LINKED
        if n % 3 == 1:
            method, score = Citation.Method.STRUCTURED, 0.8125
        if n % 3 == 2:
            method, score = Citation.Method.UNSTRUCTURED, 0.5
        if n == 7:
            status = Citation.Status.CONFIRMED
        link(target, citer, key=f"ref-{n}", created=when, method=method, score=score, status=status)
    link(target, work(society[0], "10.6666/flagged"), created=day + datetime.timedelta(days=1), status=Citation.Status.FLAGGED)
    # A citing work of its own cited: its cited_by_count shows in the list.
    link(citers[0], work(press[0], "10.5555/citing-the-citer"))
    return target


@pytest.fixture
def key(press):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key_create(member=press[0], name='p', scopes=[APIKey.Scope.RETRIEVE], created_by=None).token}"}


@pytest.mark.parametrize("size", [None, 1, 2, 5, 9, 10])
def test_a_first_page_is_the_general_paths_page_byte_for_byte(client, key, varied, size):
    url = "/api/v1/works/10.5555/varied/cited-by" + (f"?page_size={size}" if size else "")
    with mock.patch.object(cited_by, "newest_links_to", wraps=cited_by.newest_links_to) as compiled:
        first = client.get(url, **key)
    assert compiled.called, "the first page is read by the compiled statement"
    # An empty cursor is the first page too, but paged by DRF from the queryset.
    general = client.get(url + ("&" if size else "?") + "cursor=", **key)
    assert first.status_code == general.status_code == 200
    assert first.content == general.content
    listed = first.json()["results"]
    assert len(listed) == min(size or 50, 9)
    assert (first.json()["next"] is None) == (size is None or size >= 9)


def test_the_first_pages_next_link_leads_through_the_whole_list(client, key, varied):
    seen, url = [], "/api/v1/works/10.5555/varied/cited-by?page_size=2"
    while url:
        page = client.get(url, **key).json()
        seen += [r["citing_doi"] for r in page["results"]]
        url = page["next"]
    assert seen == [f"10.6666/varied.{n}" for n in (0, 1, 2, 3, 4, 6, 5, 7, 8)]  # the tie: the newer id first


def test_the_compiled_rows_are_the_querysets_for_each_count(press, varied):
    for count in (1, 3, 9, 51):
        expected = list(cited_by_link_rows(cited_by_links(acting=press[0], owner=press[0].pk, work=varied), work_fields=WORK_FIELDS)[:count])
        assert newest_links_to(acting=press[0], owner=press[0].pk, work=varied, count=count, work_fields=WORK_FIELDS) == expected
    assert len(expected) == 9 and expected[0]["citing_work__contributors"][0]["orcid"] == "0000-0002-1825-0097"


def test_the_compiled_read_is_owner_only(society, varied):
    with pytest.raises(PermissionDenied):
        newest_links_to(acting=society[0], owner=varied.owner_id, work=varied, count=5, work_fields=WORK_FIELDS)


def test_another_members_key_reads_no_first_page(client, society, varied):
    other = api_key_create(member=society[0], name="s", scopes=[APIKey.Scope.RETRIEVE], created_by=None).token
    answer = client.get("/api/v1/works/10.5555/varied/cited-by", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert answer.status_code == 403 and answer.json()["reason"] == "not_owner"
    assert "10.6666/varied" not in answer.content.decode()
