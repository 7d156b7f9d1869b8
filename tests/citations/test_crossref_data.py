"""crossref_data: a reference item of Crossref's REST JSON as the row import_works writes (no database)."""
from citations.crossref_data import REFERENCE_COLUMNS, reference_fields, reference_row


def test_a_reference_row_holds_the_key_then_each_column_and_only_the_names_the_item_has():
    row = reference_row({"key": "ref7", "DOI": "10.7777/B.2", "author": "Anning", "first-page": "12", "doi-asserted-by": "publisher"}, 3)
    assert len(row) == len(REFERENCE_COLUMNS) + 1
    named = dict(zip(("key", *REFERENCE_COLUMNS), row))
    assert named == {**{column: "" for column in REFERENCE_COLUMNS}, "key": "ref7", "position": 3, "doi": "10.7777/b.2",
                     "author": "Anning", "first_page": "12"}


def test_messy_values_are_cleaned_cut_to_their_column_and_a_missing_key_is_the_position():
    row = reference_fields({"key": "  ", "unstructured": "Anning  M\t(1999)", "year": 1999, "volume": "9" * 150,
                            "author": [{"family": "Anning"}], "DOI": "not a doi", "journal-title": None}, 4)
    assert row["key"] == "4"
    assert row["unstructured"] == "Anning M (1999)"
    assert row["year"] == "1999"
    assert row["volume"] == "9" * 100
    assert row["author"] == "Anning"
    assert row["doi"] == "" and row["journal_title"] == ""
