"""What the parser checks in each record: the elements each content type requires (a Failure
naming the element and line), and values that are wrong but harmless (a Warning, nothing lost).
No database needed."""
from __future__ import annotations

import io

import pytest

from deposits.xml import ParsedWork, RecordError, open_deposit
from deposits.xml.values import orcid_problem
from tests.deposits.test_xml_parse import handmade_deposit

RES = "<resource>https://example.org/{n}</resource>"
TITLE = "<titles><title>Title {n}</title></titles>"


def doi_data(n: str) -> str:
    return f"<doi_data><doi>10.1234/{n}</doi>{RES.format(n=n)}</doi_data>"


def title(n: str) -> str:
    return TITLE.format(n=n)


# content type -> (body holding one complete record, REST type, the parts the schema requires)
CONTENT_TYPES = {
    "journal_article": (
        "<journal><journal_metadata><full_title>J</full_title></journal_metadata>"
        f"<journal_article>{title('ja')}{doi_data('ja')}</journal_article></journal>",
        "journal-article", [title("ja"), RES.format(n="ja")],
    ),
    "conference_paper": (
        "<conference><proceedings_metadata><proceedings_title>P</proceedings_title>"
        "<publication_date><year>2020</year></publication_date></proceedings_metadata>"
        f"<conference_paper><contributors><person_name sequence='first' contributor_role='author'>"
        f"<surname>S</surname></person_name></contributors>{title('cp')}{doi_data('cp')}</conference_paper></conference>",
        "proceedings-article", [title("cp"), RES.format(n="cp")],
    ),
    "content_item": (
        "<book book_type='monograph'><book_metadata><titles><title>B</title></titles>"
        "<publication_date><year>2019</year></publication_date><noisbn reason='monograph'/>"
        "<publisher><publisher_name>P</publisher_name></publisher></book_metadata>"
        f"<content_item component_type='chapter'>{title('ch')}{doi_data('ch')}</content_item></book>",
        "book-chapter", [RES.format(n="ch")],
    ),
    "book_metadata": (
        f"<book book_type='monograph'><book_metadata>{title('bk')}"
        "<publication_date><year>2019</year></publication_date><noisbn reason='monograph'/>"
        f"<publisher><publisher_name>P</publisher_name></publisher>{doi_data('bk')}</book_metadata></book>",
        "monograph", [title("bk"), "<publication_date><year>2019</year></publication_date>", RES.format(n="bk")],
    ),
    "posted_content": (
        f"<posted_content type='preprint'>{title('pc')}<posted_date><year>2021</year></posted_date>"
        f"{doi_data('pc')}</posted_content>",
        "posted-content", [title("pc"), "<posted_date><year>2021</year></posted_date>", RES.format(n="pc")],
    ),
    "dissertation": (
        "<dissertation><person_name contributor_role='author' sequence='first'><surname>St</surname></person_name>"
        f"{title('di')}<approval_date><year>2015</year></approval_date>"
        f"<institution><institution_name>U</institution_name></institution>{doi_data('di')}</dissertation>",
        "dissertation",
        ["<person_name contributor_role='author' sequence='first'><surname>St</surname></person_name>",
         title("di"), "<approval_date><year>2015</year></approval_date>", RES.format(n="di")],
    ),
    "peer_review": (
        f"<peer_review stage='pre-publication'>{title('pr')}<review_date><year>2022</year></review_date>"
        f"{doi_data('pr')}</peer_review>",
        "peer-review", [title("pr"), "<review_date><year>2022</year></review_date>", RES.format(n="pr")],
    ),
    "dataset": (
        "<database><database_metadata><titles><title>DB</title></titles></database_metadata>"
        f"<dataset>{title('ds')}{doi_data('ds')}</dataset></database>",
        "dataset", [RES.format(n="ds")],
    ),
    "database_metadata": (
        f"<database><database_metadata>{title('db')}{doi_data('db')}</database_metadata></database>",
        "database", [title("db"), RES.format(n="db")],
    ),
    "report-paper_metadata": (
        f"<report-paper><report-paper_metadata>{title('rp')}{doi_data('rp')}</report-paper_metadata></report-paper>",
        "report", [title("rp"), RES.format(n="rp")],
    ),
    "standard_metadata": (
        f"<standard><standard_metadata>{title('sd')}{doi_data('sd')}</standard_metadata></standard>",
        "standard", [title("sd"), RES.format(n="sd")],
    ),
    "component": (
        "<sa_component parent_doi='10.1234/ja'><component_list><component parent_relation='isPartOf'>"
        f"{title('co')}{doi_data('co')}</component></component_list></sa_component>",
        "component", [RES.format(n="co")],
    ),
    "pending_publication": (
        "<pending_publication><publication><full_title>Future J</full_title></publication>"
        f"{title('pp')}<acceptance_date><year>2025</year><month>3</month></acceptance_date>"
        "<doi>10.1234/pp</doi></pending_publication>",
        "pending-publication", [title("pp"), "<acceptance_date><year>2025</year><month>3</month></acceptance_date>"],
    ),
}


def records(body: str) -> list[ParsedWork | RecordError]:
    return list(open_deposit(io.BytesIO(handmade_deposit(body))))


def one_work(body: str) -> ParsedWork:
    (work,) = records(body)
    assert isinstance(work, ParsedWork), work
    return work


@pytest.mark.parametrize("element", CONTENT_TYPES)
def test_every_content_type_is_registered_as_a_work_of_its_type_without_warnings(element):
    body, rest_type, _required = CONTENT_TYPES[element]
    work = one_work(body)
    assert work.type == rest_type and work.warnings == ()


@pytest.mark.parametrize(
    ("element", "missing"),
    [(element, part) for element, (_, _, required) in CONTENT_TYPES.items() for part in required],
)
def test_a_record_missing_what_its_type_requires_fails_naming_the_element_and_line(element, missing):
    body, _, _ = CONTENT_TYPES[element]
    assert missing in body
    (record,) = records(body.replace(missing, "", 1))
    assert isinstance(record, RecordError)
    named = missing.split(">", 1)[0].lstrip("<").split()[0]
    named = {"resource": "doi_data/resource", "titles": "titles/title"}.get(named, named)
    assert f"has no {named}" in record.message and element in record.message
    assert record.line == 2 and record.doi.startswith("10.1234/")


def test_an_unknown_body_element_is_refused_naming_it_and_the_rest_is_read():
    body = f"<jornal_article>{title('x')}{doi_data('x')}</jornal_article>" + CONTENT_TYPES["posted_content"][0]
    error, work = records(body)
    assert isinstance(error, RecordError) and "<jornal_article> is not a content type" in error.message
    assert work.doi == "10.1234/pc"


def test_a_component_without_its_parent_doi_fails():
    body = CONTENT_TYPES["component"][0].replace(" parent_doi='10.1234/ja'", "")
    (error,) = records(body)
    assert isinstance(error, RecordError) and "parent_doi" in error.message and error.doi == "10.1234/co"


def test_a_database_repeated_in_one_batch_is_registered_once():
    body = CONTENT_TYPES["database_metadata"][0]
    database = body.replace("</database_metadata>", "</database_metadata>" + f"<dataset>{title('d1')}{doi_data('d1')}</dataset>")
    works = records(database + database.replace("d1", "d2"))
    assert [(w.type, w.doi) for w in works] == [
        ("database", "10.1234/db"), ("dataset", "10.1234/d1"), ("dataset", "10.1234/d2")]


def test_unreadable_year_is_a_warning_naming_element_and_line_and_the_rest_is_kept():
    body = (
        "<journal><journal_metadata><full_title>J</full_title></journal_metadata>\n"
        f"<journal_article>{title('y')}\n<publication_date media_type='online'><year>20x4</year></publication_date>\n"
        f"<pages><first_page>7</first_page></pages>{doi_data('y')}</journal_article></journal>"
    )
    work = one_work(body)
    assert (work.title, work.first_page, work.publication_year) == ("Title y", "7", None)
    (warning,) = work.warnings
    assert warning.startswith("line 4: publication_date/year “20x4” is not a year")


def test_year_out_of_range_and_impossible_day_are_warnings_keeping_what_reads():
    body = (
        f"<posted_content>{title('d')}<posted_date><year>1066</year></posted_date>"
        "<publication_date media_type='print'><year>2020</year><month>2</month><day>30</day></publication_date>"
        f"{doi_data('d')}</posted_content>"
    )
    work = one_work(body)
    assert work.publication_year == 2020 and work.published_print == "2020-02"
    assert any("posted_date/year “1066” is outside the years" in w for w in work.warnings)
    assert any("publication_date/day “30” is not a day of the month (1 to 29)" in w for w in work.warnings)


def test_works_keep_print_and_online_publication_dates_falling_back_to_their_issue():
    body = (
        "<journal><journal_metadata><full_title>J</full_title></journal_metadata>"
        "<journal_issue><publication_date media_type='print'><year>2021</year><month>6</month></publication_date>"
        "<issue>2</issue></journal_issue>"
        f"<journal_article>{title('a')}<publication_date media_type='online'><year>2021</year><month>1</month>"
        f"<day>15</day></publication_date>{doi_data('a')}</journal_article>"
        f"<journal_article>{title('b')}{doi_data('b')}</journal_article></journal>"
    )
    first, second = records(body)
    assert (first.published_print, first.published_online, first.publication_year) == ("2021-06", "2021-01-15", 2021)
    assert (second.published_print, second.published_online) == ("2021-06", "")


def test_an_issue_with_an_unreadable_year_warns_on_each_of_its_articles():
    body = (
        "<journal><journal_metadata><full_title>J</full_title></journal_metadata>"
        "<journal_issue><publication_date><year>2O21</year></publication_date></journal_issue>"
        f"<journal_article>{title('a')}{doi_data('a')}</journal_article>"
        f"<journal_article>{title('b')}{doi_data('b')}</journal_article></journal>"
    )
    for work in records(body):
        assert work.publication_year is None and any("“2O21” is not a year" in w for w in work.warnings)


def test_contributors_keep_orcid_ids_and_affiliations_of_either_schema_generation():
    body = (
        "<journal><journal_metadata><full_title>J</full_title></journal_metadata><journal_article>"
        f"{title('o')}<contributors>"
        "<person_name sequence='first' contributor_role='author'><given_name>Jo</given_name><surname>Carberry</surname>"
        "<affiliation>Old University</affiliation><ORCID>https://orcid.org/0000-0002-1825-0097</ORCID></person_name>"
        "<person_name sequence='additional' contributor_role='author'><surname>Lee</surname>"
        "<affiliations><institution><institution_name>New Institute</institution_name></institution>"
        "<institution><institution_acronym>NI2</institution_acronym></institution></affiliations></person_name>"
        f"</contributors>{doi_data('o')}</journal_article></journal>"
    )
    work = one_work(body)
    carberry, lee = work.contributors
    assert (carberry.orcid, carberry.affiliations) == ("0000-0002-1825-0097", ("Old University",))
    assert lee.affiliations == ("New Institute", "NI2") and work.warnings == ()


def test_an_orcid_with_a_wrong_check_digit_is_kept_and_warned_about():
    assert orcid_problem("0000-0002-1825-0097") is None
    body = CONTENT_TYPES["journal_article"][0].replace(
        "<titles>", "<contributors><person_name sequence='first' contributor_role='author'><surname>X</surname>"
        "<ORCID>https://orcid.org/0000-0002-1825-0098</ORCID></person_name></contributors><titles>", 1)
    # the schema puts titles first; element order does not matter to the parser
    work = one_work(body)
    assert work.contributors[0].orcid == "0000-0002-1825-0098"
    (warning,) = work.warnings
    assert "ORCID 0000-0002-1825-0098 of X has a wrong check digit" in warning


def test_an_invalid_issn_of_a_reference_is_kept_as_given_and_noted():
    body = CONTENT_TYPES["journal_article"][0].replace(
        "</journal_article>",
        "<citation_list><citation key='r1'><issn>1234-5678</issn><journal_title>J</journal_title></citation>"
        "<citation key='r2'><issn>0317-8471</issn><isbn>978-3-16-148410-1</isbn><doi>not a doi</doi></citation>"
        "</citation_list></journal_article>")
    work = one_work(body)
    assert [r.issn for r in work.references] == ["1234-5678", "0317-8471"]
    assert work.references[1].isbn == "978-3-16-148410-1"
    warnings = " | ".join(work.warnings)
    assert "citation “r1”: issn “1234-5678” is not a valid ISSN" in warnings and "kept as given" in warnings
    assert "citation “r2”: isbn “978-3-16-148410-1” is not a valid ISBN" in warnings
    assert "citation “r2”: doi: “not a doi” is not a DOI" in warnings
    assert "0317-8471" not in warnings


def test_an_invalid_journal_issn_is_warned_on_its_articles_and_kept():
    body = CONTENT_TYPES["journal_article"][0].replace("<full_title>J</full_title>", "<full_title>J</full_title><issn>1234-5678</issn>")
    work = one_work(body)
    assert work.issn == "1234-5678" and "issn “1234-5678” is not a valid ISSN" in work.warnings[0]


def test_a_citation_without_a_key_gets_one_and_is_noted():
    body = CONTENT_TYPES["journal_article"][0].replace(
        "</journal_article>", "<citation_list><citation><unstructured_citation>X</unstructured_citation></citation>"
        "<citation key='ref-1'><unstructured_citation>Y</unstructured_citation></citation></citation_list></journal_article>")
    work = one_work(body)
    assert [r.key for r in work.references] == ["ref-1", "ref-1-2"]
    assert len(work.warnings) == 2
