"""The index of unmatched references: entries go in and come out by id."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citations.reference_index import POSTGRES_TABLE, SQLITE_TABLE, index_references, unindex_references
from tests.citations.plans import lookup_with_table_scans_off, plan_without_table_scans

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



@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own statement (CI's PostgreSQL phase runs this)")
def test_the_lookup_for_new_works_asks_the_index_for_each_word_group_on_its_own():
    # (One query of all the groups, `(a & b & c) | (volume & page & year)`, reads each word's
    # posting list whole: a year or a page number is in thousands of unmatched references.)
    from citations.reference_index import references_for_works

    index_references([{"pk": pk, "unstructured": f"Nobody N. Strained graphene phonons {pk}. 12, 345 (2004)."} for pk in range(1, 50)])
    with CaptureQueriesContext(connection) as queries:
        references_for_works([{"title": "Phonons of strained graphene", "volume": "12", "first_page": "345", "publication_year": 2004}])
    # Run with table scans off: under its LIMIT the planner would read the table to the end
    # for a lookup that finds nothing (it cannot see into the groups' array).
    plan = plan_without_table_scans(lookup_with_table_scans_off(queries))
    assert f"Bitmap Index Scan on {POSTGRES_TABLE}_document" in plan, plan
    assert "Index Cond: (document @@ ANY (" in plan, plan
