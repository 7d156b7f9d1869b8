"""Normalisation, DOI forms and journal abbreviations shared by queries, the index and scoring."""
from __future__ import annotations

from citations.matching.text import dois_in, fold_name, iso4_abbreviation, norm_isbn, norm_number, normalize, normalize_doi


def test_normalize_transliterates_and_strips_markup_and_punctuation():
    assert normalize("Müller, J. – <i>Über</i> Röntgen-Strahlen &amp; Ελλάδα") == "muller j uber rontgen strahlen ellada"


def test_german_transliterations_fold_together():
    assert fold_name(normalize("Mueller")) == fold_name(normalize("Müller")) == fold_name(normalize("Muller")) == "muller"


def test_doi_forms_normalise_to_bare_lower_case():
    assert normalize_doi("https://doi.org/10.1103/PhysRevB.12.345.") == "10.1103/physrevb.12.345"
    assert normalize_doi("doi:10.1016/S0168-8227(03)00084-6") == "10.1016/s0168-8227(03)00084-6"
    assert normalize_doi("not a doi") == ""


def test_dois_in_text_keep_their_own_brackets_but_not_the_sentence_ones():
    text = "(see https://doi.org/10.1016/S0168-8227(03)00084-6). Also doi: 10.1111/dme.13255, and 10.1111/DME.13255."
    assert dois_in(text) == ["10.1016/s0168-8227(03)00084-6", "10.1111/dme.13255"]


def test_iso4_abbreviation_of_journal_titles():
    assert iso4_abbreviation("Physical Review B") == "phys rev b"
    assert iso4_abbreviation("Journal of Cerebral Blood Flow and Metabolism") == "j cereb blood flow metab"
    assert iso4_abbreviation("") == ""


def test_numbers_and_isbns_compare_in_one_form():
    assert norm_number("075") == "75"
    assert norm_number("E1234") == "e1234"
    assert norm_isbn("0-87154-226-7") == norm_isbn("978-0-87154-226-7") == "9780871542267"
