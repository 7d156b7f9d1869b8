"""Reading reference-only deposits (doi_resources `doi_citations`), without a database."""
from io import BytesIO
from pathlib import Path

import pytest

from deposits.xml import DepositFileError, RecordError
from deposits.xml.parser import open_deposit
from deposits.xml.reference_deposits import (
    METADATA, REFERENCES, ParsedCitationList, deposit_operation, open_reference_deposit,
)
from tests.doi_citations_xml import doi_citations_deposit
from tests.xmlbuild import journal_article_deposit

REAL_SHAPED = Path(__file__).parent / "data" / "doi_citations_4.4.2.xml"


def read(content: bytes):
    with open_reference_deposit(BytesIO(content)) as stream:
        return stream.head, list(stream)


def test_crossref_shaped_file_gives_each_doi_its_reference_list():
    with open_reference_deposit(REAL_SHAPED) as stream:
        head, records = stream.head, list(stream)
    assert (head.doi_batch_id, head.schema_version, head.timestamp) == ("refs_20241104_0001", "4.4.2", None)
    assert head.depositor_name == "Cited Press Production"
    assert [(r.doi, len(r.references)) for r in records] == [("10.5555/doi_citations.1", 3), ("10.5555/doi_citations.2", 1)]
    first = records[0].references
    assert (first[0].key, first[0].journal_title, first[0].author, first[0].volume, first[0].first_page, first[0].year) == (
        "ref1", "Current Opinion in Oncology", "Chauncey", "13", "21", "2001")
    assert (first[1].key, first[1].doi) == ("ref2", "10.5555/small_md_0001")
    assert first[2].key == "ref=3" and first[2].unstructured.startswith("Clow GD, McKay CP")
    assert records[1].references[0].article_title == "Sequence of events in E. coli"
    assert records[0].line == 15


def test_a_reference_reads_the_same_in_both_kinds_of_deposit():
    references = [
        {"key": "a", "journal_title": "J. Tests", "author": "Doe", "volume": "4", "issue": "2", "first_page": "17",
         "year": "1999", "article_title": "On tests", "issn": "1234-5679", "type": "journal-article"},
        {"key": "b", "unstructured": "Roe, R. (2001). A book. Press.", "isbn": "9780306406157", "series_title": "S",
         "volume_title": "V", "edition_number": "2", "component_number": "c3"},
        {"key": "c", "doi": "10.5555/X"},
    ]
    with open_deposit(BytesIO(journal_article_deposit([{"doi": "10.5555/w", "references": references}]))) as stream:
        (work,) = list(stream)
    _head, (citations,) = read(doi_citations_deposit({"10.5555/w": references}))
    assert citations.references == work.references


def test_operation_is_read_from_the_root_namespace():
    assert deposit_operation(BytesIO(doi_citations_deposit({"10.5555/a": []}))) == REFERENCES
    assert deposit_operation(BytesIO(journal_article_deposit([{"doi": "10.5555/a"}]))) == METADATA
    assert deposit_operation(BytesIO(b"<doi_batch xmlns='urn:other'/>")) is None
    assert deposit_operation(BytesIO(b"not xml")) is None
    handle = BytesIO(doi_citations_deposit({"10.5555/a": []}))
    deposit_operation(handle)
    assert handle.tell() == 0  # rewound, so the file can still be stored


@pytest.mark.parametrize("version", ["4.3.6", "4.4.2", "5.4.0"])
def test_every_doi_resources_version_is_read(version):
    head, records = read(doi_citations_deposit({"10.5555/a": [{"key": "k", "unstructured": "x"}]},
                                               namespace=f"http://www.crossref.org/doi_resources_schema/{version}",
                                               timestamp=20240101))
    assert head.schema_version == version and head.timestamp == 20240101
    assert records == [ParsedCitationList(doi="10.5555/a", line=records[0].line, references=records[0].references)]


def test_metadata_deposit_sent_as_references_only_is_refused_naming_the_operation():
    with pytest.raises(DepositFileError) as refused:
        read(journal_article_deposit([{"doi": "10.5555/a"}]))
    assert "a metadata deposit" in refused.value.message and "doMDUpload" in refused.value.message


def test_bad_records_are_errors_naming_line_and_what_to_do():
    _head, records = read(doi_citations_deposit(
        {"10.5555/ok": [{"key": "k", "unstructured": "x"}], "not-a-doi": [], "10.5555/nolist": None},
        extra_body=["doi_resources"],
    ))
    ok, bad_doi, no_list, other = records
    assert isinstance(ok, ParsedCitationList)
    assert isinstance(bad_doi, RecordError) and "'not-a-doi', which is not a DOI" in bad_doi.message and bad_doi.line
    assert isinstance(no_list, RecordError) and "no <citation_list>" in no_list.message and no_list.doi == "10.5555/nolist"
    assert isinstance(other, RecordError) and "<doi_resources> is not accepted in a reference-only deposit" in other.message


def test_empty_citation_list_means_no_references():
    _head, (record,) = read(doi_citations_deposit({"10.5555/a": []}))
    assert record.references == ()


def test_dtd_is_refused_as_in_metadata_deposits():
    content = doi_citations_deposit({"10.5555/a": []}).replace(b"<doi_batch", b"<!DOCTYPE x [<!ENTITY e 'e'>]><doi_batch", 1)
    with pytest.raises(DepositFileError) as refused:
        read(content)
    assert "DTD" in refused.value.message
