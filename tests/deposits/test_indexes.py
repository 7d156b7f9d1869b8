"""Foreign keys without an index of their own are served by a composite index that leads with them."""
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

# (table, column): each one's single-column index was dropped (deposits 0010, citations 0012), by
# RunSQL: on SQLite AlterField would have rebuilt the tables and lost the indexes made in SQL, which
# tests/citations/test_search_index.py checks are there.
COVERED = [
    ("deposits_reference", "citing_work_id"),
    ("deposits_work", "owner_id"),
    ("citations_citation", "cited_work_id"),
]


def indexes(table: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        return {name: c for name, c in connection.introspection.get_constraints(cursor, table).items() if c["index"] or c["unique"]}


@pytest.mark.parametrize(("table", "column"), COVERED)
def test_a_composite_index_leads_with_the_column_instead_of_an_index_of_its_own(table, column):
    found = indexes(table)
    assert not [name for name, c in found.items() if c["columns"] == [column] and not c["unique"]], found
    leading = [name for name, c in found.items() if c["columns"][:1] == [column] and len(c["columns"]) > 1]
    assert leading, f"no index of {table} leads with {column}: {found}"

