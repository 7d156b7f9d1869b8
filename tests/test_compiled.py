"""portal.compiled: a queryset compiled once answers as the queryset itself would, for any value."""
from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from deposits.models import Work
from deposits.selectors import work_by_doi
from portal.compiled import CompiledQuery
from tests.citations.widget_builders import work

pytestmark = pytest.mark.django_db


def test_a_compiled_query_finds_what_its_queryset_finds_for_each_value(press):
    for n in range(3):
        work(press[0], f"10.5555/compiled.{n}")
    by_title = CompiledQuery(lambda title: Work.objects.filter(title=title).order_by("doi"), samples=("sample title",))
    for title in ("Work 10.5555/compiled.1", "Work 10.5555/compiled.2", "nothing"):
        assert [w.doi for w in by_title(title)] == [w.doi for w in Work.objects.filter(title=title).order_by("doi")]


def test_the_lookup_without_owner_is_the_same_work(press):
    made = work(press[0], "10.5555/mixed.case", contributors=[{"given_name": "Ada", "surname": "Lovelace"}])
    found = work_by_doi("https://doi.org/10.5555/MIXED.case", with_owner=False)
    assert (found.pk, found.doi, found.owner_id, found.contributors) == (made.pk, made.doi, made.owner_id, made.contributors)
    assert work_by_doi("10.5555/none", with_owner=False) is None


def test_a_sample_missing_from_the_query_is_refused():
    constant = CompiledQuery(lambda doi: Work.objects.filter(doi="10.5555/fixed"), samples=("10.5555/sample",))
    with pytest.raises(ImproperlyConfigured, match="sample"):
        list(constant("10.5555/other"))
