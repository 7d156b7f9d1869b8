"""portal.lookups: `__in` finds the same rows as Django's own on both databases, and on PostgreSQL
sends a list of plain values as one array (`= ANY(%s::type[])`) instead of a placeholder a value."""
from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Lower
from django.test.utils import CaptureQueriesContext

from deposits.models import Reference, Work
from tests.citations.cited_by_builders import link, work

pytestmark = pytest.mark.django_db
POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def works(press, society):
    cited = work(press[0], "10.5555/lookup.cited")
    citing = [work(society[0], f"10.6666/lookup.{n}") for n in range(3)]
    for one in citing[:2]:
        link(cited, one)
    return cited, citing


def _pks(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def test_plain_values_find_what_they_name(works):
    cited, citing = works
    assert _pks(Work.objects.filter(pk__in=[cited.pk, citing[0].pk, None, str(citing[1].pk)])) == sorted(
        [cited.pk, citing[0].pk, citing[1].pk])
    assert _pks(Work.objects.filter(doi__in=["10.5555/lookup.cited", "10.6666/lookup.2", "10.7777/none"])) == sorted(
        [cited.pk, citing[2].pk])
    assert not Work.objects.filter(pk__in=[]).exists()
    assert not Work.objects.filter(pk__in=[None]).exists()
    assert _pks(Work.objects.exclude(pk__in=[cited.pk])) == sorted(one.pk for one in citing)


def test_a_longer_value_never_matches_a_cut_down_column(works):
    cited, _ = works
    doi = "10.5555/" + "x" * (Work._meta.get_field("doi").max_length - len("10.5555/"))
    Work.objects.filter(pk=cited.pk).update(doi=doi)
    # As `varchar(n)[]` the longer value would have been cut to the column's length, and matched.
    assert not Work.objects.filter(doi__in=[doi + "yz"]).exists()
    assert Work.objects.filter(doi__in=[doi]).get().pk == cited.pk


def test_foreign_keys_take_ids_objects_and_subqueries(works):
    cited, citing = works
    by_ids = _pks(Reference.objects.filter(citing_work_id__in=[citing[0].pk, citing[2].pk]))
    assert by_ids == _pks(Reference.objects.filter(citing_work__in=[citing[0], citing[2]]))
    assert by_ids == _pks(Reference.objects.filter(citing_work__in=Work.objects.filter(doi__in=["10.6666/lookup.0", "10.6666/lookup.2"])))
    assert len(by_ids) == 1
    assert _pks(Work.objects.filter(pk__in=Reference.objects.values("citing_work_id"))) == sorted(one.pk for one in citing[:2])


def test_expressions_in_the_list_and_transforms(works):
    cited, citing = works
    assert _pks(Work.objects.filter(pk__in=[F("pk"), Value(-1)])) == sorted([cited.pk, *(one.pk for one in citing)])
    assert _pks(Work.objects.annotate(low=Lower("doi")).filter(low__in=["10.5555/lookup.cited"])) == [cited.pk]


class _Text(str):
    """A str that is not exactly a str: Django's own preparation of the values, not the short way."""


def _compiled(queryset) -> tuple[str, list]:
    """The statement and its values, in order (a set's order is its own), of an array or not."""
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    arrays = [param.strip("{}").split(",") if isinstance(param, str) and param.startswith("{") else param for param in params]
    values = [int(value) if isinstance(value, str) and value.isdigit() else value
              for param in arrays for value in (param if isinstance(param, (list, tuple)) else [param])]
    return sql, sorted(values, key=lambda value: (type(value).__name__, value))


def test_values_as_the_column_holds_them_compile_as_djangos_preparation_would(works):
    cited, citing = works
    ids = [cited.pk, citing[1].pk, citing[0].pk]
    dois = ["10.5555/lookup.cited", "10.6666/lookup.2"]
    pairs = [
        (Work.objects.filter(pk__in=ids), Work.objects.filter(pk__in=[str(pk) for pk in ids])),
        (Reference.objects.filter(citing_work_id__in=ids), Reference.objects.filter(citing_work_id__in=[str(pk) for pk in ids])),
        (Reference.objects.filter(citing_work__in=set(ids)), Reference.objects.filter(citing_work__in={str(pk) for pk in ids})),
        (Work.objects.filter(doi__in=tuple(dois)), Work.objects.filter(doi__in=tuple(_Text(doi) for doi in dois))),
    ]
    for short, prepared in pairs:
        assert _compiled(short) == _compiled(prepared)
        assert _pks(short) == _pks(prepared) != []
    assert _pks(Work.objects.filter(pk__in=[True])) == _pks(Work.objects.filter(pk__in=[1]))  # a bool is Django's to turn


def test_a_field_that_prepares_values_its_own_way_always_does():
    from citations.models import CallbackEndpoint

    _, values = _compiled(CallbackEndpoint.objects.filter(secret__in=["plain secret"]))
    assert values and "plain secret" not in values  # encrypted, as every value of that field is


@pytest.mark.skipif(not POSTGRESQL, reason="the array form is PostgreSQL's; SQLite keeps Django's IN")
def test_postgresql_sends_one_array_for_plain_values(works):
    cited, citing = works
    ids = [cited.pk, *range(10**6, 10**6 + 899)]
    with CaptureQueriesContext(connection) as queries:
        assert _pks(Work.objects.filter(pk__in=ids)) == [cited.pk]
        assert len(list(Reference.objects.filter(citing_work_id__in=[one.pk for one in citing]))) == 2
        list(Work.objects.filter(pk__in=Reference.objects.values("citing_work_id")))
    plain, related, subquery = (query["sql"] for query in queries.captured_queries)
    assert '"deposits_work"."id" = ANY(' in plain and "::bigint[])" in plain and " IN (" not in plain
    # Plain ids go as the array's text, one value (psycopg would render a list value by value).
    assert Work.objects.filter(pk__in=ids[:3]).query.get_compiler(connection=connection).as_sql()[1] == (
        f"{{{cited.pk},1000000,1000001}}",)
    assert '"deposits_reference"."citing_work_id" = ANY(' in related
    assert " IN (SELECT" in subquery


@pytest.mark.skipif(POSTGRESQL, reason="SQLite's own form")
def test_sqlite_keeps_in(works):
    cited, _ = works
    with CaptureQueriesContext(connection) as queries:
        list(Work.objects.filter(pk__in=[cited.pk, 2]))
    assert " IN (" in queries.captured_queries[0]["sql"]
