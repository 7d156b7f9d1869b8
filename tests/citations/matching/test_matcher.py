"""The matcher's decisions on the hard cases: styles, damage, distractors, DOIs, structured fields."""
from __future__ import annotations

import dataclasses

from citations.matching import ReferenceQuery, WorkRecord, match, settled_by_place

SMITH = WorkRecord(
    id=1, doi="10.1103/physrevb.12.345", title="Electron transport in disordered thin metallic films",
    authors=("Smith", "Jones"), given_names=("John", "Karen"), container_title="Physical Review B",
    issn=("2469-9950", "2469-9969"), year=2001, volume="12", issue="3", first_page="345", last_page="351",
)
# Same issue, starts where SMITH ends.
NEIGHBOUR = WorkRecord(
    id=2, doi="10.1103/physrevb.12.351", title="Phonon scattering at grain boundaries of copper films",
    authors=("Nguyen",), given_names=("Anh",), container_title="Physical Review B", year=2001, volume="12",
    issue="3", first_page="351", last_page="360",
)
SAME_PAGE_OTHER_JOURNAL = WorkRecord(
    id=3, doi="10.1103/physrevd.12.345", title="Neutrino masses from lattice gauge theory",
    authors=("Smith",), given_names=("Jane",), container_title="Physical Review D", year=2001, volume="12",
    first_page="345", last_page="356",
)
MUELLER = WorkRecord(
    id=4, doi="10.1000/ratio.2015.77", title="Über die Wirkung von Koffein auf das Arbeitsgedächtnis bei Studierenden",
    authors=("Müller", "Schäfer"), given_names=("Jürgen", "Anna"), container_title="Zeitschrift für Psychologie",
    year=2015, volume="223", issue="2", first_page="77", last_page="89",
)
DIABETES = WorkRecord(
    id=5, doi="10.1212/wnl.0b013e3181f4d7f8",
    title="Diabetes, Alzheimer disease, and vascular dementia: A population-based neuropathologic study",
    authors=("Ahtiluoto", "Polvikoski", "Peltonen"), given_names=("S.", "T.", "M."), container_title="Neurology",
    issn=("0028-3878",), year=2010, volume="75", issue="13", first_page="1195", last_page="1202",
)
# The same authors, the same year, a similar title: another paper.
DIABETES_SIBLING = WorkRecord(
    id=6, doi="10.1212/wnl.0b013e3181f4d999",
    title="Diabetes, Alzheimer disease, and vascular dementia: A population-based clinical study",
    authors=("Ahtiluoto", "Polvikoski", "Peltonen"), given_names=("S.", "T.", "M."), container_title="Neurology",
    issn=("0028-3878",), year=2010, volume="75", issue="21", first_page="1880", last_page="1887",
)
CORRECTION = WorkRecord(
    id=7, doi="10.1212/wnl.0b013e3181f4d7f8.err",
    title="Correction to: Diabetes, Alzheimer disease, and vascular dementia: A population-based neuropathologic study",
    authors=("Ahtiluoto", "Polvikoski", "Peltonen"), container_title="Neurology", year=2010, volume="75",
    issue="18", first_page="1664",
)
PREPRINT = WorkRecord(
    id=8, doi="10.1101/2009.12.01.123456", type="posted-content",
    title="Diabetes, Alzheimer disease, and vascular dementia: A population-based neuropathologic study",
    authors=("Ahtiluoto", "Polvikoski", "Peltonen"), container_title="bioRxiv", year=2010,
)
BOOK = WorkRecord(
    id=9, doi="10.7758/9781610441384", type="book", title="The Handbook of Research Synthesis",
    authors=("Cooper", "Hedges"), given_names=("Harris", "Larry V."), container_title="", isbn=("9780871542267",),
    year=1994,
)
CHAPTER = WorkRecord(
    id=10, doi="10.1007/978-94-011-3110-0_17", type="book-chapter",
    title="Behavioural and physiological indices of social relationships: comparative studies of New World monkeys",
    authors=("Mendoza",), given_names=("Sally P.",), container_title="Primate Responses to Environmental Change",
    year=1991, first_page="311", last_page="335",
)
JAPANESE = WorkRecord(
    id=11, doi="10.1000/jp.2018.5", title="Gendai Nihon ni okeru toshi no kōrei-ka to chiiki komyuniti",
    authors=("Tanaka",), given_names=("Hiroshi",), container_title="Shakaigaku Hyōron", year=2018, volume="69",
    issue="1", first_page="55", last_page="72",
)

ALL = [SMITH, NEIGHBOUR, SAME_PAGE_OTHER_JOURNAL, MUELLER, DIABETES, DIABETES_SIBLING, CORRECTION, PREPRINT, BOOK, CHAPTER, JAPANESE]


def unstructured(text: str, candidates=ALL):
    return match(ReferenceQuery(unstructured=text), candidates=candidates)


def assert_matches(result, work: WorkRecord):
    assert result.outcome == "matched", (result.reason, result.details)
    assert result.work == work
    assert 0.0 <= result.score <= 1.0


def assert_unmatched(result, reason: str | None = None):
    assert result.outcome == "unmatched", (result.work, result.details)
    assert result.work is None
    if reason:
        assert result.reason == reason


# --- Styles ---------------------------------------------------------------------------------

def test_title_less_aip_reference_matches_by_journal_volume_page():
    result = unstructured("J. Smith, Phys. Rev. B 12, 345 (2001).")
    assert_matches(result, SMITH)
    assert result.method == "unstructured"
    assert result.reason == "journal-volume-page"
    assert {"container", "volume", "page", "year"} <= set(result.agreed)


def test_title_less_reference_to_same_volume_and_page_of_another_journal_matches_that_journal_only():
    assert_matches(unstructured("J. Smith, Phys. Rev. D 12, 345 (2001)."), SAME_PAGE_OTHER_JOURNAL)


def test_title_less_reference_without_a_journal_we_know_stays_unmatched():
    assert_unmatched(unstructured("J. Smith, Phys. Rev. E 12, 345 (2001)."))


def test_elsevier_style_without_title_matches():
    assert_matches(unstructured("J. Smith, K. Jones, Phys. Rev. B 12 (2001) 345–351."), SMITH)


def test_apa_reference_matches():
    text = (
        "Ahtiluoto, S., Polvikoski, T., Peltonen, M., Solomon, A., Tuomilehto, J., Winblad, B., et al. (2010). "
        "Diabetes, Alzheimer disease, and vascular dementia: A population-based neuropathologic study. "
        "Neurology, 75(13), 1195–1202."
    )
    result = unstructured(text)
    assert_matches(result, DIABETES)
    assert result.reason == "title"
    assert set(result.agreed) >= {"title", "author", "year", "container", "volume", "page"}


def test_vancouver_reference_with_abbreviated_journal_and_short_page_range_matches():
    text = "Smith J, Jones K. Electron transport in disordered thin metallic films. Phys Rev B. 2001;12(3):345-51."
    assert_matches(unstructured(text), SMITH)


def test_ieee_reference_matches():
    text = 'J. Smith and K. Jones, "Electron transport in disordered thin metallic films," Phys. Rev. B, vol. 12, no. 3, pp. 345–351, 2001.'
    assert_matches(unstructured(text), SMITH)


def test_mla_reference_with_full_given_names_matches():
    text = 'Smith, John, and Karen Jones. "Electron Transport in Disordered Thin Metallic Films." Physical Review B, vol. 12, no. 3, 2001, pp. 345-51.'
    assert_matches(unstructured(text), SMITH)


def test_acs_reference_year_volume_page_matches():
    assert_matches(unstructured("Smith, J.; Jones, K. Phys. Rev. B 2001, 12, 345."), SMITH)


def test_book_reference_matches_by_title_author_year():
    assert_matches(unstructured("Cooper H, Hedges LV (1994) The handbook of research synthesis. Russell Sage Foundation, New York"), BOOK)


def test_chapter_reference_matches_by_title_and_book():
    text = (
        "Mendoza SP (1991) Behavioural and physiological indices of social relationships: comparative studies of "
        "New World monkeys. In: Box HO (ed) Primate Responses to Environmental Change. Chapman and Hall, London, pp 311–335"
    )
    assert_matches(unstructured(text), CHAPTER)


# --- Damaged strings ------------------------------------------------------------------------

def test_ocr_damaged_reference_still_matches():
    text = "Ahti1uoto S, Polvikoski T. Diabetes, A1zheimer disease, and vascu1ar dementia: A popu1ation-based neuropath0logic study. Neuro1ogy 2010;75:1195-1202."
    assert_matches(unstructured(text), DIABETES)


def test_reference_cut_at_the_start_still_matches():
    text = "ase, and vascular dementia: A population-based neuropathologic study. Neurology, 75(13), 1195–1202 (2010)."
    assert_matches(unstructured(text), DIABETES)


def test_reference_cut_at_the_end_still_matches():
    text = "Ahtiluoto S, Polvikoski T, Peltonen M (2010) Diabetes, Alzheimer disease, and vascular dementia: A population-based neuropathologic st"
    assert_matches(unstructured(text, [work for work in ALL if work is not PREPRINT]), DIABETES)
    # (With its preprint registered as well, nothing left in the string says which version it cites.)
    assert_unmatched(unstructured(text), "ambiguous")


def test_reference_without_authors_matches_by_title_and_journal():
    text = "Diabetes, Alzheimer disease, and vascular dementia: A population-based neuropathologic study. Neurology. 2010;75:1195–202."
    assert_matches(unstructured(text), DIABETES)


def test_reference_with_a_page_typo_still_matches():
    text = "Ahtiluoto S, et al. (2010) Diabetes, Alzheimer disease, and vascular dementia: a population-based neuropathologic study. Neurology 75:1159–1202"
    assert_matches(unstructured(text), DIABETES)


def test_reference_with_a_year_typo_still_matches():
    text = "Ahtiluoto S, et al. (2001) Diabetes, Alzheimer disease, and vascular dementia: a population-based neuropathologic study. Neurology 75:1195–1202"
    assert_matches(unstructured(text), DIABETES)


def test_online_first_year_one_off_matches():
    assert_matches(unstructured("J. Smith, Phys. Rev. B 12, 345 (2000)."), SMITH)


def test_transliterated_umlaut_author_matches_each_spelling():
    for name in ("Mueller J", "Müller J", "Muller J"):
        text = f"{name}, Schaefer A (2015) Über die Wirkung von Koffein auf das Arbeitsgedächtnis bei Studierenden. Z Psychol 223:77–89"
        assert_matches(unstructured(text), MUELLER)


def test_non_english_title_without_diacritics_matches():
    text = "Muller J. Uber die Wirkung von Koffein auf das Arbeitsgedachtnis bei Studierenden. Zeitschrift fur Psychologie. 2015;223(2):77-89."
    assert_matches(unstructured(text), MUELLER)


def test_romanised_japanese_title_with_and_without_macrons_matches():
    for title in ("Gendai Nihon ni okeru toshi no kōrei-ka to chiiki komyuniti", "Gendai Nihon ni okeru toshi no koreika to chiiki komyuniti"):
        assert_matches(unstructured(f"Tanaka H (2018) {title}. Shakaigaku Hyoron 69(1):55–72"), JAPANESE)


# --- Distractors ----------------------------------------------------------------------------

def test_same_authors_same_year_similar_title_loses_to_the_cited_paper():
    text = "Ahtiluoto S, et al. Diabetes, Alzheimer disease, and vascular dementia: a population-based neuropathologic study. Neurology 2010;75:1195."
    assert_matches(unstructured(text, [DIABETES_SIBLING, DIABETES]), DIABETES)


def test_same_authors_similar_title_is_not_linked_when_the_cited_paper_is_not_registered():
    text = "Ahtiluoto S, et al. Diabetes, Alzheimer disease, and vascular dementia: a population-based neuropathologic study. Neurology 2010;75:1195–1202."
    assert_unmatched(unstructured(text, [DIABETES_SIBLING, SMITH, BOOK]))


def test_similar_title_without_pages_is_ambiguous_between_the_two_papers():
    text = "Ahtiluoto S, Polvikoski T. Diabetes, Alzheimer disease, and vascular dementia: a population-based study. Neurology. 2010."
    assert_unmatched(unstructured(text, [DIABETES_SIBLING, DIABETES]), "ambiguous")


def test_neighbour_in_the_same_issue_starting_on_the_cited_last_page_loses():
    result = unstructured("J. Smith, K. Jones, Phys. Rev. B 12, 345–351 (2001).", [NEIGHBOUR, SMITH])
    assert_matches(result, SMITH)


def test_neighbour_in_the_same_issue_is_not_linked_when_the_cited_article_is_missing():
    assert_unmatched(unstructured("J. Smith, Phys. Rev. B 12, 345–351 (2001).", [NEIGHBOUR, SAME_PAGE_OTHER_JOURNAL]))
    assert_unmatched(unstructured("A. Nguyen, Phys. Rev. B 12, 352 (2001).", [NEIGHBOUR]))


def test_a_volume_or_page_equal_to_the_issue_number_is_no_evidence_of_the_issue():
    issue_as_volume = dataclasses.replace(SMITH, issue="12")
    result = unstructured("J. Smith, Phys. Rev. B 12, 345 (2001).", candidates=[issue_as_volume])
    assert_matches(result, issue_as_volume)
    assert "issue" not in result.agreed  # the one "12" is the volume
    issue_as_page = dataclasses.replace(SMITH, volume="3", issue="345")
    result = unstructured("J. Smith, Phys. Rev. B 3, 345 (2001).", candidates=[issue_as_page])
    assert_matches(result, issue_as_page)
    assert "issue" not in result.agreed  # the one "345" is the first page
    # Written twice, the number is the volume and the issue.
    result = unstructured("J. Smith, Phys. Rev. B, vol. 12, no. 12, pp. 345-351, 2001.", candidates=[issue_as_volume])
    assert "issue" in result.agreed
    assert "issue" in unstructured("J. Smith, Phys. Rev. B, vol. 12, no. 3, pp. 345-351, 2001.", candidates=[SMITH]).agreed


def test_correction_notice_never_wins_for_the_article_it_corrects():
    text = "Ahtiluoto S, et al. Diabetes, Alzheimer disease, and vascular dementia: A population-based neuropathologic study. Neurology 2010;75."
    assert_matches(unstructured(text, [CORRECTION, DIABETES]), DIABETES)
    assert_unmatched(unstructured(text, [CORRECTION]))


def test_reference_that_cites_the_correction_itself_can_match_it():
    text = "Correction to: Diabetes, Alzheimer disease, and vascular dementia: A population-based neuropathologic study. Neurology 2010;75(18):1664."
    assert_matches(unstructured(text, [CORRECTION, DIABETES]), CORRECTION)


def test_reference_that_cites_a_notice_never_links_the_article_it_corrects():
    # The notice is not in the registry (or its page is mistyped): the article it corrects, with
    # the same authors, title, journal and year, must not stand in for it.
    for text in (
        "Ahtiluoto S, Polvikoski T, Peltonen M (2010) Corrigendum to “Diabetes, Alzheimer disease, and vascular dementia: "
        "A population-based neuropathologic study”. Neurology 75:1664",
        "Ahtiluoto S, et al. Erratum: Diabetes, Alzheimer disease, and vascular dementia: A population-based neuropathologic study. Neurology 2010;75:1664.",
        "Ahtiluoto S, et al. Retraction note to: Diabetes, Alzheimer disease, and vascular dementia: A population-based "
        "neuropathologic study. Neurology 2010;75:1664.",
    ):
        assert_unmatched(unstructured(text, [DIABETES]))


def test_an_article_whose_reference_points_to_its_erratum_still_links():
    # PubMed's "Erratum in:" follows the article's own reference: it cites the article.
    text = ("Ahtiluoto S, Polvikoski T, Peltonen M, et al. Diabetes, Alzheimer disease, and vascular dementia: A population-based "
            "neuropathologic study. Neurology. 2010;75(13):1195-1202. Erratum in: Neurology. 2010;75(18):1664.")
    assert_matches(unstructured(text, [DIABETES, CORRECTION]), DIABETES)
    correcting = dataclasses.replace(DIABETES, title="Correction of hearing loss by cochlear implants in older adults")
    assert_matches(unstructured("Ahtiluoto S, Polvikoski T (2010) Correction of hearing loss by cochlear implants in older adults. "
                                "Neurology 75:1195–1202", [correcting]), correcting)


def test_preprint_copy_is_never_linked_from_a_journal_reference():
    text = "Ahtiluoto S, et al. Diabetes, Alzheimer disease, and vascular dementia: A population-based neuropathologic study. Neurology. 2010;75(13):1195-1202."
    assert_matches(unstructured(text, [PREPRINT, DIABETES]), DIABETES)
    assert_unmatched(unstructured(text, [PREPRINT]))
    structured = ReferenceQuery(
        article_title=DIABETES.title, author="Ahtiluoto", journal_title="Neurology", year="2010", volume="75"
    )
    assert_unmatched(match(structured, candidates=[PREPRINT]))


def test_preprint_reference_can_match_the_preprint():
    text = "Ahtiluoto S, et al. Diabetes, Alzheimer disease, and vascular dementia: A population-based neuropathologic study. bioRxiv preprint, 2010."
    assert_matches(unstructured(text, [PREPRINT, SMITH]), PREPRINT)


def test_preprint_cited_by_its_authors_server_and_year_alone_matches_the_preprint():
    result = unstructured("S. Ahtiluoto, T. Polvikoski, and M. Peltonen, bioRxiv (2010).", [DIABETES, PREPRINT, SMITH])
    assert_matches(result, PREPRINT)
    assert result.reason == "server-author-year"
    assert_matches(unstructured("Ahtiluoto S, Polvikoski T, et al. bioRxiv. 2010.", [PREPRINT, DIABETES]), PREPRINT)


def test_authors_server_and_year_do_not_link_with_less_than_all_of_them_agreeing():
    for text in (
        "S. Ahtiluoto, bioRxiv (2010).",  # one name: its author posts there many times a year
        "S. Ahtiluoto, T. Polvikoski, and K. Virtanen, bioRxiv (2010).",  # names someone the preprint lacks
        "S. Ahtiluoto, T. Polvikoski, and M. Peltonen, bioRxiv (2013).",  # another year
        "S. Ahtiluoto, T. Polvikoski, and M. Peltonen, ChemRxiv (2010).",  # another server
        "S. Ahtiluoto, T. Polvikoski, and M. Peltonen, Neurology 75, 1195 (2010).",  # a journal, volume and page
    ):
        assert_unmatched(unstructured(text, [PREPRINT]))


def test_reference_to_an_unregistered_work_on_the_same_topic_stays_unmatched():
    text = "Peltonen M, Smith A (2012) Vascular risk factors and dementia in a population-based cohort. J Alzheimers Dis 30:1–12."
    assert_unmatched(unstructured(text))


def test_one_lucky_field_never_links():
    assert_unmatched(unstructured("Smith J (2001) Personal communication."))
    assert_unmatched(unstructured("Anonymous. Neurology 75, 2010."))


def test_duplicate_records_of_one_work_are_ambiguous():
    twin = dataclasses.replace(SMITH, id=99, doi="10.9999/duplicate")
    assert_unmatched(unstructured("J. Smith, Phys. Rev. B 12, 345 (2001).", [SMITH, twin]), "ambiguous")


# --- References with a DOI ------------------------------------------------------------------

def test_doi_alone_matches_its_work_case_insensitively():
    result = match(ReferenceQuery(doi="https://doi.org/10.1103/PhysRevB.12.345"), candidates=ALL)
    assert_matches(result, SMITH)
    assert (result.method, result.score, result.agreed[0]) == ("publisher-doi", 1.0, "doi")


def test_doi_found_inside_an_unstructured_string_makes_it_a_doi_reference():
    result = unstructured("Smith J, Jones K. Phys Rev B 12:345 (2001). doi:10.1103/PhysRevB.12.345.")
    assert_matches(result, SMITH)
    assert result.method == "publisher-doi"


def test_unregistered_doi_waits_and_is_never_fuzzy_linked_elsewhere():
    result = unstructured("J. Smith, Phys. Rev. B 12, 345 (2001). https://doi.org/10.1103/PhysRevB.12.999")
    assert_unmatched(result, "doi-not-registered")
    assert result.method == "publisher-doi"
    assert_unmatched(match(ReferenceQuery(doi="10.9999/nowhere"), candidates=[]), "doi-not-registered")


def test_doi_reference_whose_year_differs_by_more_than_one_is_contradicted():
    result = match(ReferenceQuery(doi=SMITH.doi, year="1995"), candidates=ALL)
    assert (result.outcome, result.reason, result.work) == ("contradicted", "contradicted", SMITH)
    assert result.details["contradicted"] == ["year"]
    assert 0.0 <= result.score <= 1.0


def test_doi_reference_with_another_first_page_is_contradicted():
    result = match(ReferenceQuery(doi=SMITH.doi, first_page="999", volume="12"), candidates=ALL)
    assert result.outcome == "contradicted"
    assert "page" in result.details["contradicted"]


def test_doi_reference_in_another_journal_is_contradicted_but_abbreviations_are_not():
    other = match(ReferenceQuery(doi=SMITH.doi, journal_title="Journal of Ecology"), candidates=ALL)
    assert other.outcome == "contradicted"
    assert other.details["contradicted"] == ["container"]
    for journal in ("Phys. Rev. B", "Phys Rev B", "PHYSICAL REVIEW B", "The Physical Review B"):
        assert match(ReferenceQuery(doi=SMITH.doi, journal_title=journal), candidates=ALL).outcome == "matched", journal


def test_doi_reference_with_an_unrelated_title_is_contradicted():
    result = match(ReferenceQuery(doi=SMITH.doi, article_title="A survey of bird migration routes over the Alps"), candidates=ALL)
    assert result.outcome == "contradicted"
    assert result.details["contradicted"] == ["title"]


def test_doi_inside_a_string_about_another_work_is_contradicted():
    text = "Peltonen M, Andersson K (2012) Bird migration routes over the Alps in autumn. Ibis 154:1–12. doi:10.1103/PhysRevB.12.345"
    result = unstructured(text)
    assert result.outcome == "contradicted"
    assert result.work == SMITH


def test_doi_reference_with_agreeing_fields_matches():
    reference = ReferenceQuery(doi=SMITH.doi, journal_title="Phys. Rev. B", volume="12", first_page="345", year="2002", author="Smith J")
    assert_matches(match(reference, candidates=ALL), SMITH)


# --- Structured references ------------------------------------------------------------------

def test_structured_journal_volume_page_year_without_title_or_author_matches():
    reference = ReferenceQuery(journal_title="Phys. Rev. B", volume="12", first_page="345", year="2001")
    result = match(reference, candidates=ALL)
    assert_matches(result, SMITH)
    assert result.method == "structured"


def test_structured_reference_with_another_first_page_does_not_match():
    reference = ReferenceQuery(journal_title="Physical Review B", volume="12", first_page="346", year="2001", author="Smith")
    assert_unmatched(match(reference, candidates=ALL))


def test_structured_issn_is_strong_evidence_for_the_journal():
    reference = ReferenceQuery(issn="0028-3878", volume="75", first_page="1195", year="2010")
    assert_matches(match(reference, candidates=ALL), DIABETES)


def test_structured_title_author_year_matches_and_initials_in_author_do_not_matter():
    for author in ("S Ahtiluoto", "Ahtiluoto, Sari", "Ahtiluoto S."):
        reference = ReferenceQuery(article_title=DIABETES.title, author=author, year="2010")
        assert_matches(match(reference, candidates=[DIABETES_SIBLING, DIABETES, CORRECTION]), DIABETES)
        # Title, author and year are its preprint's too: with the preprint registered, either may be cited.
        assert_unmatched(match(reference, candidates=[DIABETES_SIBLING, DIABETES, CORRECTION, PREPRINT]), "ambiguous")


def test_structured_book_by_volume_title_and_chapter_by_book_title():
    book = ReferenceQuery(volume_title="The Handbook of Research Synthesis", author="Cooper", year="1994")
    assert_matches(match(book, candidates=ALL), BOOK)
    chapter = ReferenceQuery(
        volume_title="Primate Responses to Environmental Change", author="Mendoza", first_page="311", year="1991",
        article_title="Behavioural and physiological indices of social relationships: comparative studies of New World monkeys",
    )
    assert_matches(match(chapter, candidates=ALL), CHAPTER)


# A chapter in a series: its registered container is the series; references cite the book.
SERIES_CHAPTER = WorkRecord(
    id=20, doi="10.1007/978-3-030-00001-1_7", type="book-chapter", title="Sediment budgets of river deltas under sea-level rise",
    authors=("Lovelace", "Somerville"), given_names=("Ada", "Mary"), container_title="Lecture Notes in Earth Sciences",
    book_title="Handbook of Coastal Morphology", year=2020, volume="1187", first_page="152", last_page="173",
)
# The same book's next chapter, by other authors.
SERIES_CHAPTER_NEXT = dataclasses.replace(
    SERIES_CHAPTER, id=21, doi="10.1007/978-3-030-00001-1_8", title="Barrier islands and storm surges",
    authors=("Darwin",), given_names=("Charles",), first_page="174", last_page="190",
)


def test_a_chapter_in_a_series_is_matched_by_its_book_title_pages_and_authors_without_its_own_title():
    candidates = [SERIES_CHAPTER_NEXT, SERIES_CHAPTER, *ALL]
    aps = "A. Lovelace and M. Somerville, in Handbook of Coastal Morphology, edited by C. Lyell (Springer, 2020), pp. 152\u2013173."
    assert_matches(unstructured(aps, candidates), SERIES_CHAPTER)
    structured = ReferenceQuery(volume_title="Handbook of Coastal Morphology", series_title="Lecture Notes in Earth Sciences", first_page="152", year="2020")
    assert_matches(match(structured, candidates=candidates), SERIES_CHAPTER)
    # Without the book title the series alone does not say which of its books the page is in.
    unknown_book = dataclasses.replace(SERIES_CHAPTER, book_title="")
    assert_unmatched(unstructured(aps, [SERIES_CHAPTER_NEXT, unknown_book, *ALL]))


def test_a_structured_title_and_year_alone_link_only_a_whole_informative_title_without_a_twin():
    crystal = WorkRecord(id=30, doi="10.5555/crystal", type="book", title="Crystal Growth of Perovskite Oxides under Laser Irradiation", authors=("Ibsen",), year=2016)
    reference = ReferenceQuery(volume_title="Crystal growth of perovskite oxides under laser irradiation", year="2016")
    result = match(reference, candidates=[crystal, *ALL])
    assert_matches(result, crystal)
    assert result.reason == "title-year"
    assert_unmatched(match(dataclasses.replace(reference, year="2014"), candidates=[crystal, *ALL]))  # another year
    # "An Introduction to X" names many books: two content words are no title to link on.
    primer = WorkRecord(id=31, doi="10.5555/primer", type="book", title="An Introduction to Crystallization", authors=("Ibsen",), year=1995)
    assert_unmatched(match(ReferenceQuery(volume_title="An Introduction to Crystallization", year="1995"), candidates=[primer, *ALL]))
    # The preprint and its article share title and year: the title and year cannot tell which.
    article = ReferenceQuery(article_title=DIABETES.title, year="2010")
    assert_unmatched(match(article, candidates=[DIABETES, PREPRINT]))


def test_structured_isbn_with_title_matches_book():
    reference = ReferenceQuery(volume_title="Handbook of Research Synthesis", isbn="0-87154-226-7", year="1994")
    assert_matches(match(reference, candidates=ALL), BOOK)


def test_reference_with_almost_nothing_is_too_little_to_match():
    assert_unmatched(match(ReferenceQuery(year="1994"), candidates=ALL), "too-little-to-match")
    assert_unmatched(unstructured("Ibid."), "too-little-to-match")
    assert_unmatched(match(ReferenceQuery(), candidates=ALL), "too-little-to-match")


def test_no_candidates_says_so():
    assert_unmatched(unstructured("J. Smith, Phys. Rev. B 12, 345 (2001).", []), "no-candidates")


def test_other_words_skip_the_works_own_words_name_folds_and_container_abbreviations():
    from citations.matching.features import work_features
    from citations.matching.parse import parse_string
    from citations.matching.scoring import agreements, other_words, title_agreement, view_reference

    text = "Mueller J, Schafer A. Koffein und Gedachtnis: Quantenoptik Spektroskopie. Z Psychol. 2015;223:77"
    string = parse_string(text)
    features = work_features(MUELLER)
    # "mueller" folds to the work's "muller", "psychol" abbreviates its journal's "psychologie".
    assert other_words(string, features) == ["gedachtnis", "quantenoptik", "spektroskopie"]
    view = view_reference(ReferenceQuery(unstructured=text))
    found = agreements(view, features)
    assert found.other_words == 3
    # The count handed over by `agreements` decides the title as counting afresh would.
    assert title_agreement(view, features, others=found.other_words) == title_agreement(view, features)


PROCEEDINGS_PAPER = WorkRecord(
    id=12, doi="10.1145/3290605.3300312", type="proceedings-article",
    title="Designing for older adults: lessons from a year of field deployments",
    authors=("Lindqvist",), given_names=("Anna",),
    container_title="Proceedings of the 2019 CHI Conference on Human Factors in Computing Systems",
    year=2019, first_page="312", last_page="324",
)
PROCEEDINGS_NEIGHBOUR = dataclasses.replace(
    PROCEEDINGS_PAPER, id=13, doi="10.1145/3290605.3300325", title="Gesture typing on smart watches",
    authors=("Okafor",), given_names=("Chidi",), first_page="325", last_page="333",
)


def test_structured_book_title_with_a_page_is_the_container_of_a_proceedings_paper():
    reference = ReferenceQuery(
        volume_title="Proceedings of the 2019 CHI Conference on Human Factors in Computing Systems",
        first_page="312", year="2019",
    )
    result = match(reference, candidates=[PROCEEDINGS_NEIGHBOUR, PROCEEDINGS_PAPER, BOOK])
    assert_matches(result, PROCEEDINGS_PAPER)
    assert result.reason == "container-page-year"


def test_structured_proceedings_page_that_no_registered_paper_starts_at_stays_unmatched():
    reference = ReferenceQuery(
        volume_title="Proceedings of the 2019 CHI Conference on Human Factors in Computing Systems",
        first_page="318", year="2019",
    )
    assert_unmatched(match(reference, candidates=[PROCEEDINGS_NEIGHBOUR, PROCEEDINGS_PAPER]))


def test_structured_book_title_alone_still_names_the_book():
    reference = ReferenceQuery(volume_title="The Handbook of Research Synthesis", author="Cooper", year="1994")
    assert_matches(match(reference, candidates=[CHAPTER, BOOK, PROCEEDINGS_PAPER]), BOOK)


def test_reference_without_title_at_the_notice_own_page_cites_the_notice():
    reference = ReferenceQuery(journal_title="Neurology", volume="75", first_page="1664", year="2010")
    assert_matches(match(reference, candidates=[DIABETES, CORRECTION, DIABETES_SIBLING]), CORRECTION)
    string = unstructured("S. Ahtiluoto et al., Neurology 75, 1664 (2010).", candidates=[DIABETES, CORRECTION])
    assert_matches(string, CORRECTION)


def test_reference_at_the_article_page_never_links_its_notice():
    reference = ReferenceQuery(journal_title="Neurology", volume="75", first_page="1195", year="2010")
    assert_matches(match(reference, candidates=[CORRECTION, DIABETES]), DIABETES)
    assert_unmatched(match(reference, candidates=[CORRECTION]))


def test_score_bound_is_never_below_the_exact_score():
    from citations.matching.features import work_features
    from citations.matching.scoring import agreements, score_bound, view_reference

    references = [
        ReferenceQuery(unstructured="J. Smith, Phys. Rev. B 12, 345 (2001)."),
        ReferenceQuery(unstructured="Ahtiluoto S, et al. Diabetes, Alzheimer disease, and vascular dementia. Neurology. 2010;75(13):1195-1202."),
        ReferenceQuery(journal_title="Neurology", volume="75", first_page="1664", year="2010", issn="0028-3878"),
        ReferenceQuery(volume_title="Primate Responses to Environmental Change", first_page="311", year="1991"),
        ReferenceQuery(article_title=DIABETES.title, author="Ahtiluoto", year="2010"),
    ]
    for reference in references:
        view = view_reference(reference)
        for work in [*ALL, PROCEEDINGS_PAPER]:
            assert score_bound(view, work) >= agreements(view, work_features(work)).raw - 1e-9, (reference, work.doi)


def test_score_bound_gives_no_title_weight_to_a_work_whose_title_words_the_reference_lacks():
    # The bound is what spares the matcher from scoring a candidate found by other words only.
    from citations.matching import weights
    from citations.matching.scoring import score_bound, view_reference

    for with_title, without_title in (
        (ReferenceQuery(unstructured=f"J. Smith, {SMITH.title}, Phys. Rev. B 12, 345 (2001)."),
         ReferenceQuery(unstructured="J. Smith, Quantum dots in magnetic fields, Phys. Rev. B 12, 345 (2001).")),
        (ReferenceQuery(article_title=SMITH.title, author="Smith", year="2001"),
         ReferenceQuery(article_title="Quantum dots in magnetic fields", author="Smith", year="2001")),
    ):
        drop = score_bound(view_reference(with_title), SMITH) - score_bound(view_reference(without_title), SMITH)
        assert abs(drop - weights.WEIGHTS["title"] / weights.SCORE_SCALE) < 1e-9


def test_candidates_that_cannot_compete_are_not_needed_for_the_decision():
    # The same answer whatever the order and however many hopeless candidates come along.
    reference = ReferenceQuery(unstructured="J. Smith, K. Jones, Phys. Rev. B 12, 345 (2001).")
    for candidates in ([SMITH], [NEIGHBOUR, MUELLER, SMITH, SAME_PAGE_OTHER_JOURNAL, BOOK], [JAPANESE, CHAPTER, SMITH, NEIGHBOUR]):
        assert_matches(match(reference, candidates=candidates), SMITH)


def test_string_cut_after_the_whole_title_matches_by_title_and_first_author():
    result = unstructured("Smith J, Jones K. Electron transport in disordered thin metallic films. Phys", candidates=[NEIGHBOUR, SMITH])
    assert_matches(result, SMITH)
    assert result.reason == "title-author"


def test_string_cut_after_title_and_author_cannot_choose_between_an_article_and_its_preprint():
    text = "Ahtiluoto S, Polvikoski T, Peltonen M. Diabetes, Alzheimer disease, and vascular dementia: A population-based neuropathologic study. Neur"
    assert_unmatched(unstructured(text, candidates=[DIABETES, PREPRINT, DIABETES_SIBLING]), "ambiguous")


def test_string_cut_inside_the_subtitle_is_not_enough_with_the_author_alone():
    text = "Ahtiluoto S, Polvikoski T. Diabetes, Alzheimer disease, and vascular dementia: A population-based"
    assert_unmatched(unstructured(text, candidates=[DIABETES, DIABETES_SIBLING]))


def test_first_page_typo_with_the_last_page_agreeing_matches_only_with_author_and_year():
    result = unstructured("J. Smith, K. Jones, Phys. Rev. B 12 (2001) 354-351.", candidates=[NEIGHBOUR, SMITH, SAME_PAGE_OTHER_JOURNAL])
    assert_matches(result, SMITH)
    assert_unmatched(unstructured("Phys. Rev. B 12 (2001) 354-351.", candidates=[NEIGHBOUR, SMITH]))


# --- Settled among the works at the reference's volume and page ----------------------------

def test_a_match_agreeing_on_volume_and_first_page_is_settled_without_a_text_search():
    ref = ReferenceQuery(unstructured="J. Smith, Phys. Rev. B 12, 345 (2001).")
    result = match(ref, candidates=[SMITH, SAME_PAGE_OTHER_JOURNAL])
    assert_matches(result, SMITH)
    assert settled_by_place(ref, result)


def test_a_match_by_title_without_the_reference_giving_pages_is_not_settled_by_place():
    ref = ReferenceQuery(unstructured="Smith J (2001) Electron transport in disordered thin metallic films. Physical Review B")
    result = match(ref, candidates=[SMITH])
    assert_matches(result, SMITH)
    assert not settled_by_place(ref, result)


def test_a_string_naming_a_notice_or_a_preprint_is_never_settled_by_place():
    result = match(ReferenceQuery(unstructured="J. Smith, Phys. Rev. B 12, 345 (2001)."), candidates=[SMITH])
    assert_matches(result, SMITH)
    assert not settled_by_place(ReferenceQuery(unstructured="Erratum: J. Smith, Phys. Rev. B 12, 345 (2001)."), result)
    assert not settled_by_place(ReferenceQuery(unstructured="J. Smith, Phys. Rev. B 12, 345 (2001), arXiv preprint."), result)


def test_an_unmatched_reference_is_never_settled_by_place():
    ref = ReferenceQuery(unstructured="J. Smith, Phys. Rev. E 12, 345 (2001).")
    result = match(ref, candidates=[SMITH, SAME_PAGE_OTHER_JOURNAL])
    assert_unmatched(result)
    assert not settled_by_place(ref, result)


# --- Another paper's subtitle, another paper's page range -----------------------------------

SLEEP_REVIEW = WorkRecord(
    id=20, doi="10.1093/eurheartj/ehr007",
    title="Sleep duration predicts cardiovascular outcomes: a systematic review and meta-analysis of prospective studies",
    authors=("Cappuccio", "Cooper", "D'Elia", "Strazzullo", "Miller"), given_names=("Francesco P.", "Daniel", "Lanfranco", "Pasquale", "Michelle A."),
    container_title="European Heart Journal", short_container_title="Eur Heart J", year=2011, volume="32", issue="12",
    first_page="1484", last_page="1492",
)


def test_main_title_followed_by_another_subtitle_is_not_the_work_with_the_main_title():
    # The same authors' cohort paper, not registered: its main title is the review's, its subtitle
    # and its pages are its own. The main title alone would have counted as the whole title.
    text = ("Cappuccio FP, Cooper D, D'Elia L, Strazzullo P, Miller MA (2011) Sleep duration predicts cardiovascular "
            "outcomes: a prospective cohort study of Whitehall II civil servants. Eur Heart J 32(12):1520–1527")
    assert_unmatched(unstructured(text, [SLEEP_REVIEW, SMITH]))


def test_main_title_alone_still_cites_the_work():
    text = "Cappuccio FP, Cooper D, D'Elia L, Strazzullo P, Miller MA (2011) Sleep duration predicts cardiovascular outcomes. Eur Heart J 32(12):1484–1492"
    assert_matches(unstructured(text, [SLEEP_REVIEW, SMITH]), SLEEP_REVIEW)


def test_page_range_off_at_both_ends_is_another_article_not_a_typo():
    # 1830–1841 against the sibling's 1880–1887: the first page is one digit off, but a typo
    # leaves the rest of the range alone.
    text = ("Ahtiluoto S, Polvikoski T, Peltonen M (2010) Diabetes, Alzheimer disease, and vascular dementia: "
            "a population-based neuropathologic study. Neurology 75(21):1830–1841")
    assert_unmatched(unstructured(text, [DIABETES_SIBLING, SMITH]))


def test_first_page_typo_with_its_last_page_still_matches():
    text = ("Ahtiluoto S, Polvikoski T, Peltonen M (2010) Diabetes, Alzheimer disease, and vascular dementia: "
            "a population-based neuropathologic study. Neurology 75(13):1159–1202")
    assert_matches(unstructured(text, [DIABETES, DIABETES_SIBLING]), DIABETES)


SALT_ARTICLE = WorkRecord(
    id=21, doi="10.1093/ije/dyz123", title="Dietary salt intake and blood pressure in rural India: a cross-sectional survey",
    authors=("Johnson", "Praveen", "Neal"), given_names=("Claire", "Devarsetty", "Bruce"),
    container_title="International Journal of Epidemiology", short_container_title="Int J Epidemiol",
    year=2019, volume="48", issue="4", first_page="1120", last_page="1131",
)
SALT_PREPRINT = WorkRecord(
    id=22, doi="10.1101/19001234", type="posted-content", title=SALT_ARTICLE.title,
    authors=SALT_ARTICLE.authors, given_names=SALT_ARTICLE.given_names, container_title="medRxiv", year=2019,
)


def test_title_authors_and_year_cannot_choose_between_an_article_and_its_preprint():
    text = "Johnson C, Praveen D, Neal B (2019) Dietary salt intake and blood pressure in rural India: a cross-sectional survey."
    assert_unmatched(unstructured(text, [SALT_ARTICLE, SALT_PREPRINT, SMITH]), "ambiguous")
    assert_unmatched(unstructured(text, [SALT_PREPRINT, SALT_ARTICLE, SMITH]), "ambiguous")


def test_string_cut_inside_its_journal_name_cites_the_article_not_its_preprint():
    # No preprint server calls itself a journal: "International Journal" is the article's.
    text = "Johnson, C., Praveen, D. and Neal, B. (2019) ‘Dietary salt intake and blood pressure in rural India: a cross-sectional survey’, International Journal"
    for candidates in ([SALT_ARTICLE, SALT_PREPRINT], [SALT_PREPRINT, SALT_ARTICLE]):
        assert_matches(unstructured(text, candidates), SALT_ARTICLE)
    assert_unmatched(unstructured(text, [SALT_PREPRINT]))


# --- Parts of a series of papers ------------------------------------------------------------

RELAXATION_II = WorkRecord(
    id=23, doi="10.1103/physrevb.88.230", title="Hot electron relaxation in gold nanoparticles II",
    authors=("Zhao", "Smirnov"), given_names=("Hui", "Tatiana"), container_title="Physical Review B",
    year=2016, volume="88", issue="2", first_page="230", last_page="239",
)
RELAXATION_III = dataclasses.replace(
    RELAXATION_II, id=24, doi="10.1103/physrevb.88.240", title="Hot electron relaxation in gold nanoparticles III",
    first_page="240", last_page="243",
)
RELAXATION_PART_III = dataclasses.replace(
    RELAXATION_III, id=25, doi="10.1103/physrevb.88.240b", title="Hot electron relaxation in gold nanoparticles. Part III",
)


def test_a_title_ending_with_a_roman_numeral_is_that_part_of_its_series():
    # Part III cited with a typo in its first page, which is Part II's: the numeral decides.
    text = "Zhao HH, Smirnov TG (2016) Hot electron relaxation in gold nanoparticles III. Phys Rev B 88:230–243"
    assert_matches(unstructured(text, [RELAXATION_II, RELAXATION_III]), RELAXATION_III)
    assert_unmatched(unstructured(text, [RELAXATION_II, SMITH]))
    text = "H.H. Zhao and T.G. Smirnov, “Hot electron relaxation in gold nanoparticles II”, Phys. Rev. B 88, 240 (2016)."
    assert_unmatched(unstructured(text, [RELAXATION_PART_III, SMITH]))


def test_string_cut_after_the_word_part_cites_a_part_the_whole_title_is_not():
    text = "Smith J, Jones K (2001) Electron transport in disordered thin metallic films. Part"
    assert_unmatched(unstructured(text, [SMITH, NEIGHBOUR]))
    assert_matches(unstructured("Smith J, Jones K. Electron transport in disordered thin metallic films. Phys", [SMITH, NEIGHBOUR]), SMITH)


def test_title_less_reference_to_a_part_of_a_series_matches_by_journal_volume_page():
    # Only a string with the part's title can leave its numeral out; this one has no title at all.
    result = unstructured("H.H. Zhao and T.G. Smirnov, Phys. Rev. B 88, 240 (2016).", [RELAXATION_II, RELAXATION_III])
    assert_matches(result, RELAXATION_III)


def test_the_year_a_preprint_was_posted_tells_it_from_its_later_article():
    posted_before = dataclasses.replace(SALT_PREPRINT, year=2018)
    text = "Johnson C, Praveen D, Neal B (2018) Dietary salt intake and blood pressure in rural India: a cross-sectional survey."
    assert_matches(unstructured(text, [SALT_ARTICLE, posted_before, SMITH]), posted_before)
    article = ReferenceQuery(article_title=SALT_ARTICLE.title, author="Johnson", year="2019")
    assert_matches(match(article, candidates=[posted_before, SALT_ARTICLE]), SALT_ARTICLE)


def test_a_generic_title_at_other_pages_by_other_authors_is_another_article():
    # Short non-English titles recur; in the same journal, volume and year, at other pages and by
    # other people, the same words are another article (only with its authors is a page forgiven).
    registered = WorkRecord(
        id=26, doi="10.1590/rsp.2018.147", title="Análisis de la calidad del agua en América Latina",
        authors=("Jensen", "Hörle", "Smith"), given_names=("Emanuel", "Ante", "Calvin"),
        container_title="Revista de Salud Pública", year=2018, volume="8", issue="2", first_page="147", last_page="151",
    )
    assert_unmatched(unstructured("Tanaka, K. (2018) ‘Análisis de la calidad del agua en América Latina’, Revista de Salud Pública, 8(2), pp. 95–99.", [registered, SMITH]))
    assert_matches(unstructured("Jensen, E., Hörle, A. and Smith, C. (2018) ‘Análisis de la calidad del agua en América Latina’, Revista de Salud Pública, 8(2), pp. 95–99.", [registered, SMITH]), registered)
