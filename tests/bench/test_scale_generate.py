"""The scale benchmark's registry: deterministic, in Crossref's REST shape (import_works reads it),
with the skew of real citations (a few works cited very often, most a few times)."""
from __future__ import annotations

import gzip
from collections import Counter

import orjson

from bench.scale.generate import Shape, generate, prefixes
from citations.crossref_data import reference_fields, work_fields


def _works(path) -> list[dict]:
    with gzip.open(path) as lines:
        return [orjson.loads(line) for line in lines]


def test_the_registry_is_the_same_for_a_seed_and_reads_as_crossref_works(tmp_path):
    shape = Shape(works=3000, references=30000, members=10)
    [first] = generate(shape, tmp_path / "a", log=lambda *_: None)
    [again] = generate(shape, tmp_path / "b", log=lambda *_: None)
    assert gzip.open(first).read() == gzip.open(again).read()

    works = _works(first)
    assert len(works) == 3000 and len({w["DOI"] for w in works}) == 3000
    assert {w["prefix"] for w in works} == set(prefixes(10))
    fields = work_fields(works[0])
    assert fields["doi"] == works[0]["DOI"] and fields["publication_year"] == works[0]["issued"]["date-parts"][0][0]
    assert reference_fields(works[0]["reference"][0], 1)["doi"] == works[0]["reference"][0].get("DOI", "")


def test_citations_are_skewed_and_each_reference_agrees_with_the_work_it_gives(tmp_path):
    [path] = generate(Shape(works=3000, references=30000, members=10), tmp_path, log=lambda *_: None)
    works = _works(path)
    by_doi = {w["DOI"]: w for w in works}
    cited = Counter(r["DOI"] for w in works for r in w["reference"] if "DOI" in r)

    assert 27000 < sum(cited.values()) < 33000
    counts = sorted(cited.values(), reverse=True)
    assert counts[0] > 20 * counts[len(counts) // 2]  # the most cited far above the median
    assert counts[len(counts) // 2] <= 10
    assert all(r["DOI"] != w["DOI"] for w in works for r in w["reference"] if "DOI" in r)  # no self-citation
    reference = next(r for w in works for r in w["reference"] if "DOI" in r)
    target = by_doi[reference["DOI"]]
    assert reference["year"] == str(target["issued"]["date-parts"][0][0])
    assert reference["first-page"] == target["page"].split("-")[0]
    assert reference["journal-title"] == target["container-title"][0]
    assert any("unstructured" in r and "DOI" not in r for w in works for r in w["reference"])


def test_a_registry_written_in_several_files_holds_the_same_works_in_blocks(tmp_path):
    shape = Shape(works=25_000, references=25_000, members=10)
    [whole] = generate(shape, tmp_path / "one", log=lambda *_: None)
    parts = generate(shape, tmp_path / "three", files=3, log=lambda *_: None)

    assert len(parts) == 3
    in_parts = [_works(part) for part in parts]
    assert [len(works) for works in in_parts] == [10_000, 10_000, 5_000]  # blocks of 10,000 in turn
    assert sorted(w["DOI"] for works in in_parts for w in works) == sorted(w["DOI"] for w in _works(whole))


def test_processes_side_by_side_write_the_registry_one_process_writes(tmp_path):
    shape = Shape(works=25_000, references=50_000, members=10)
    [alone] = generate(shape, tmp_path / "one", processes=1, log=lambda *_: None)
    [side_by_side] = generate(shape, tmp_path / "two", processes=2, log=lambda *_: None)

    assert alone.read_bytes() == side_by_side.read_bytes()
    works = _works(side_by_side)  # three gzip members (blocks of 10,000), read as one stream
    assert [w["DOI"].rsplit(".", 1)[1] for w in works] == [str(n) for n in range(25_000)]


def test_titles_draw_on_a_wide_vocabulary_so_a_text_search_finds_few_works(tmp_path):
    [path] = generate(Shape(works=3000, references=3000, members=10), tmp_path, log=lambda *_: None)
    titles = [set(w["title"][0].lower().split()[:-1]) for w in _works(path)]  # (the last word is the work's number)
    words = Counter(word for title in titles for word in title)

    assert len(words) > 1000
    assert words.most_common(1)[0][1] < len(titles) / 5  # not every title shares the common words


def test_a_registry_of_doi_references_only_has_no_unstructured_ones(tmp_path):
    [path] = generate(Shape(works=2000, references=10000, members=10, unstructured=0), tmp_path, log=lambda *_: None)

    references = [r for w in _works(path) for r in w["reference"]]
    assert references and all("DOI" in r and "unstructured" not in r for r in references)
