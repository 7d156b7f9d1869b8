"""GET /works: Crossref's work list, answering bibliographic queries with the matcher's candidates."""
import json

import pytest

from deposits.models import Work
from tests.citations.works_registry import (
    CITING_DOI,
    GRAPHENE,
    GRAPHENE_REFERENCE,
    GRAPHENE_TITLE,
    MUDFLATS,
    TRILAYERS,
    register_registry,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_matching_tasks")]


@pytest.fixture
def registry(press, society, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the index is filled on commit
        register_registry(press[0], society[0])
    return press[0]


def get_works(client, **params):
    # Crossref's clients' spelling: query_container_title -> query.container-title
    response = client.get("/works", {k.replace("query_", "query.", 1).replace("_", "-"): v for k, v in params.items()})
    return response, json.loads(response.content)


def test_a_known_title_finds_its_work_first_with_the_highest_score(client, registry):
    response, body = get_works(client, query_bibliographic=GRAPHENE_TITLE, rows=5)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    items = body["message"]["items"]
    dois = [item["DOI"] for item in items]
    assert dois[0] == GRAPHENE["doi"]
    assert TRILAYERS["doi"] in dois  # a real competitor was a candidate...
    scores = [item["score"] for item in items]
    assert scores[0] > scores[dois.index(TRILAYERS["doi"])]  # ...and scored lower
    assert scores == sorted(scores, reverse=True) and all(isinstance(s, float) and s > 0 for s in scores)


def test_the_envelope_is_crossrefs(client, registry):
    _, body = get_works(client, query_bibliographic=GRAPHENE_TITLE, rows=3)
    assert {k: body[k] for k in ("status", "message-type", "message-version")} == {
        "status": "ok", "message-type": "work-list", "message-version": "1.0.0",
    }
    message = body["message"]
    assert message["facets"] == {}
    assert message["items-per-page"] == 3
    assert message["query"] == {"start-index": 0, "search-terms": GRAPHENE_TITLE}
    assert message["total-results"] >= len(message["items"]) >= 2


def test_an_item_carries_crossrefs_fields(client, registry):
    work = Work.objects.get(doi=GRAPHENE["doi"])
    work.contributors[0]["orcid"] = "0000-0002-1825-0097"
    work.last_page = "351"
    work.save()
    _, body = get_works(client, query_bibliographic=GRAPHENE_REFERENCE, rows=1)
    (item,) = body["message"]["items"]
    score = item.pop("score")
    assert score > 50  # the matcher's score for a full, correct reference, times 100
    assert item == {
        "DOI": "10.5555/graphene.1",
        "title": ["Phonon dispersion in strained graphene bilayers"],
        "subtitle": [],
        "author": [
            {"given": "Ada", "family": "Lovelace", "sequence": "first", "affiliation": [], "ORCID": "https://orcid.org/0000-0002-1825-0097"},
            {"given": "Charles", "family": "Babbage", "sequence": "additional", "affiliation": []},
        ],
        "container-title": ["Journal of Chemical Physics"],
        "issued": {"date-parts": [[2004]]},
        "published": {"date-parts": [[2004]]},
        "volume": "120",
        "issue": "7",
        "page": "345-351",
        "type": "journal-article",
        "publisher": work.publisher,
        "ISSN": ["1234-5679"],
        "member": str(registry.pk),
        "prefix": "10.5555",
        "URL": "https://doi.org/10.5555/graphene.1",
        "is-referenced-by-count": 1,
        "references-count": 0,
        "reference-count": 0,
        "resource": {"primary": {"URL": "https://example.org/articles/10.5555/graphene.1"}},
    }


def test_the_count_is_public_but_never_the_citing_list(client, registry):
    response, body = get_works(client, query_bibliographic=GRAPHENE_REFERENCE, rows=20)
    (item,) = [i for i in body["message"]["items"] if i["DOI"] == GRAPHENE["doi"]]
    assert item["is-referenced-by-count"] == 1
    assert CITING_DOI not in response.content.decode()
    assert not {"reference", "relation", "cited-by"} & set(item)


def test_rows_limits_the_items_and_offset_pages_on(client, registry):
    _, first = get_works(client, query_bibliographic=GRAPHENE_TITLE, rows=1)
    _, second = get_works(client, query_bibliographic=GRAPHENE_TITLE, rows=1, offset=1)
    assert len(first["message"]["items"]) == 1 and len(second["message"]["items"]) == 1
    assert first["message"]["items"][0]["DOI"] == GRAPHENE["doi"]
    assert second["message"]["items"][0]["DOI"] != GRAPHENE["doi"]
    assert second["message"]["query"]["start-index"] == 1


def test_rows_default_to_20(client, registry):
    _, body = get_works(client, query_bibliographic=GRAPHENE_REFERENCE)
    assert body["message"]["items-per-page"] == 20


@pytest.mark.parametrize("rows", ["1000", "0"])
def test_rows_up_to_1000_are_accepted(client, registry, rows):
    response, body = get_works(client, query_bibliographic="graphene", rows=rows)
    assert response.status_code == 200 and body["message"]["items-per-page"] == int(rows)


@pytest.mark.parametrize("rows", ["1001", "-1", "many"])
def test_rows_over_the_cap_or_not_a_number_are_refused_as_crossref_does(client, registry, rows):
    response, body = get_works(client, query_bibliographic="graphene", rows=rows)
    assert response.status_code == 400
    assert body == {
        "status": "failed",
        "message-type": "validation-failure",
        "message": [{
            "type": "integer-not-valid",
            "value": rows,
            "message": f"Integer specified as {rows} but must be a positive integer less than or equal to 1000.",
        }],
    }


@pytest.mark.parametrize("param", ["facet", "sample", "query.editor"])
def test_parameters_the_portal_does_not_support_are_refused_by_name(client, registry, param):
    response, body = get_works(client, query_bibliographic="graphene", **{param: "x"})
    assert response.status_code == 400
    assert body["message-type"] == "validation-failure"
    assert [(p["type"], p["value"]) for p in body["message"]] == [("parameter-not-allowed", param)]


def test_plain_query_is_a_synonym_of_bibliographic(client, registry):
    _, bibliographic = get_works(client, query_bibliographic=GRAPHENE_REFERENCE)
    _, plain = get_works(client, query=GRAPHENE_REFERENCE)
    assert plain["message"]["items"] == bibliographic["message"]["items"]


def test_field_queries_search_their_field(client, registry):
    _, by_title = get_works(client, query_title="tidal rhythms estuarine mudflats", rows=1)
    assert [i["DOI"] for i in by_title["message"]["items"]] == [MUDFLATS["doi"]]
    _, by_author_and_journal = get_works(client, query_author="Hopper", query_container_title="Journal of Chemical Physics", rows=1)
    assert [i["DOI"] for i in by_author_and_journal["message"]["items"]] == [TRILAYERS["doi"]]


def test_a_reference_with_a_doi_finds_that_work_first(client, registry):
    _, body = get_works(client, query_bibliographic=f"Tidal rhythms. doi:{MUDFLATS['doi']}", rows=2)
    assert body["message"]["items"][0]["DOI"] == MUDFLATS["doi"]
    assert body["message"]["items"][0]["score"] == 100.0


def test_without_a_query_the_newest_works_are_listed_with_their_total(client, registry):
    response, body = get_works(client, rows=2)
    assert response.status_code == 200
    message = body["message"]
    assert message["total-results"] == Work.objects.count() == 4
    assert [i["DOI"] for i in message["items"]] == [CITING_DOI, MUDFLATS["doi"]]
    assert [i["score"] for i in message["items"]] == [0.01, 0.01]  # no relevance, but Crossref's clients want a positive float
    assert message["query"] == {"start-index": 0, "search-terms": None}


def test_select_keeps_only_the_named_fields(client, registry):
    _, body = get_works(client, query_bibliographic=GRAPHENE_TITLE, rows=2, select="DOI,score")
    assert [set(item) for item in body["message"]["items"]] == [{"DOI", "score"}] * 2


def test_works_is_answered_at_its_exact_path_not_redirected(client, registry):
    response = client.get("/works?query.bibliographic=graphene")
    assert response.status_code == 200


def test_a_query_pages_with_a_cursor_best_first_each_candidate_once(client, registry):
    seen, cursor, pages = [], "*", 0
    while True:
        _, body = get_works(client, query_bibliographic=GRAPHENE_TITLE, rows=1, cursor=cursor)
        pages += 1
        if not body["message"]["items"]:
            break
        seen += [i["DOI"] for i in body["message"]["items"]]
        cursor = body["message"]["next-cursor"]
    assert seen[0] == GRAPHENE["doi"] and TRILAYERS["doi"] in seen
    assert len(seen) == len(set(seen)) == body["message"]["total-results"] and pages == len(seen) + 1


def test_filters_narrow_a_query(client, registry):
    _, body = get_works(client, query_bibliographic=GRAPHENE_REFERENCE, filter="prefix:10.6666")
    assert body["message"]["items"] == [] and body["message"]["total-results"] == 0  # both candidates are 10.5555's
    _, body = get_works(client, query_bibliographic=GRAPHENE_REFERENCE, filter="until-pub-date:2004")
    assert GRAPHENE["doi"] in [i["DOI"] for i in body["message"]["items"]]
    assert TRILAYERS["doi"] not in [i["DOI"] for i in body["message"]["items"]]  # 2011


def test_a_query_may_be_sorted_by_a_field_instead_of_relevance(client, registry):
    _, body = get_works(client, query_bibliographic="phonon dispersion graphene", sort="published", order="asc", filter="prefix:10.5555")
    years = [i["issued"]["date-parts"][0][0] for i in body["message"]["items"]]
    assert years == sorted(years) and len(years) >= 2
