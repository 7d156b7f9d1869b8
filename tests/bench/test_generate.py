"""The matching benchmark's generator: deterministic, every style, the traps present, the right
shares of references with no answer. Small sizes only; no database."""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from stdnum import issn

from bench.matching.generate import generate, real_records_folder
from bench.matching.render import STYLES

WORKS, REFS = 500, 200


def _lines(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def small_set(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "set"
    generate(out, works=WORKS, refs=REFS, seed=7, processes=1, log=lambda *_: None)
    return out


@pytest.fixture(scope="module")
def registry(small_set) -> list[dict]:
    return _lines(small_set / "registry.jsonl.gz")


@pytest.fixture(scope="module")
def truth(small_set) -> list[dict]:
    return _lines(small_set / "truth.jsonl")


def test_same_seed_gives_the_same_files_however_many_processes_render(small_set, tmp_path):
    again = tmp_path / "again"
    generate(again, works=WORKS, refs=REFS, seed=7, processes=2, log=lambda *_: None)
    for name in ("registry.jsonl.gz", "heldout.jsonl.gz", "refs.jsonl", "truth.jsonl"):
        assert (again / name).read_bytes() == (small_set / name).read_bytes(), name


def test_registry_has_the_requested_size_and_unique_dois(registry):
    assert len(registry) == WORKS
    dois = [work["DOI"].lower() for work in registry]
    assert len(set(dois)) == len(dois)


def test_registry_holds_the_real_records(registry):
    assert real_records_folder() is not None, "shared/data/crossref-unixsd must be beside the work tree (as in CI)"
    assert "10.1007/s11682-016-9638-y" in {work["DOI"] for work in registry}


def test_registry_works_have_the_rest_shape(registry):
    types = Counter(work["type"] for work in registry)
    assert {"journal-article", "posted-content", "book", "book-chapter", "proceedings-article"} <= set(types)
    for work in registry:
        assert work["title"] and work["title"][0]
        assert "date-parts" in work.get("issued", {"date-parts": [[0]]})
        for number in work.get("ISSN", []):
            assert issn.is_valid(number), number
    articles = [w for w in registry if w["type"] == "journal-article"]
    assert any("short-container-title" in w for w in articles)
    assert any("short-container-title" not in w for w in articles)


def test_registry_has_errata_and_preprint_copies_of_its_articles(registry):
    titles = {w["title"][0] for w in registry if w["type"] == "journal-article"}
    errata = [w for w in registry if re.match(r"(Correction to:|Erratum|Corrigendum)", w["title"][0])]
    assert errata
    assert any(re.sub(r"^(Correction to: |Erratum: |Erratum to: )", "", w["title"][0]) in titles for w in errata)
    preprints = [w for w in registry if w["type"] == "posted-content" and "volume" not in w]
    assert any(p["title"][0] in titles for p in preprints)


def test_every_style_is_used(truth):
    assert set(STYLES) <= {row["style"] for row in truth}
    assert len(STYLES) >= 10


def test_enough_references_have_no_registered_answer(truth):
    not_registered = [row for row in truth if row["category"] == "not-in-registry"]
    assert len(not_registered) >= 0.15 * len(truth)
    assert all(row["expected"] is None for row in not_registered)


def test_expected_dois_are_registered(truth, registry):
    dois = {work["DOI"] for work in registry}
    assert all(row["expected"] in dois for row in truth if row["expected"])


def test_wrong_and_unregistered_dois_expect_no_match(truth, small_set, registry):
    refs = {row["id"]: row for row in _lines(small_set / "refs.jsonl")}
    dois = {work["DOI"].lower() for work in registry}
    doi_rows = [row for row in truth if row["category"] == "doi"]
    assert {row["kind"] for row in doi_rows} == {"doi-correct", "doi-wrong-work", "doi-unregistered"}
    for row in doi_rows:
        ref = refs[row["id"]]
        carried = ref.get("DOI") or re.search(r"10\.\d{4,}/\S+", ref.get("unstructured", "")).group(0)
        carried = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", carried, flags=re.I).lower().rstrip(".")
        if row["kind"] == "doi-unregistered":
            assert row["expected"] is None and carried not in dois
        elif row["kind"] == "doi-wrong-work":
            assert row["expected"] is None and carried in dois


def test_references_without_doi_category_carry_no_doi(truth, small_set):
    refs = {row["id"]: row for row in _lines(small_set / "refs.jsonl")}
    for row in truth:
        if row["category"] != "doi":
            ref = refs[row["id"]]
            assert "DOI" not in ref
            assert "doi.org" not in ref.get("unstructured", "")


def test_structured_references_use_crossref_field_names(truth, small_set):
    allowed = {"id", "journal-title", "author", "volume", "issue", "first-page", "year", "article-title",
               "ISSN", "ISBN", "volume-title", "series-title", "DOI"}
    refs = {row["id"]: row for row in _lines(small_set / "refs.jsonl")}
    structured = [refs[row["id"]] for row in truth if row["form"] == "structured"]
    assert structured
    for ref in structured:
        assert set(ref) <= allowed and "unstructured" not in ref


def test_both_splits_are_present(truth):
    splits = Counter(row["split"] for row in truth)
    assert set(splits) == {"calibration", "test"}
    assert 0.15 < splits["calibration"] / len(truth) < 0.45


def test_one_journal_volume_and_first_page_name_one_article(registry, small_set):
    # Pagination (or article numbering) runs on through a volume's issues, as in real journals: a
    # reference giving journal, volume and first page (and the works held out of the registry,
    # which references cite as missing) can name only one article.
    places = Counter(
        ((work.get("container-title") or [""])[0], work.get("volume"), work["page"].split("-")[0])
        for work in registry + _lines(small_set / "heldout.jsonl.gz")
        if work.get("type") == "journal-article" and work.get("page") and work.get("volume")
    )
    assert len(places) > 100
    assert [place for place, count in places.items() if count > 1] == []
