"""The index of unmatched references: entries go in and come out by id."""
import pytest
from django.db import connection

from citations.reference_index import POSTGRES_TABLE, SQLITE_TABLE, index_references, unindex_references

pytestmark = pytest.mark.django_db


def indexed_ids() -> set[int]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT reference_id FROM {POSTGRES_TABLE}")
        else:
            cursor.execute(f"SELECT rowid FROM {SQLITE_TABLE}")
        return {row[0] for row in cursor.fetchall()}


def test_unindexing_takes_out_exactly_the_ids_given():
    rows = [{"pk": pk, "unstructured": f"Nobody N. Unregistered report {pk}. Nowhere, 2001."} for pk in range(1, 1001)]
    index_references(rows)
    assert indexed_ids() == set(range(1, 1001))
    unindex_references(list(range(2, 1001, 2)) + [5000])  # (an id never indexed is no error)
    assert indexed_ids() == set(range(1, 1001, 2))
    unindex_references([])
    assert len(indexed_ids()) == 500

