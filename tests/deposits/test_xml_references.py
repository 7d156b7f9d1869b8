"""How a work's citation_list becomes ParsedReferences (deposits/xml/works.py `references`), and the
worker's whole-file read (`read_deposit`). The reference loop was rewritten for speed; these pin
down what it must keep doing. No database needed."""
from __future__ import annotations

import gc
import io

import pytest
from lxml import etree

from deposits.xml import DepositFileError, ParsedReference, ParsedWork, open_deposit, read_deposit
from deposits.xml.works import references
from tests.deposits.test_xml_parse import handmade_deposit
from tests.xmlbuild import DEPOSIT_NS, journal_article_deposit

ARTICLE = (
    "<journal><journal_metadata><full_title>J</full_title></journal_metadata>"
    "<journal_article><titles><title>T</title></titles>"
    "<doi_data><doi>10.1234/a</doi><resource>https://example.org/a</resource></doi_data>"
    "{citations}</journal_article></journal>"
)


def one_work(citation_list: str) -> ParsedWork:
    (work,) = open_deposit(io.BytesIO(handmade_deposit(ARTICLE.format(citations=citation_list))))
    assert isinstance(work, ParsedWork), work
    return work


def citation_list(xml: str) -> etree._Element:
    return etree.fromstring(f'<citation_list xmlns="{DEPOSIT_NS}">{xml}</citation_list>')


def test_a_fields_text_includes_its_nested_markup_with_every_kind_of_whitespace_collapsed():
    # A newline, a no-break space and a thin space inside, spaces around, markup in the middle.
    (reference,) = references(citation_list(
        "<citation key='k'><article_title>  On <i>in vivo</i>\n  growth&#160;of&#x2009;<b>x<sup>2</sup></b> "
        "</article_title></citation>"))
    assert reference.article_title == "On in vivo growth of x2"


def test_a_citation_with_every_field_fills_every_reference_field():
    (reference,) = references(citation_list(
        "<citation key='all' type='journal-article'><issn>0028-0836</issn><journal_title>Nature</journal_title>"
        "<author>Smith</author><volume>1</volume><issue>2</issue><first_page>3</first_page><cYear>2001</cYear>"
        "<doi>10.1038/x</doi><isbn>9780306406157</isbn><series_title>S</series_title><volume_title>V</volume_title>"
        "<edition_number>4</edition_number><component_number>5</component_number><article_title>T</article_title>"
        "<unstructured_citation>U</unstructured_citation></citation>"))
    assert reference == ParsedReference(
        key="all", position=1, doi="10.1038/x", unstructured="U", journal_title="Nature", author="Smith",
        volume="1", issue="2", first_page="3", year="2001", article_title="T", issn="0028-0836",
        isbn="9780306406157", series_title="S", volume_title="V", edition_number="4", component_number="5",
        type="journal-article",
    )


def test_an_empty_citation_is_kept_with_empty_fields_and_no_warning():
    notes: list[str] = []
    assert references(citation_list("<citation key='e'/><citation key='f'>  </citation>"), notes) == (
        ParsedReference(key="e", position=1), ParsedReference(key="f", position=2))
    assert notes == []


def test_an_empty_field_counts_as_given_so_a_later_one_of_its_kind_is_ignored():
    (reference,) = references(citation_list(
        "<citation key='k'><cYear/><cYear>1999</cYear><author>A</author><author>B</author></citation>"))
    assert (reference.year, reference.author) == ("", "A")


def test_children_and_list_members_the_portal_does_not_read_change_nothing():
    (first, second) = references(citation_list(
        "<citation key='a'><unknown>x</unknown><volume>3</volume></citation>"
        "<other>not a citation</other>"
        "<citation key='b'/>"))
    assert (first.volume, first.position, second.position) == ("3", 1, 2)


def test_citations_under_a_prefix_or_in_no_namespace_are_read_alike():
    element = etree.fromstring(
        f'<cr:citation_list xmlns:cr="{DEPOSIT_NS}"><cr:citation key="p"><cr:doi>10.1/p</cr:doi></cr:citation>'
        '<citation key="n"><doi>10.1/n</doi></citation></cr:citation_list>')
    assert [(r.key, r.doi) for r in references(element)] == [("p", "10.1/p"), ("n", "10.1/n")]


def test_repeated_and_missing_keys_are_suffixed_in_order_and_each_noted_with_its_line():
    # handmade_deposit's XML declaration is line 1, so the first citation is on line 3.
    work = one_work(
        "<citation_list>\n<citation key='a'/>\n<citation key=' a '/>\n<citation key='a-2'/>\n<citation/>\n"
        "</citation_list>")
    assert [r.key for r in work.references] == ["a", "a-2", "a-2-2", "ref-4"]
    assert work.warnings == (
        "line 4: citation key “a” is given twice; both references are kept, this one under the key “a-2”",
        "line 5: citation key “a-2” is given twice; both references are kept, this one under the key “a-2-2”",
        "line 6: citation 4 has no key; it is kept under the key “ref-4”",
    )


def test_a_bad_doi_issn_and_isbn_are_kept_and_noted_with_the_line_of_their_own_element():
    work = one_work(
        "<citation_list><citation key='r'>\n<isbn>123</isbn>\n<issn>1234-5670</issn>\n<doi>10.1/a b</doi>"
        "</citation></citation_list>")
    (reference,) = work.references
    assert (reference.doi, reference.issn, reference.isbn) == ("10.1/a b", "1234-5670", "123")
    # Notes come in the order doi, issn, isbn, each naming the line of its element (isbn: line 3).
    assert [note.split(":", 1)[0] for note in work.warnings] == ["line 5", "line 4", "line 3"]
    assert "citation “r”: doi:" in work.warnings[0] and "matched by its other fields" in work.warnings[0]
    assert "issn “1234-5670” is not a valid ISSN" in work.warnings[1]
    assert "isbn “123” is not a valid ISBN" in work.warnings[2]


def test_good_identifiers_of_references_leave_no_warning():
    work = one_work(
        "<citation_list><citation key='r'><issn>0028-0836</issn><isbn>9780306406157</isbn><doi>10.1038/x</doi>"
        "</citation></citation_list>")
    assert work.warnings == ()


def test_read_deposit_gives_what_open_deposit_yields():
    content = journal_article_deposit([
        {"doi": f"10.1234/r{n}", "title": f"T{n}", "references": [{"key": "k", "doi": "10.1/x"}, {"key": "k"}]}
        for n in range(3)
    ])
    head, records = read_deposit(io.BytesIO(content))
    stream = open_deposit(io.BytesIO(content))
    assert (head, records) == (stream.head, list(stream))
    assert [r.key for r in records[0].references] == ["k", "k-2"]


@pytest.mark.parametrize("enabled", [True, False])
def test_read_deposit_leaves_the_garbage_collector_as_it_found_it_even_when_the_file_breaks(enabled):
    broken = handmade_deposit(ARTICLE.format(citations="")).replace(b"</body>", b"")
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with pytest.raises(DepositFileError):
            read_deposit(io.BytesIO(broken))
        assert gc.isenabled() is enabled
        read_deposit(io.BytesIO(handmade_deposit(ARTICLE.format(citations=""))))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_read_deposit_leaves_no_garbage_cycle_behind_for_apply_to_freeze():
    # The parser and its tree make a cycle; apply freezes what is alive after the read
    # (gc.freeze), so a cycle left over would stay in memory for good, file after file.
    content = journal_article_deposit([{"doi": "10.1234/g", "title": "T", "references": [{"key": "k"}]}])
    gc.collect()
    read_deposit(io.BytesIO(content))
    assert gc.collect() == 0
