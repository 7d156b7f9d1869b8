"""What the index is asked for a reference and what it stores for a work."""
from __future__ import annotations

import dataclasses

from citations.matching import CandidateQuery, ReferenceQuery, WorkRecord, candidate_query, index_text
from tests.citations.matching.realdata import ToyIndex, real_works

PRB = WorkRecord(
    id=1, doi="10.1103/physrevb.12.345", title="Électron transport in thin films", authors=("Müller", "Jones"),
    container_title="Physical Review B", short_container_title="Phys Rev B", year=2001, volume="12", first_page="345",
)


def test_title_less_reference_asks_for_volume_and_first_page():
    query = candidate_query(ReferenceQuery(unstructured="J. Smith, Phys. Rev. B 12, 345 (2001)"))
    assert query.volume_pages == (("12", "345"),)
    assert query.text.split() == ["smith", "phys", "rev"]
    assert query.dois == ()


def test_volume_pages_from_common_styles():
    cases = {
        "Neurology, 75(13), 1195–1202.": ("75", "1195"),  # APA
        "Neurology. 2010;75(13):1195-202.": ("75", "1195"),  # Vancouver
        "Nature 412, 345–350 (2001).": ("412", "345"),  # Nature
        "NeuroImage 61 (2012) 1206–1212.": ("61", "1206"),  # Elsevier
        "IEEE Trans. X, vol. 12, no. 3, pp. 345–350, 2001.": ("12", "345"),  # IEEE
        "J. Am. Chem. Soc. 2001, 123, 345.": ("123", "345"),  # ACS
        "Am Health Drug Benefits 3:31–40": ("3", "31"),  # Springer
    }
    for text, pair in cases.items():
        pairs = candidate_query(ReferenceQuery(unstructured=text)).volume_pages
        assert pairs[0] == pair, (text, pairs)


def test_query_text_drops_noise_initials_numbers_and_punctuation():
    text = "Smith, J. K., et al. In: Müller, A. (Eds.), Über Röntgen-Strahlen, pp. 12–19. https://example.org/a"
    query = candidate_query(ReferenceQuery(unstructured=text))
    assert query.text == "smith muller uber rontgen strahlen"
    assert query.dois == ()


def test_reference_with_a_doi_asks_for_its_dois_only():
    # The matcher links a DOI-bearing reference to that DOI's work or to nothing: no text search.
    text = "Smith, J. K. Über Röntgen-Strahlen. Ann. Phys. 12, 345 (1990). doi:10.1000/xyz"
    query = candidate_query(ReferenceQuery(unstructured=text))
    assert query == CandidateQuery(dois=("10.1000/xyz",))


def test_query_keeps_at_most_thirty_informative_words():
    authors = ", ".join(f"Author{n} A" for n in range(40))
    query = candidate_query(ReferenceQuery(unstructured=f"{authors} (2010) Some title words here. Journal of Things 1:2"))
    assert len(query.text.split()) == 30
    assert query.text == query.text.lower() and query.text.isascii()


def test_structured_reference_query_uses_its_fields_and_given_doi():
    reference = ReferenceQuery(
        doi="https://doi.org/10.1000/ABC", article_title="Basic local alignment search tool", author="Altschul SF",
        journal_title="J Mol Biol", volume="215", first_page="403-410", year="1990",
    )
    query = candidate_query(reference)
    assert query.dois == ("10.1000/abc",)
    assert query.text == "" and query.volume_pages == ()
    query = candidate_query(dataclasses.replace(reference, doi=""))
    assert query.volume_pages == (("215", "403"),)
    assert query.years == (1990,)
    assert query.text == "basic local alignment search tool altschul mol biol"  # "SF": initials, dropped


def test_index_text_has_title_authors_journal_and_its_iso4_abbreviation():
    text = index_text(PRB).split()
    assert text[:4] == ["electron", "transport", "thin", "films"]
    assert {"muller", "jones", "physical", "review", "phys", "rev"} <= set(text)
    assert len(text) == len(set(text))


def test_abbreviated_journal_query_ranks_the_work_first_in_a_toy_index():
    works = real_works()
    index = ToyIndex(works)
    endocrinology = next(w for w in works if w.container_title == "Journal of Endocrinology")
    # No title, no author: only the abbreviated journal name can find it.
    ranked = index.ranked(candidate_query(ReferenceQuery(unstructured="J. Endocrinol. 232, 37 (2016)")).text)
    assert ranked[0].container_title == "Journal of Endocrinology"
    assert endocrinology in ranked[:3]
