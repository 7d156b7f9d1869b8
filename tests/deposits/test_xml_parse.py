"""Reading deposit XML into plain records: real Crossref records, schema versions, hostile files,
record-level errors and streaming. No database needed."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree

from deposits.xml import DepositFileError, ParsedWork, RecordError, open_deposit
from deposits.xml.markup import plain_text
from tests.xmlbuild import DEPOSIT_NS, deposit_from_unixsd, journal_article_deposit, unixsd_paths

QUERY_NS = "http://www.crossref.org/qrschema/3.0"
UNIXREF_NS = "http://www.crossref.org/xschema/1.1"

# The query wrapper's <doi type="..."> -> the REST API type name the parser must produce.
WRAPPER_TO_REST_TYPE = {
    "journal_article": "journal-article",
    "book_content": "book-chapter",
    "posted_content": "posted-content",
}

HEAD = (
    "<head><doi_batch_id>b-1</doi_batch_id><timestamp>20240101000000</timestamp>"
    "<depositor><depositor_name>D</depositor_name><email_address>d@example.org</email_address>"
    "</depositor><registrant>R</registrant></head>"
)


def records_of(data: bytes, **options) -> list[ParsedWork | RecordError]:
    return list(open_deposit(io.BytesIO(data), **options))


def works_of(data: bytes) -> list[ParsedWork]:
    records = records_of(data)
    errors = [record for record in records if isinstance(record, RecordError)]
    assert errors == []
    return records


def real_record(name_start: str) -> Path:
    (path,) = [path for path in unixsd_paths() if path.name.startswith(f"crossref-unixsd-{name_start}")]
    return path


def handmade_deposit(body: str, *, namespace: str = DEPOSIT_NS) -> bytes:
    """A deposit around a body written by hand, for shapes the builders do not make."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<doi_batch xmlns="{namespace}" xmlns:mml="http://www.w3.org/1998/Math/MathML">'
        f"{HEAD}<body>{body}</body></doi_batch>"
    ).encode()


def wrapper_facts(path: Path) -> tuple[str, str]:
    """(DOI, doi type) as the query wrapper states them."""
    doi = etree.parse(str(path)).find(f".//{{{QUERY_NS}}}query/{{{QUERY_NS}}}doi")
    return doi.text.strip(), doi.get("type")


def citations_in(paths: list[Path]) -> list[etree._Element]:
    return [
        citation
        for path in paths
        for citation in etree.parse(str(path)).iter(f"{{{UNIXREF_NS}}}citation")
    ]


# --- the real records --------------------------------------------------------------------------


@pytest.mark.parametrize("path", unixsd_paths(), ids=lambda path: path.stem.removeprefix("crossref-unixsd-"))
def test_every_real_record_becomes_one_work_with_the_wrapper_doi_and_type(path):
    expected_doi, wrapper_type = wrapper_facts(path)

    works = works_of(deposit_from_unixsd([path]))

    assert len(works) == 1
    assert works[0].doi.lower() == expected_doi.lower()
    assert works[0].type == WRAPPER_TO_REST_TYPE[wrapper_type]


def test_the_real_folder_holds_86_records():
    assert len(unixsd_paths()) == 86


def test_all_real_references_come_out_in_order_with_their_keys():
    paths = unixsd_paths()
    citations = citations_in(paths)

    works = works_of(deposit_from_unixsd(paths))
    references = [reference for work in works for reference in work.references]

    assert len(works) == 86
    assert sum(work.has_citation_list for work in works) == 21  # data README
    assert len(references) == len(citations) == 2365  # data README
    assert [reference.key for reference in references] == [citation.get("key") for citation in citations]
    for work in works:
        assert [reference.position for reference in work.references] == list(
            range(1, len(work.references) + 1)
        )


def test_real_unstructured_strings_and_dois_are_all_kept():
    paths = unixsd_paths()
    citations = citations_in(paths)
    unstructured = [
        element for citation in citations for element in citation
        if etree.QName(element).localname == "unstructured_citation"
    ]
    dois = [
        element for citation in citations for element in citation if etree.QName(element).localname == "doi"
    ]

    references = [ref for work in works_of(deposit_from_unixsd(paths)) for ref in work.references]

    assert len(unstructured) == 249  # data README; two of them are empty elements
    non_empty = [element for element in unstructured if "".join(element.itertext()).strip()]
    assert sum(1 for ref in references if ref.unstructured) == len(non_empty)
    assert sum(1 for ref in references if ref.doi) == len(dois)
    assert {ref.doi for ref in references if ref.doi} == {element.text.strip() for element in dois}


def test_journal_article_fields_from_a_real_hindawi_record():
    (work,) = works_of(deposit_from_unixsd([real_record("379a5ac7")]))

    assert work.doi == "10.1155/2016/6402942"
    assert work.title == "The Role of Stress Regulation on Neural Plasticity in Pain Chronification"
    assert (work.contributors[0].surname, work.contributors[0].given_name) == ("Li", "Xiaoyun")
    assert work.contributors[0].sequence == "first"
    assert work.contributors[0].orcid == ""
    assert (work.contributors[1].surname, work.contributors[1].orcid) == ("Hu", "0000-0001-7003-2903")
    assert work.container_title == "Neural Plasticity"
    assert work.issn == "2090-5904"  # the print one, listed before the electronic one
    assert (work.volume, work.issue, work.first_page, work.last_page) == ("2016", "", "1", "9")
    assert work.publication_year == 2016
    assert work.timestamp == 20161208090019  # its own doi_data/timestamp, not the head's
    assert work.resource_url == "https://www.hindawi.com/journals/np/2016/6402942/"
    first, second = work.references[:2]
    assert (first.key, first.position, first.doi) == ("1", 1, "10.1056/NEJMra1201534")
    assert (second.key, second.position, second.doi) == ("2", 2, "")
    assert (second.first_page, second.year) == ("89", "1999")
    assert second.volume_title == "Pain and stress: a new perspective"


def test_journal_article_fields_from_a_real_peerj_record():
    (work,) = works_of(deposit_from_unixsd([real_record("aa5498f1")]))

    # The title holds <i>Neisseria</i>; its 8 figure components carry DOIs but are not works.
    assert work.doi == "10.7717/peerj.1698"
    assert work.title == "NeisseriaBase: a specialised <i>Neisseria</i> genomic resource and analysis platform"
    assert (work.contributors[0].surname, work.contributors[0].given_name) == ("Zheng", "Wenning")
    assert len(work.contributors) == 11
    assert work.container_title == "PeerJ"
    assert work.issn == "2167-8359"  # electronic only
    assert (work.volume, work.issue, work.first_page) == ("4", "", "e1698")
    assert work.publication_year == 2016
    assert work.resource_url == "https://peerj.com/articles/1698"
    assert work.timestamp == 20240101000000  # no doi_data/timestamp: the head's
    reference = work.references[0]
    assert reference.key == "10.7717/peerj.1698/ref-1"
    assert reference.journal_title == "Journal of Molecular Biology"
    assert reference.author == "Altschul"
    assert (reference.volume, reference.issue) == ("215", "3")
    assert (reference.first_page, reference.year) == ("403", "1990")
    assert reference.doi == "10.1016/S0022-2836(05)80360-2"
    assert reference.article_title == "Basic local alignment search tool"


def test_book_chapter_fields_from_a_real_elsevier_record():
    (chapter,) = works_of(deposit_from_unixsd([real_record("05676f97")]))

    assert chapter.type == "book-chapter"
    assert chapter.doi == "10.1016/B978-0-12-803592-4.00046-8"
    assert chapter.title == "Epigenetics of Glucocorticoid Action"
    assert chapter.container_title == "Hormones, Brain and Behavior"
    assert chapter.isbn == "9780128036082"
    assert chapter.publisher == "Elsevier"
    assert (chapter.first_page, chapter.last_page, chapter.publication_year) == ("83", "99", 2017)
    assert [(c.surname, c.given_name) for c in chapter.contributors][:2] == [
        ("Mifsud", "Karen R."),
        ("Carter", "Sylvia D."),
    ]
    assert chapter.resource_url == "http://linkinghub.elsevier.com/retrieve/pii/B9780128035924000468"
    assert chapter.has_citation_list is False


def test_posted_content_takes_its_posted_date_and_long_timestamp():
    (preprint,) = works_of(deposit_from_unixsd([real_record("330305e1")]))

    assert preprint.type == "posted-content"
    assert preprint.publication_year == 2015  # posted 2015, accepted 2016
    assert preprint.container_title == "bioRxiv"
    assert preprint.timestamp == 2017010322095093000
    assert len(preprint.contributors) == 25


# --- text ------------------------------------------------------------------------------------


def test_title_with_inline_markup_keeps_its_words():
    body = (
        "<journal><journal_metadata><full_title>J</full_title></journal_metadata>"
        "<journal_article><titles><title>Role of <i>TP53</i> in  H<sub>2</sub>O\n\t and "
        "<mml:math><mml:mi>x</mml:mi></mml:math> <b>cells</b></title>"
        "<subtitle>a <u>short</u> note</subtitle></titles>"
        "<doi_data><doi>10.1234/markup</doi><resource>https://example.org/m</resource></doi_data>"
        "</journal_article></journal>"
    )

    (work,) = works_of(handmade_deposit(body))

    assert work.title == "Role of <i>TP53</i> in H<sub>2</sub>O and <math><mi>x</mi></math> <b>cells</b>"
    assert plain_text(work.title) == "Role of TP53 in H2O and x cells"
    assert work.subtitle == "a <u>short</u> note"


def test_builder_text_with_xml_special_characters_round_trips():
    data = journal_article_deposit(
        [{"doi": "10.1234/amp", "title": "Salt & <pepper> \"quoted\"", "references": [
            {"unstructured": "A & B <2020>", "type": "journal-article"}]}]
    )

    (work,) = works_of(data)

    assert plain_text(work.title) == 'Salt & <pepper> "quoted"'
    assert work.title == 'Salt &amp; &lt;pepper&gt; "quoted"'
    assert work.references[0].unstructured == "A & B <2020>"
    assert work.references[0].type == "journal-article"


# --- head and namespaces ----------------------------------------------------------------------


def test_head_carries_batch_id_timestamp_depositor_and_registrant(tmp_path):
    path = tmp_path / "deposit.xml"
    path.write_bytes(
        journal_article_deposit([{"doi": "10.1234/a"}], doi_batch_id="batch-7", timestamp=20230405060708)
    )

    for source in (path, str(path)):
        with open_deposit(source) as stream:
            head = stream.head
            assert [work.doi for work in stream] == ["10.1234/a"]
        assert head.doi_batch_id == "batch-7"
        assert head.timestamp == 20230405060708
        assert (head.depositor_name, head.depositor_email) == ("Test Depositor", "deposits@example.org")
        assert head.registrant == "Test Registrant"
        assert (head.namespace, head.schema_version) == (DEPOSIT_NS, "5.4.0")


def test_article_timestamp_overrides_the_head_timestamp():
    data = journal_article_deposit(
        [{"doi": "10.1234/own", "timestamp": 20250101000000}, {"doi": "10.1234/inherits"}],
        timestamp=20240101000000,
    )

    assert [work.timestamp for work in works_of(data)] == [20250101000000, 20240101000000]


@pytest.mark.parametrize("version", ["4.3.0", "4.4.2", "5.3.1"])
def test_older_schema_versions_parse(version):
    namespace = f"http://www.crossref.org/schema/{version}"
    data = journal_article_deposit(
        [{"doi": "10.1234/v", "title": "Versioned", "authors": [("Ada", "Lovelace")], "year": 2001,
          "volume": "3", "issue": "2", "first_page": "7", "references": [{"key": "r1", "doi": "10.5555/x"}]}],
        namespace=namespace,
    )

    stream = open_deposit(io.BytesIO(data))
    (work,) = list(stream)

    assert stream.head.schema_version == version
    assert (work.doi, work.title) == ("10.1234/v", "Versioned")
    assert (work.volume, work.issue, work.first_page) == ("3", "2", "7")
    assert (work.contributors[0].surname, work.publication_year) == ("Lovelace", 2001)
    assert work.references[0].doi == "10.5555/x"


def test_real_records_parse_in_an_older_namespace():
    data = deposit_from_unixsd(unixsd_paths()[:5], namespace="http://www.crossref.org/schema/4.4.2")

    assert len(works_of(data)) == 5


@pytest.mark.parametrize(
    "namespace",
    [
        "http://www.crossref.org/schema/3.0.0",
        "http://www.crossref.org/schema/5.5.0",
        "http://example.org/not/crossref",
    ],
)
def test_other_namespaces_are_refused_naming_the_namespace(namespace):
    data = journal_article_deposit([{"doi": "10.1234/a"}], namespace=namespace)

    with pytest.raises(DepositFileError) as refused:
        open_deposit(io.BytesIO(data))

    assert namespace in refused.value.message


def test_root_that_is_not_doi_batch_is_refused():
    data = f'<crossref_result xmlns="{DEPOSIT_NS}"><body/></crossref_result>'.encode()

    with pytest.raises(DepositFileError) as refused:
        open_deposit(io.BytesIO(data))

    assert "crossref_result" in refused.value.message
    assert "doi_batch" in refused.value.message


def test_deposit_without_head_is_refused():
    data = f'<doi_batch xmlns="{DEPOSIT_NS}"><body></body></doi_batch>'.encode()

    with pytest.raises(DepositFileError, match="no <head>"):
        open_deposit(io.BytesIO(data))


# --- hostile and broken files -------------------------------------------------------------------

BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE doi_batch [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<doi_batch xmlns="{DEPOSIT_NS}"><head><doi_batch_id>&lol9;</doi_batch_id></head><body/></doi_batch>
""".encode()

EXTERNAL_ENTITY = f"""<?xml version="1.0"?>
<!DOCTYPE doi_batch [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<doi_batch xmlns="{DEPOSIT_NS}"><head><doi_batch_id>&xxe;</doi_batch_id><timestamp>1</timestamp></head>
<body><journal><journal_metadata><full_title>&xxe;</full_title></journal_metadata>
<journal_article><titles><title>&xxe;</title></titles>
<doi_data><doi>10.1234/xxe</doi><resource>https://example.org/x</resource></doi_data>
</journal_article></journal></body></doi_batch>
""".encode()


def test_billion_laughs_is_refused():
    with pytest.raises(DepositFileError, match="DTDs and entity declarations are not allowed"):
        records_of(BILLION_LAUGHS)


def test_external_entity_is_refused_and_leaks_nothing():
    outputs = []
    with pytest.raises(DepositFileError) as refused:
        stream = open_deposit(io.BytesIO(EXTERNAL_ENTITY))
        outputs += [repr(stream.head), *map(repr, stream)]

    assert "DTDs and entity declarations are not allowed" in refused.value.message
    assert outputs == []
    assert "root:" not in str(refused.value)


def test_doctype_with_external_dtd_is_refused():
    data = journal_article_deposit([{"doi": "10.1234/a"}]).replace(
        b"?>", b'?>\n<!DOCTYPE doi_batch SYSTEM "http://example.org/deposit.dtd">', 1
    )

    with pytest.raises(DepositFileError, match="DTDs and entity declarations are not allowed"):
        records_of(data)


def test_not_well_formed_file_names_the_line():
    data = (
        f'<?xml version="1.0"?>\n<doi_batch xmlns="{DEPOSIT_NS}">\n{HEAD}\n<body>\n<journal>\n'
        "<journal_metadata><full_title>J</full_title></journal_metadata>\n"
        "<journal_article><titles><title>Broken</titel></titles>\n"
        "</journal_article></journal></body></doi_batch>\n"
    ).encode()

    with pytest.raises(DepositFileError) as refused:
        records_of(data)

    assert refused.value.line == 7
    assert "not well-formed" in refused.value.message
    assert "line 7" in str(refused.value)


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file_is_refused(content, tmp_path):
    path = tmp_path / "empty.xml"
    path.write_bytes(content)

    for source in (io.BytesIO(content), path):
        with pytest.raises(DepositFileError, match="empty"):
            open_deposit(source)


def test_file_over_the_size_limit_is_refused_with_both_sizes_in_mb(tmp_path):
    path = tmp_path / "big.xml"
    articles = [{"doi": f"10.1234/{n}", "title": "x" * 500} for n in range(2600)]
    path.write_bytes(journal_article_deposit(articles))

    with pytest.raises(DepositFileError) as refused:
        open_deposit(path, max_bytes=1024 * 1024)

    assert path.stat().st_size > 1024 * 1024
    assert "limited to 1 MB" in refused.value.message
    assert f"The file is {path.stat().st_size / 1024 / 1024:.3g} MB" in refused.value.message


class UnseekableStream:
    """A pipe-like source: read() only, and it counts what was read."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = self._data.read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_stream_of_unknown_size_is_stopped_at_the_limit():
    data = journal_article_deposit([{"doi": f"10.1234/{n}"} for n in range(2000)])
    stream = UnseekableStream(data)

    with pytest.raises(DepositFileError, match="more than 0.0954 MB"):
        list(open_deposit(stream, max_bytes=100_000))

    assert stream.bytes_read < 200_000 < len(data)


def test_deposit_within_the_limit_is_read():
    data = journal_article_deposit([{"doi": "10.1234/a"}])

    assert [work.doi for work in records_of(data, max_bytes=len(data))] == ["10.1234/a"]


# --- record-level errors ------------------------------------------------------------------------


def _deposit_with_second_article_changed(change) -> tuple[bytes, int]:
    """Three articles, the second one altered by `change(article)`; returns (bytes, its line)."""
    tree = etree.fromstring(journal_article_deposit([{"doi": f"10.1234/{n}"} for n in (1, 2, 3)]))
    second = tree.findall(f".//{{{DEPOSIT_NS}}}journal_article")[1]
    change(second)
    data = etree.tostring(tree, pretty_print=True, xml_declaration=True, encoding="UTF-8")
    reparsed = etree.fromstring(data)
    return data, reparsed.findall(f".//{{{DEPOSIT_NS}}}journal_article")[1].sourceline


def test_article_without_doi_is_a_record_error_and_the_others_still_come_out():
    def drop_doi(article):
        doi = article.find(f".//{{{DEPOSIT_NS}}}doi")
        doi.getparent().remove(doi)

    data, line = _deposit_with_second_article_changed(drop_doi)

    first, error, third = records_of(data)

    assert (first.doi, third.doi) == ("10.1234/1", "10.1234/3")
    assert error == RecordError(line=line, message="journal_article has no doi_data/doi", doi="")
    assert line > 1


def test_timestamp_that_is_not_digits_is_a_record_error_naming_the_doi():
    def bad_timestamp(article):
        doi = article.find(f".//{{{DEPOSIT_NS}}}doi")
        doi.addnext(etree.Element(f"{{{DEPOSIT_NS}}}timestamp"))
        doi.getnext().text = "2024-01-01"

    data, line = _deposit_with_second_article_changed(bad_timestamp)

    first, error, third = records_of(data)

    assert isinstance(error, RecordError)
    assert (error.line, error.doi) == (line, "10.1234/2")
    assert "2024-01-01" in error.message and "timestamp" in error.message
    assert isinstance(first, ParsedWork) and isinstance(third, ParsedWork)


def test_doi_that_is_not_a_doi_is_a_record_error():
    def bad_doi(article):
        article.find(f".//{{{DEPOSIT_NS}}}doi").text = "https://doi.org/ 10.1234/2"

    data, _line = _deposit_with_second_article_changed(bad_doi)

    records = records_of(data)

    assert [type(record) for record in records] == [ParsedWork, RecordError, ParsedWork]
    assert "not a DOI" in records[1].message


# --- other content types ---------------------------------------------------------------------------


def test_book_with_its_own_doi_and_chapters_in_a_series():
    body = """
    <book book_type="edited_book"><book_series_metadata>
      <series_metadata><titles><title>Methods in Tests</title></titles>
        <issn>1111-2222</issn></series_metadata>
      <contributors><person_name contributor_role="editor" sequence="first">
        <given_name>Eve</given_name><surname>Editor</surname></person_name></contributors>
      <titles><title>Testing Volume</title></titles><volume>12</volume>
      <publication_date media_type="online"><year>2019</year></publication_date>
      <publication_date media_type="print"><year>2020</year></publication_date>
      <isbn media_type="electronic">978-0-00-000001-1</isbn><isbn media_type="print">978-0-00-000002-8</isbn>
      <publisher><publisher_name>Test Press</publisher_name></publisher>
      <doi_data><doi>10.1234/book</doi><resource>https://example.org/book</resource></doi_data>
    </book_series_metadata>
    <content_item component_type="chapter">
      <titles><title>Chapter One</title></titles>
      <pages><first_page>1</first_page><last_page>20</last_page></pages>
      <doi_data><doi>10.1234/book.ch1</doi><resource>https://example.org/ch1</resource></doi_data>
      <citation_list><citation key="c1">
        <unstructured_citation>Someone, 1999.</unstructured_citation></citation></citation_list>
    </content_item></book>
    """

    book, chapter = works_of(handmade_deposit(body))

    assert (book.type, book.title) == ("edited-book", "Testing Volume")
    assert book.container_title == "Methods in Tests"  # the series
    assert (book.isbn, book.issn) == ("978-0-00-000002-8", "1111-2222")  # print ISBN preferred
    assert (book.volume, book.publication_year) == ("12", 2020)  # print date preferred
    assert book.contributors[0].role == "editor"
    assert (chapter.type, chapter.title) == ("book-chapter", "Chapter One")
    assert chapter.container_title == "Testing Volume"  # the book
    assert (chapter.book_title, book.book_title) == ("Testing Volume", "")  # a chapter's book; a book is in none
    assert (chapter.isbn, chapter.publisher) == ("978-0-00-000002-8", "Test Press")
    assert chapter.publication_year == 2020
    assert chapter.references[0].unstructured == "Someone, 1999."


def test_conference_paper_with_an_organisation_author():
    body = """
    <conference><event_metadata><conference_name>Test Conf</conference_name></event_metadata>
    <proceedings_metadata><proceedings_title>Proceedings of Test Conf</proceedings_title>
      <publisher><publisher_name>ACM</publisher_name></publisher>
      <publication_date><year>2018</year></publication_date><isbn>9781234567897</isbn>
    </proceedings_metadata>
    <conference_paper>
      <contributors><organization contributor_role="author" sequence="first">The  Test
        Consortium</organization></contributors>
      <titles><title>A Paper</title></titles>
      <doi_data><doi>10.1234/conf.1</doi><resource>https://example.org/c1</resource></doi_data>
    </conference_paper></conference>
    """

    (paper,) = works_of(handmade_deposit(body))

    assert (paper.type, paper.container_title, paper.publication_year) == (
        "proceedings-article", "Proceedings of Test Conf", 2018)
    assert paper.contributors[0].surname == "The Test Consortium"
    assert paper.contributors[0].is_organization is True
    assert (paper.isbn, paper.publisher) == ("9781234567897", "ACM")


def test_dataset_report_dissertation_and_standard_are_read():
    body = """
    <database><database_metadata><titles><title>Test DB</title></titles></database_metadata>
      <dataset><titles><title>Set A</title></titles>
        <database_date><publication_date><year>2021</year></publication_date></database_date>
        <doi_data><doi>10.1234/ds</doi><resource>https://example.org/ds</resource></doi_data></dataset>
    </database>
    """
    report = """
    <report-paper><report-paper_metadata><titles><title>Report R</title></titles>
      <publication_date><year>2017</year></publication_date>
      <institution><institution_name>Test Institute</institution_name></institution>
      <doi_data><doi>10.1234/rep</doi><resource>https://example.org/rep</resource></doi_data>
    </report-paper_metadata></report-paper>
    """
    dissertation = """
    <dissertation>
      <person_name contributor_role="author" sequence="first"><surname>Student</surname></person_name>
      <titles><title>Thesis T</title></titles><approval_date><year>2015</year></approval_date>
      <institution><institution_name>Uni</institution_name></institution>
      <doi_data><doi>10.1234/diss</doi><resource>https://example.org/diss</resource></doi_data>
    </dissertation>
    """
    standard = """
    <standard><standard_metadata><titles><title>Std S</title></titles>
      <designators><std_as_published><std_designator>S-1</std_designator></std_as_published></designators>
      <approval_date><year>2010</year></approval_date>
      <doi_data><doi>10.1234/std</doi><resource>https://example.org/std</resource></doi_data>
    </standard_metadata></standard>
    """
    for part, expected in [
        (body, ("dataset", "Set A", "Test DB", 2021)),
        (report, ("report", "Report R", "", 2017)),
        (dissertation, ("dissertation", "Thesis T", "", 2015)),
        (standard, ("standard", "Std S", "", 2010)),
    ]:
        (work,) = works_of(handmade_deposit(part))
        assert (work.type, work.title, work.container_title, work.publication_year) == expected


# --- streaming ---------------------------------------------------------------------------------


def test_records_are_read_lazily_as_the_file_is_consumed():
    data = journal_article_deposit([{"doi": f"10.1234/{n}", "title": f"Article {n}"} for n in range(2000)])
    source = UnseekableStream(data)

    stream = open_deposit(source)
    first = next(iter(stream))

    assert first.doi == "10.1234/0"
    assert source.bytes_read < len(data) / 4


def test_processed_elements_are_dropped_while_iterating():
    articles = [
        {"doi": f"10.1234/{n}", "authors": [("A", "Author")], "references": [{"doi": "10.5555/x"}] * 3}
        for n in range(2000)
    ]
    data = journal_article_deposit(articles)
    elements_in_file = sum(1 for _ in etree.fromstring(data).iter())
    stream = open_deposit(io.BytesIO(data))

    held = []
    count = 0
    for count, _work in enumerate(stream, 1):
        if count % 100 == 0:
            held.append(stream.held_element_count())

    assert count == 2000
    assert len(held) == 20
    # What is held is the current article plus the parser's read-ahead, never the file so far.
    assert max(held) < elements_in_file / 20
    assert max(held[10:]) < 2 * max(held[:10])


@pytest.mark.parametrize(
    ("broken", "words"),
    [
        (b"<titel>x</title>", "the element <titel> opened on line 5 is closed by </title>"),
        (b"<title>x < y</title>", "write &lt; for a less-than sign"),
        (b"<title>A & B</title>", "a bare & must be written &amp;"),
    ],
)
def test_syntax_errors_are_told_in_a_depositors_words_with_the_line(broken, words):
    data = (
        b'<?xml version="1.0"?>\n<doi_batch xmlns="http://www.crossref.org/schema/5.4.0" version="5.4.0">\n'
        b"<head><doi_batch_id>b</doi_batch_id><timestamp>1</timestamp></head>\n<body><journal><journal_metadata>\n"
        + broken + b"\n</journal_metadata></journal></body></doi_batch>\n"
    )
    with pytest.raises(DepositFileError) as caught:
        list(open_deposit(io.BytesIO(data)))
    assert words in caught.value.message and caught.value.line == 5
