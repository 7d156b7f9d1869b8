"""portal.compiled.CompiledValues: a `.values()` queryset compiled once gives the rows the queryset
gives, for any value, converters applied (JSON decoded, dates as aware datetimes)."""
from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F

from deposits.models import Work
from portal.compiled import CompiledValues
from tests.citations.widget_builders import work

pytestmark = pytest.mark.django_db


def test_compiled_values_are_the_querysets_rows_for_each_value(press, society):
    work(press[0], "10.5555/v.1", contributors=[{"given_name": "Ada", "surname": "Lovelace", "orcid": "0000-0002-1825-0097"}],
         publication_year=2020)
    work(press[0], "10.5555/v.2", title="Ünïcode “title”")
    work(society[0], "10.6666/v.3")

    def build(owner_id):
        return (Work.objects.filter(owner_id=owner_id).annotate(owner_name=F("owner__name"))
                .values("doi", "owner_name", "contributors", "created", "publication_year", "title").order_by("doi"))

    by_owner = CompiledValues(build, samples=(-7_000_000_099,))
    for owner in (press[0], society[0]):
        rows = by_owner(owner.pk)
        assert rows == list(build(owner.pk))
        assert list(rows[0]) == ["doi", "owner_name", "contributors", "created", "publication_year", "title"]
    assert by_owner(press[0].pk)[0]["contributors"][0]["surname"] == "Lovelace"
    assert by_owner(press[0].pk)[0]["created"].tzinfo is not None
    assert by_owner(-1) == []


def test_a_queryset_of_instances_is_refused():
    instances = CompiledValues(lambda doi: Work.objects.filter(doi=doi), samples=("10.5555/sample",))
    with pytest.raises(ImproperlyConfigured, match="values"):
        instances("10.5555/other")


def test_the_work_looked_up_without_owner_has_every_field_as_the_orm_loads_it(press):
    from deposits.selectors import work_by_doi

    made = work(press[0], "10.5555/every.field", contributors=[{"given_name": "Ada", "surname": "Lovelace"}], publication_year=2021,
                issn="1234-5678", resource_url="https://press.example/a", volume="3")
    found, loaded = work_by_doi("10.5555/EVERY.field", with_owner=False), Work.objects.get(pk=made.pk)
    assert {f.attname: getattr(found, f.attname) for f in Work._meta.concrete_fields} == {
        f.attname: getattr(loaded, f.attname) for f in Work._meta.concrete_fields}
    assert not found._state.adding and found._state.db == "default"


def test_the_columns_converters_are_found_once_per_connection(press):
    from unittest import mock

    from django.db.models.sql.compiler import SQLCompiler

    work(press[0], "10.5555/c.1", contributors=[{"given_name": "Ada", "surname": "Lovelace"}])
    by_doi = CompiledValues(lambda doi: Work.objects.filter(doi=doi).values("doi", "contributors", "created"), samples=("10.5555/sample",))
    with mock.patch.object(SQLCompiler, "get_converters", autospec=True, side_effect=SQLCompiler.get_converters) as found:
        rows = [by_doi("10.5555/c.1") for _ in range(3)]
    assert found.call_count == 1
    assert rows[0] == rows[2] == list(Work.objects.filter(doi="10.5555/c.1").values("doi", "contributors", "created"))
    assert rows[2][0]["contributors"][0]["surname"] == "Lovelace" and rows[2][0]["created"].tzinfo is not None
