"""Reading Crossref's /works list parameters (no database)."""
import datetime

import pytest

from citations.api.params import (
    Cursor, WorkFilters, decode_cursor, encode_cursor, parse_date, parse_filters, parse_sort,
)


def test_filters_of_one_name_are_collected_and_of_different_names_combined():
    filters, problems = parse_filters(
        "prefix:10.5555,prefix:http://id.crossref.org/prefix/10.6666,member:7,type:journal-article,"
        "type:book-chapter,from-pub-date:2004-05,until-pub-date:2010,has-references:true,"
        "from-update-date:2024-02-03,until-update-date:2024-02"
    )
    assert problems == []
    assert filters == WorkFilters(
        prefixes=("10.5555", "10.6666"), members=(7,), types=("journal-article", "book-chapter"),
        from_pub_year=2004, until_pub_year=2010, has_references=True,
        from_updated=datetime.date(2024, 2, 3), until_updated=datetime.date(2024, 2, 29),
    )


def test_no_filter_is_no_restriction():
    assert parse_filters("") == (WorkFilters(), [])


def test_an_unknown_filter_is_refused_in_crossrefs_words():
    _, problems = parse_filters("prefix:10.5555,has-funder:true")
    assert problems == [{
        "type": "filter-not-available",
        "value": "has-funder",
        "message": "Filter has-funder specified but there is no such filter for this route. Valid filters for this "
                   "route are: prefix, member, type, from-pub-date, until-pub-date, has-references, from-update-date, until-update-date",
    }]


@pytest.mark.parametrize(("text", "kind"), [
    ("from-pub-date:2004-13", "date-not-valid"),
    ("until-update-date:yesterday", "date-not-valid"),
    ("has-references:maybe", "boolean-not-valid"),
    ("member:cited-press", "integer-not-valid"),
    ("prefix:5555", "prefix-not-valid"),
    ("type:", "type-not-valid"),
])
def test_a_bad_filter_value_is_refused_naming_it(text, kind):
    _, problems = parse_filters(text)
    assert [(p["type"], p["value"]) for p in problems] == [(kind, text.partition(":")[2])]


@pytest.mark.parametrize(("value", "start", "end"), [
    ("2004", datetime.date(2004, 1, 1), datetime.date(2004, 12, 31)),
    ("2004-02", datetime.date(2004, 2, 1), datetime.date(2004, 2, 29)),
    ("2004-12", datetime.date(2004, 12, 1), datetime.date(2004, 12, 31)),
    ("2004-02-10", datetime.date(2004, 2, 10), datetime.date(2004, 2, 10)),
])
def test_a_partial_date_starts_and_ends_with_its_period(value, start, end):
    assert parse_date(value) == start and parse_date(value, end=True) == end


def test_sort_defaults_to_relevance_with_a_query_and_to_newest_without():
    assert parse_sort(None, None, has_query=True) == ("score", True, [])
    assert parse_sort(None, None, has_query=False) == ("created", True, [])
    assert parse_sort("relevance", "asc", has_query=True) == ("score", False, [])
    assert parse_sort("is-referenced-by-count", "asc", has_query=False) == ("is-referenced-by-count", False, [])


def test_an_unknown_sort_or_order_is_refused():
    _, _, problems = parse_sort("citations", "sideways", has_query=False)
    assert [p["type"] for p in problems] == ["sort-field-not-valid", "order-not-valid"]


def test_a_cursor_comes_back_as_it_was_issued():
    issued = encode_cursor(Cursor(sort="cited_by_count", descending=True, key=(5, 42)))
    assert decode_cursor(issued, sort="cited_by_count", descending=True) == (Cursor(sort="cited_by_count", descending=True, key=(5, 42)), [])
    assert decode_cursor("*", sort="updated", descending=False) == (Cursor(sort="updated", descending=False), [])


def test_a_changed_or_foreign_cursor_is_refused():
    issued = encode_cursor(Cursor(sort="cited_by_count", descending=True, key=(5, 42)))
    for value in (issued[:-2] + "xx", "abc", ""):
        cursor, problems = decode_cursor(value, sort="cited_by_count", descending=True)
        assert cursor is None and problems[0]["type"] == "cursor-not-valid"
    cursor, problems = decode_cursor(issued, sort="cited_by_count", descending=False)
    assert cursor is None and "same" in problems[0]["message"]
