"""match_references: reference lines in, one answer line each, in order, the same with any number of workers."""
from io import StringIO

import orjson
import pytest
from django.core.management import call_command

from citations.matching.records import ReferenceQuery
from citations.services import match_reference_queries
from tests.citations.crossref_builder import write_jsonl

WORKS = [
    {"doi": "10.5555/graphene", "title": "Phonon dispersion in strained graphene bilayers", "authors": [("Ada", "Lovelace")],
     "container_title": "Journal of Chemical Physics", "year": 2004, "volume": "120", "first_page": "345"},
    {"doi": "10.5555/mudflats", "title": "Tidal rhythms of estuarine mudflats", "authors": [("Mary", "Anning")],
     "container_title": "Estuarine Letters", "year": 1999, "volume": "9", "first_page": "12"},
]
REFERENCES = [
    {"id": "unstructured", "unstructured": "Lovelace A (2004) Phonon dispersion in strained graphene bilayers. J Chem Phys 120, 345"},
    {"id": "structured", "journal-title": "Estuarine Letters", "author": "Anning", "volume": "9", "first-page": "12", "year": 1999,
     "article-title": "Tidal rhythms of estuarine mudflats"},
    {"id": "doi", "DOI": "https://doi.org/10.5555/GRAPHENE"},
    {"id": "contradicted", "DOI": "10.5555/graphene", "article-title": "Tidal rhythms of estuarine mudflats"},
    {"id": "nothing-like-it", "unstructured": "Quixote D (1605) Windmills considered as giants. Mancha Review 1, 1"},
]


@pytest.fixture
def registry(tmp_path):
    call_command("import_works", str(write_jsonl(tmp_path / "works.jsonl", WORKS)), "--no-progress", stdout=StringIO())


def match_file(tmp_path, lines: list[bytes], *args) -> tuple[list[dict], str]:
    source, target = tmp_path / "refs.jsonl", tmp_path / f"out{len(args)}.jsonl"
    source.write_bytes(b"".join(line + b"\n" for line in lines))
    out = StringIO()
    call_command("match_references", "--input", str(source), "--output", str(target), *args, stdout=out, stderr=StringIO())
    return [orjson.loads(line) for line in target.read_bytes().splitlines()], out.getvalue()


@pytest.mark.django_db
def test_each_reference_gets_its_answer_in_input_order(tmp_path, registry):
    answers, summary = match_file(tmp_path, [orjson.dumps(r) for r in REFERENCES], "--no-progress")
    assert [(a["id"], a["DOI"]) for a in answers] == [
        ("unstructured", "10.5555/graphene"),
        ("structured", "10.5555/mudflats"),
        ("doi", "10.5555/graphene"),
        ("contradicted", None),  # the DOI is registered, but the reference disagrees: no link
        ("nothing-like-it", None),
    ]
    assert answers[2]["method"] == "publisher-doi" and answers[0]["method"] == "unstructured"
    assert all(set(a) == {"id", "DOI", "score", "method"} for a in answers)
    assert answers[0]["score"] > 0.5
    assert "5 references answered (0 bad lines)" in summary


@pytest.mark.django_db
def test_bad_lines_get_an_error_answer_naming_the_line(tmp_path, registry):
    lines = [orjson.dumps(REFERENCES[2]), b'{"id": "cut", "unstructured": ', b"[1]", orjson.dumps(REFERENCES[0])]
    answers, summary = match_file(tmp_path, lines, "--no-progress")
    assert [a["DOI"] for a in answers] == ["10.5555/graphene", None, None, "10.5555/graphene"]
    assert answers[1]["error"].startswith("line 2: not JSON") and answers[2]["error"] == "line 3: not a JSON object"
    assert "2 bad lines" in summary


@pytest.mark.django_db(transaction=True)  # the worker processes read the registry through their own connections
def test_two_workers_answer_exactly_as_one(tmp_path, registry):
    lines = [orjson.dumps({**REFERENCES[n % len(REFERENCES)], "id": n}) for n in range(1200)] + [b"not json"]
    one, _ = match_file(tmp_path, lines, "--workers", "1", "--chunk-size", "50")
    two, summary = match_file(tmp_path, lines, "--workers", "2", "--chunk-size", "50", "--no-progress")
    assert two == one
    assert [a["id"] for a in two[:-1]] == list(range(1200))
    assert sum(a["DOI"] == "10.5555/graphene" for a in two) == 480
    assert "with 2 worker(s)" in summary


@pytest.mark.django_db
def test_the_service_answers_a_batch_in_order(registry):
    results = match_reference_queries([
        ReferenceQuery(doi="10.5555/mudflats"),
        ReferenceQuery(unstructured="Nobody (2020) Unheard of"),
        ReferenceQuery(article_title="Phonon dispersion in strained graphene bilayers", author="Lovelace", volume="120", first_page="345"),
    ])
    assert [(r.outcome, r.work.doi if r.work else None) for r in results] == [
        ("matched", "10.5555/mudflats"), ("unmatched", None), ("matched", "10.5555/graphene")]


def text_searches(queries) -> int:
    """Full-text searches of the work index among these queries (FTS5 MATCH, PostgreSQL @@)."""
    return sum("citations_work_fts" in q["sql"] and " MATCH " in q["sql"] or "@@" in q["sql"] for q in queries)


@pytest.mark.django_db
def test_a_reference_matched_at_its_volume_and_page_needs_no_text_search_and_others_get_one(registry):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as placed:
        results = match_reference_queries([ReferenceQuery(unstructured="A. Lovelace, J. Chem. Phys. 120, 345 (2004).")])
    assert results[0].work.doi == "10.5555/graphene"
    assert text_searches(placed.captured_queries) == 0
    with CaptureQueriesContext(connection) as unplaced:
        results = match_reference_queries([ReferenceQuery(unstructured="Lovelace A (2004) Phonon dispersion in strained graphene bilayers")])
    assert results[0].work.doi == "10.5555/graphene"
    assert text_searches(unplaced.captured_queries) == 1
