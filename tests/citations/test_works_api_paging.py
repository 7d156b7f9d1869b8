"""GET /works without a query: Crossref's filters, sorts, and cursor deep paging over the registry."""
import datetime
import json

import pytest
import time_machine

from deposits.models import Work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_matching_tasks")]

TYPES = ("journal-article", "book-chapter", "proceedings-article")


def make_works(member, prefix: str, count: int, *, start: int = 0) -> list[Work]:
    """Works with spread-out counts, years (some missing), types and update times."""
    works = Work.objects.bulk_create(
        Work(
            doi=f"{prefix}/w{i:03d}", title=f"Work {i}", owner=member, type=TYPES[i % 3],
            publication_year=None if i % 9 == 0 else 1990 + i % 7, cited_by_count=i % 5,
            references_count=i % 2 * 3, match_pending=False,
        )
        for i in range(start, start + count)
    )
    for i, work in enumerate(works, start=start):  # `updated` is auto_now: set it past save()
        Work.objects.filter(pk=work.pk).update(updated=datetime.datetime(2024, 1, 1 + i % 28, tzinfo=datetime.UTC))
    return list(Work.objects.filter(pk__in=[w.pk for w in works]))


@pytest.fixture
def registry(press, society):
    return make_works(press[0], "10.5555", 30) + make_works(society[0], "10.6666", 15, start=30)


def get_works(client, **params):
    response = client.get("/works", params)
    return response, json.loads(response.content)


def dois(body) -> list[str]:
    return [item["DOI"] for item in body["message"]["items"]]


def expected(works, *, where=lambda w: True, key=lambda w: w.created, descending=True) -> list[str]:
    chosen = [w for w in works if where(w)]
    if key(chosen[0]) is None or any(key(w) is None for w in chosen):
        # missing values sort first ascending and last descending, as in Crossref
        ordered = sorted(chosen, key=lambda w: (key(w) is not None, key(w) or 0, w.pk), reverse=descending)
    else:
        ordered = sorted(chosen, key=lambda w: (key(w), w.pk), reverse=descending)
    return [w.doi for w in ordered]


def page_through(client, **params) -> tuple[list[str], list[dict]]:
    """Every page of a cursor=* walk, as Crossref's clients do it: until a page comes back empty."""
    seen, bodies, cursor = [], [], "*"
    while True:
        response, body = get_works(client, cursor=cursor, **params)
        assert response.status_code == 200, body
        bodies.append(body)
        if not body["message"]["items"]:
            return seen, bodies
        seen += dois(body)
        cursor = body["message"]["next-cursor"]
        assert len(bodies) < 20, "paging does not end"


@pytest.mark.parametrize(("filter_text", "where"), [
    ("prefix:10.6666", lambda w: w.doi.startswith("10.6666/")),
    ("type:book-chapter", lambda w: w.type == "book-chapter"),
    ("type:book-chapter,type:proceedings-article", lambda w: w.type != "journal-article"),
    ("from-pub-date:1994-06,until-pub-date:1995", lambda w: w.publication_year in (1994, 1995)),
    ("has-references:true", lambda w: w.references_count > 0),
    ("has-references:0", lambda w: w.references_count == 0),
    ("from-update-date:2024-01-20", lambda w: w.updated.day >= 20),
    ("from-update-date:2024-01-10,until-update-date:2024-01-12", lambda w: 10 <= w.updated.day <= 12),
    ("prefix:10.5555,type:journal-article,has-references:true", lambda w: w.doi.startswith("10.5555/") and w.type == "journal-article" and w.references_count),
])
def test_filters_keep_exactly_the_works_meeting_them(client, registry, filter_text, where):
    response, body = get_works(client, filter=filter_text, rows=1000)
    assert response.status_code == 200
    assert dois(body) == expected(registry, where=where)
    assert body["message"]["total-results"] == len(dois(body)) > 0


def test_member_filter_names_the_member_by_its_id(client, registry, society):
    _, body = get_works(client, filter=f"member:{society[0].pk}", rows=100)
    assert dois(body) == expected(registry, where=lambda w: w.owner_id == society[0].pk)
    assert {item["member"] for item in body["message"]["items"]} == {str(society[0].pk)}


def test_an_unknown_filter_is_a_400_in_crossrefs_error_json(client, registry):
    response, body = get_works(client, filter="prefix:10.5555,has-orcid:true")
    assert response.status_code == 400
    assert body["status"] == "failed" and body["message-type"] == "validation-failure"
    assert [(p["type"], p["value"]) for p in body["message"]] == [("filter-not-available", "has-orcid")]


@pytest.mark.parametrize(("sort", "key"), [
    ("is-referenced-by-count", lambda w: w.cited_by_count),
    ("published", lambda w: w.publication_year),
    ("updated", lambda w: w.updated),
])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_sorts_order_the_works_with_ties_broken_the_same_way_every_time(client, registry, sort, key, order):
    _, body = get_works(client, sort=sort, order=order, rows=1000)
    assert dois(body) == expected(registry, key=key, descending=order == "desc")


def test_order_defaults_to_descending_as_crossref_does(client, registry):
    _, body = get_works(client, sort="is-referenced-by-count", rows=1000)
    assert dois(body) == expected(registry, key=lambda w: w.cited_by_count, descending=True)


@pytest.mark.parametrize(("sort", "key"), [
    (None, lambda w: w.created),
    ("is-referenced-by-count", lambda w: w.cited_by_count),
    ("published", lambda w: w.publication_year),
])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_a_cursor_walks_every_work_once_in_order_over_several_pages(client, registry, sort, key, order):
    params = {"rows": 20, "order": order} | ({"sort": sort} if sort else {})
    seen, bodies = page_through(client, **params)
    assert [len(b["message"]["items"]) for b in bodies] == [20, 20, 5, 0]
    assert seen == expected(registry, key=key, descending=order == "desc")
    assert {b["message"]["total-results"] for b in bodies} == {45}


def test_a_cursor_walk_honours_filters(client, registry):
    seen, bodies = page_through(client, rows=7, filter="prefix:10.5555,has-references:true", sort="published")
    assert seen == expected(registry, where=lambda w: w.doi.startswith("10.5555/") and w.references_count, key=lambda w: w.publication_year)
    assert len(bodies) == 4  # 15 works: 7 + 7 + 1, then the empty page


def test_next_cursor_is_stable_and_an_exhausted_cursor_stays_empty(client, registry):
    _, first = get_works(client, cursor="*", rows=20)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5), tick=False):
        _, again = get_works(client, cursor="*", rows=20)  # later: the same place, the same cursor
    assert first["message"]["next-cursor"] == again["message"]["next-cursor"] != "*"
    _, end = get_works(client, cursor=first["message"]["next-cursor"], rows=1000)
    _, after_end = get_works(client, cursor=end["message"]["next-cursor"], rows=1000)
    assert len(end["message"]["items"]) == 25 and after_end["message"]["items"] == []
    assert after_end["message"]["next-cursor"] == end["message"]["next-cursor"]


def test_a_cursor_is_a_place_not_a_position_so_new_works_never_shift_a_page(client, registry, press):
    _, first = get_works(client, cursor="*", rows=20, sort="is-referenced-by-count")
    last_seen = dois(first)[-1]
    make_works(press[0], "10.5555", 10, start=100)  # new works, some sorting before the page end
    _, second = get_works(client, cursor=first["message"]["next-cursor"], rows=20, sort="is-referenced-by-count")
    everything = expected(Work.objects.all(), key=lambda w: w.cited_by_count)
    start = everything.index(last_seen) + 1
    assert dois(second) == everything[start : start + 20]
    assert not set(dois(first)) & set(dois(second))


@pytest.mark.parametrize("params", [
    {"cursor": "not-issued-here"},
    {"cursor": "*", "offset": 20},
])
def test_a_foreign_cursor_or_a_cursor_with_an_offset_is_refused(client, registry, params):
    response, body = get_works(client, **params)
    assert response.status_code == 400 and body["message-type"] == "validation-failure"


def test_a_cursor_must_keep_its_sort(client, registry):
    _, first = get_works(client, cursor="*", rows=5, sort="published")
    response, body = get_works(client, cursor=first["message"]["next-cursor"], rows=5, sort="updated")
    assert response.status_code == 400 and body["message"][0]["type"] == "cursor-not-valid"


def test_offset_pages_give_the_same_order_as_the_cursor(client, registry):
    seen, _ = page_through(client, rows=20, sort="published", order="asc")
    by_offset = []
    for offset in (0, 20, 40):
        _, body = get_works(client, rows=20, offset=offset, sort="published", order="asc")
        by_offset += dois(body)
    assert by_offset == seen


@pytest.mark.parametrize("rows", [1, 45, 1000])
def test_queries_do_not_grow_with_rows(client, registry, rows, django_assert_num_queries):
    params = {"filter": "has-references:true", "sort": "published"}
    _, first = get_works(client, cursor="*", rows=1, **params)
    with django_assert_num_queries(2):  # the total, the page
        response, body = get_works(client, cursor=first["message"]["next-cursor"], rows=rows, **params)
    assert response.status_code == 200 and len(body["message"]["items"]) == min(rows, 21)
