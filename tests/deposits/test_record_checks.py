"""What a deposit's log says about each record's checks, and what is registered: a missing
requirement is a Failure naming element and line; a harmless problem a Warning that loses nothing;
every content type the portal reads ends up a Work of its type."""
import pytest

from deposits.models import Work
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.deposits.test_xml_checks import CONTENT_TYPES
from tests.deposits.test_xml_parse import handmade_deposit

pytestmark = pytest.mark.django_db


def process(member, body: str):
    content = handmade_deposit(body.replace("10.1234/", "10.5555/"))
    deposit = deposit_create_from_bytes(member=member, content=content, filename="checks.xml")
    return deposit_process(deposit_id=deposit.pk)


def test_every_content_type_the_portal_reads_is_registered_as_a_work_of_its_type(press):
    member, _ = press
    deposit = process(member, "".join(body for body, _, _ in CONTENT_TYPES.values()))
    assert (deposit.failure_count, deposit.warning_count) == (0, 0), list(deposit.results.values_list("message", flat=True))
    registered = dict(Work.objects.values_list("doi", "type"))
    expected = {f"10.5555/{body.split('10.1234/')[-1].split('<')[0]}": rest for body, rest, _ in CONTENT_TYPES.values()}
    assert registered == expected
    pending = Work.objects.get(type="pending-publication")
    assert (pending.container_title, pending.publication_year, pending.resource_url) == ("Future J", 2025, "")


def test_a_record_without_a_title_fails_naming_the_element_and_line_and_the_others_succeed(press):
    member, _ = press
    untitled = CONTENT_TYPES["journal_article"][0].replace("<titles><title>Title ja</title></titles>", "")
    deposit = process(member, untitled + CONTENT_TYPES["posted_content"][0])
    assert (deposit.success_count, deposit.failure_count, deposit.outcome) == (1, 1, "completed-with-failures")
    failure = deposit.results.get(status="failure")
    assert failure.message == ("line 2: journal_article 10.5555/ja has no titles/title; "
                               "Crossref's schema requires it for a journal_article")
    assert list(Work.objects.values_list("doi", flat=True)) == ["10.5555/pc"]


def test_an_unreadable_year_is_a_warning_and_the_rest_of_the_record_is_registered(press):
    member, _ = press
    body = CONTENT_TYPES["journal_article"][0].replace(
        "</titles>", "</titles><publication_date media_type='print'><year>20x4</year></publication_date>"
        "<publication_date media_type='online'><year>2023</year><month>11</month></publication_date>")
    deposit = process(member, body)
    result = deposit.results.get()
    assert (result.status, deposit.outcome) == ("warning", "completed-with-warnings")
    assert result.message.startswith("Successfully added, with 1 warning(s): line 2: publication_date/year “20x4” is not a year")
    work = Work.objects.get()
    assert (work.title, work.publication_year, work.published_print, work.published_online) == ("Title ja", 2023, "", "2023-11")


def test_contributors_are_stored_with_orcid_and_affiliations(press):
    member, _ = press
    body = CONTENT_TYPES["journal_article"][0].replace(
        "</titles>", "</titles><contributors><person_name sequence='first' contributor_role='author'>"
        "<surname>Carberry</surname><affiliation>Old University</affiliation>"
        "<ORCID>https://orcid.org/0000-0002-1825-0097</ORCID></person_name></contributors>")
    process(member, body)
    (person,) = Work.objects.get().contributors
    assert (person["orcid"], person["affiliations"]) == ("0000-0002-1825-0097", ["Old University"])


def test_an_invalid_issn_in_a_reference_is_kept_and_noted_in_the_records_warning(press):
    member, _ = press
    body = CONTENT_TYPES["journal_article"][0].replace(
        "</journal_article>", "<citation_list><citation key='r1'><issn>1234-5678</issn>"
        "<journal_title>J</journal_title></citation></citation_list></journal_article>")
    deposit = process(member, body)
    result = deposit.results.get()
    assert result.status == "warning" and "citation “r1”: issn “1234-5678” is not a valid ISSN" in result.message
    assert Work.objects.get().references.get().issn == "1234-5678"
