"""Checks before queueing: the file's structure (deposits.validation.check_structure) and the
same content deposited twice (same_file_deposit)."""
from __future__ import annotations

import io

import pytest

from deposits.models import Deposit
from deposits.services import deposit_create_from_bytes, deposit_process
from deposits.validation import check_structure, file_sha256, same_file_deposit
from tests.deposits.test_xml_parse import HEAD, handmade_deposit
from tests.xmlbuild import deposit_from_unixsd, journal_article_deposit, unixsd_paths

GOOD = journal_article_deposit([{"doi": "10.5555/a", "title": "A"}])


def problems_of(data: bytes, **options) -> list:
    return check_structure(io.BytesIO(data), **options)


def test_a_well_formed_deposit_has_no_problems_and_is_left_at_its_start():
    file = io.BytesIO(GOOD)
    assert check_structure(file) == [] and file.tell() == 0


def test_every_real_record_passes():
    assert problems_of(deposit_from_unixsd(unixsd_paths())) == []


def test_a_file_that_is_not_well_formed_names_the_line_in_plain_words_and_keeps_the_parsers_text():
    data = GOOD.replace(b"<title>A</title>", b"<title>A</titel>\n")
    (problem,) = problems_of(data)
    assert problem.line == 2
    assert "the element <title> opened on line 2 is closed by </titel>" in problem.message
    assert "Opening and ending tag mismatch" in problem.detail
    assert str(problem).startswith("line 2: The file is not well-formed XML")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "The file is empty."),
        (b'<?xml version="1.0"?><!DOCTYPE doi_batch [<!ENTITY x "y">]><doi_batch/>', "DTDs and entity declarations"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>', "The root element is <feed>"),
        (b'<doi_batch xmlns="http://example.org/other"><head/><body/></doi_batch>', "is not a Crossref deposit schema namespace"),
        (handmade_deposit("").replace(HEAD.encode(), b""), "no <head> before its <body>"),
        (handmade_deposit("").replace(b"<body></body>", b""), "no <body> after its <head>"),
        (handmade_deposit(""), "<body> holds no records"),
    ],
)
def test_structural_problems_of_the_whole_file_are_named(data, words):
    (problem,) = problems_of(data)
    assert words in problem.message


def test_each_unrecognisable_body_element_is_named_with_its_line():
    records = "\n".join([
        "<jornal><journal_metadata><full_title>J</full_title></journal_metadata></jornal>",
        "<posted_content><titles><title>T</title></titles></posted_content>",
        "<article/>",
        "<posted_content><titles><title>U</title></titles></posted_content>",
        "<dataset/>",
    ])
    problems = problems_of(handmade_deposit("\n" + records))
    assert [(p.line, p.message.split(" is ")[0]) for p in problems] == [(3, "<jornal>"), (5, "<article>"), (7, "<dataset>")]
    assert "is not a content type the portal registers" in problems[0].message


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    settings.DEPOSIT_MAX_BYTES = 100
    (problem,) = problems_of(GOOD)
    assert "deposits are limited to" in problem.message


def test_a_reference_only_deposit_is_checked_against_its_own_schema():
    namespace = "http://www.crossref.org/doi_resources_schema/4.4.2"
    citations = (
        f'<doi_batch xmlns="{namespace}" version="4.4.2">{HEAD}<body><doi_citations><doi>10.5555/a</doi>'
        "<citation_list><citation key='k'><unstructured_citation>X</unstructured_citation></citation>"
        "</citation_list></doi_citations></body></doi_batch>"
    ).encode()
    assert problems_of(citations, operation=Deposit.Operation.REFERENCES) == []
    (wrong,) = problems_of(GOOD, operation=Deposit.Operation.REFERENCES)
    assert "doi_resources schema" in wrong.message
    (metadata_only,) = problems_of(citations)
    assert "not a Crossref deposit schema namespace" in metadata_only.message


@pytest.mark.django_db
def test_the_same_content_pending_or_done_is_found_for_the_same_member_only(press, society):
    member, _ = press
    other, _ = society
    sha = file_sha256(io.BytesIO(GOOD))
    assert same_file_deposit(member=member, sha256=sha) is None
    first = deposit_create_from_bytes(member=member, content=GOOD, filename="a.xml")
    assert first.sha256 == sha
    assert same_file_deposit(member=member, sha256=sha) == first  # pending
    deposit_process(deposit_id=first.pk)
    assert same_file_deposit(member=member, sha256=sha) == first  # done
    assert same_file_deposit(member=other, sha256=sha) is None
    assert same_file_deposit(member=member, sha256=file_sha256(io.BytesIO(GOOD + b"\n"))) is None
    Deposit.objects.filter(pk=first.pk).update(status=Deposit.Status.FAILED)
    assert same_file_deposit(member=member, sha256=sha) is None  # a failed one may be sent again
