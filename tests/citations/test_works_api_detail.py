"""GET /works/{doi}: one work in Crossref's JSON, with its own reference list and no citing list."""
import json

import pytest

from citations.models import Citation
from citations.services import citation_reject
from deposits.models import Reference, Work
from tests.citations.works_registry import (
    CITING_DOI,
    GRAPHENE,
    GRAPHENE_REFERENCE,
    MUDFLATS,
    MUDFLATS_REFERENCE,
    UNMATCHED_REFERENCE,
    register,
    register_registry,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_matching_tasks")]

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
READER_DOI = "10.6666/reader.1"
# The reader's references: a DOI the publisher gave, two texts the portal matches, one it cannot.
READER = {
    "doi": READER_DOI,
    "title": "A reader of the registry",
    "authors": [("Rosalind", "Franklin")],
    "year": 2020,
    "volume": "3",
    "first_page": "1",
    "references": [
        {"key": "given", "doi": "10.5555/MUDFLATS", "author": "Anning", "year": "1999"},
        {"key": "matched", "unstructured": GRAPHENE_REFERENCE},
        {"key": "also-matched", "unstructured": MUDFLATS_REFERENCE},
        {"key": "unknown", "unstructured": UNMATCHED_REFERENCE, "journal_title": "Helv Phys Acta", "volume": "6", "first_page": "110", "year": "1933", "article_title": "Spectral displacement"},
    ],
}


@pytest.fixture
def registry(press, society, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the index is filled on commit
        register_registry(press[0], society[0])
        register(society[0], [READER], journal="Society Letters", batch="reader")
    from citations.services import match_works

    match_works(work_ids=Work.objects.filter(doi=READER_DOI).values_list("pk", flat=True))
    return press, society


def get_work(client, path: str, **headers):
    response = client.get(f"/works/{path}", **headers)
    body = json.loads(response.content) if response["Content-Type"] == "application/json" else None
    return response, body


def test_a_work_is_crossrefs_work_message(client, registry):
    press = registry[0][0]
    work = Work.objects.get(doi=GRAPHENE["doi"])
    work.contributors[0]["orcid"] = "0000-0002-1825-0097"
    work.last_page, work.isbn = "351", "9780306406157"
    work.save()
    response, body = get_work(client, GRAPHENE["doi"])
    assert response.status_code == 200
    assert {k: body[k] for k in ("status", "message-type", "message-version")} == {
        "status": "ok", "message-type": "work", "message-version": "1.0.0",
    }
    assert body["message"] == {
        "DOI": "10.5555/graphene.1",
        "type": "journal-article",
        "title": ["Phonon dispersion in strained graphene bilayers"],
        "subtitle": [],
        "author": [
            {"given": "Ada", "family": "Lovelace", "sequence": "first", "affiliation": [], "ORCID": "https://orcid.org/0000-0002-1825-0097"},
            {"given": "Charles", "family": "Babbage", "sequence": "additional", "affiliation": []},
        ],
        "container-title": ["Journal of Chemical Physics"],
        "ISSN": ["1234-5679"],
        "ISBN": ["9780306406157"],
        "volume": "120",
        "issue": "7",
        "page": "345-351",
        "issued": {"date-parts": [[2004]]},
        "published": {"date-parts": [[2004]]},
        "publisher": work.publisher,
        "member": str(press.pk),
        "prefix": "10.5555",
        "URL": "https://doi.org/10.5555/graphene.1",
        "resource": {"primary": {"URL": "https://example.org/articles/10.5555/graphene.1"}},
        "references-count": 0,
        "reference-count": 0,
        "is-referenced-by-count": 2,  # the citing work and the reader
        "reference": [],
    }


def test_the_reference_list_says_who_asserted_each_doi(client, registry):
    _, body = get_work(client, READER_DOI)
    message = body["message"]
    assert message["references-count"] == 4
    assert message["reference"] == [
        {"key": "given", "DOI": "10.5555/mudflats", "doi-asserted-by": "publisher", "author": "Anning", "year": "1999"},
        {"key": "matched", "DOI": GRAPHENE["doi"], "doi-asserted-by": "crossref", "unstructured": GRAPHENE_REFERENCE},
        {"key": "also-matched", "DOI": MUDFLATS["doi"], "doi-asserted-by": "crossref", "unstructured": MUDFLATS_REFERENCE},
        {
            "key": "unknown", "unstructured": UNMATCHED_REFERENCE, "article-title": "Spectral displacement",
            "journal-title": "Helv Phys Acta", "year": "1933", "volume": "6", "first-page": "110",
        },
    ]


def test_flagged_and_rejected_matches_never_appear(client, registry):
    press_admin = registry[0][1]
    matched = Citation.objects.get(reference__key="matched", reference__citing_work__doi=READER_DOI)
    citation_reject(citation=matched, by=press_admin)
    Citation.objects.filter(reference__key="also-matched", reference__citing_work__doi=READER_DOI).update(status=Citation.Status.FLAGGED)
    _, body = get_work(client, READER_DOI)
    by_key = {r["key"]: r for r in body["message"]["reference"]}
    assert "DOI" not in by_key["matched"] and "doi-asserted-by" not in by_key["matched"]
    assert "DOI" not in by_key["also-matched"] and "doi-asserted-by" not in by_key["also-matched"]
    assert by_key["given"]["doi-asserted-by"] == "publisher"  # what the publisher deposited stays


def test_a_cited_work_never_names_the_works_citing_it(client, registry):
    response, body = get_work(client, GRAPHENE["doi"])
    assert body["message"]["is-referenced-by-count"] == 2
    text = response.content.decode()
    assert CITING_DOI not in text and READER_DOI not in text


@pytest.mark.parametrize("path", [
    "10.5555/GRAPHENE.1",
    "10.5555%2Fgraphene.1",
    "https://doi.org/10.5555/graphene.1",
    "https%3A%2F%2Fdoi.org%2F10.5555%2FGraphene.1",
    "http://dx.doi.org/10.5555/graphene.1",
])
def test_any_form_of_the_doi_finds_the_work(client, registry, path):
    response, body = get_work(client, path)
    assert response.status_code == 200 and body["message"]["DOI"] == GRAPHENE["doi"]


@pytest.mark.parametrize("path", ["10.5555/no-such-work", "not-a-doi", "10.12/x"])
def test_an_unknown_doi_is_crossrefs_plain_404(client, registry, path):
    response, _ = get_work(client, path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"Resource not found."


def test_json_clients_get_json_with_or_without_a_trailing_slash(client, registry):
    for path in (GRAPHENE["doi"], f"{GRAPHENE['doi']}/"):
        response, body = get_work(client, path, HTTP_ACCEPT="application/json")
        assert response.status_code == 200 and body["message"]["DOI"] == GRAPHENE["doi"]
    response, body = get_work(client, f"{GRAPHENE['doi']}/")  # no Accept at all
    assert body["message"]["DOI"] == GRAPHENE["doi"]


def test_a_browser_at_the_old_page_url_is_redirected_but_gets_json_at_the_api_url(client, registry):
    old = client.get(f"/works/{GRAPHENE['doi']}/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert old.status_code == 301 and old.url == f"/doi/{GRAPHENE['doi']}"
    old_list = client.get(f"/works/{GRAPHENE['doi']}/cited-by/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert old_list.status_code == 301 and old_list.url == f"/cited-by/{GRAPHENE['doi']}"
    response, body = get_work(client, GRAPHENE["doi"], HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 200 and body["message"]["DOI"] == GRAPHENE["doi"]


def test_a_json_client_at_an_old_cited_by_url_learns_nothing(client, registry):
    response, _ = get_work(client, f"{GRAPHENE['doi']}/cited-by/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404 and response.content == b"Resource not found."


def test_queries_do_not_grow_with_the_reference_list(client, registry, django_assert_num_queries):
    reader = Work.objects.get(doi=READER_DOI)
    Reference.objects.bulk_create(
        Reference(citing_work=reader, key=f"extra{i}", position=100 + i, unstructured=f"Reference number {i}")
        for i in range(40)
    )
    with django_assert_num_queries(1):  # the work with its references and their counted matches
        response, body = get_work(client, READER_DOI)
    assert len(body["message"]["reference"]) == 44
