"""Cases behind the calibration round: readings of volume, issue, pages and parts that tell
a cited work from its neighbours, abbreviations read without the LTWA list, preprint servers."""
from __future__ import annotations

from citations.matching import ReferenceQuery, WorkRecord, match
from citations.matching.abbrev import abbreviation_in, is_abbreviation
from citations.matching.parse import parse_string
from citations.matching.scoring import near_page

CELLS = WorkRecord(
    id=11, doi="10.1016/j.cell.2014.05.010", title="Metabolic control of T cell activation in chronic infection",
    authors=("Okafor", "Lindqvist"), given_names=("Chidi", "Maja"), container_title="Journal of Experimental Immunology",
    year=2014, volume="38", issue="4", first_page="1765", last_page="1776",
)
# Another article of the same journal volume that happens to start on page 1 of issue 1.
VOLUME_OPENER = WorkRecord(
    id=12, doi="10.1016/j.cell.2014.01.001", title="Regulatory networks in thymic development",
    authors=("Haddad",), given_names=("Rami",), container_title="Journal of Experimental Immunology",
    year=2014, volume="38", issue="1", first_page="1", last_page="12",
)
GRIDS = WorkRecord(
    id=13, doi="10.5555/grid.2019.22", title="Decentralized frequency control in islanded microgrids",
    authors=("Varga", "Osei"), given_names=("Ildiko", "Kwame"), container_title="International Journal of Power Systems",
    year=2019, volume="4", issue="2", first_page="258", last_page="271",
)
PNAS = WorkRecord(
    id=14, doi="10.1073/pnas.1609811114",
    title="Hierarchy stability moderates the effect of status on stress and performance in humans",
    authors=("Knight", "Mehta"), container_title="Proceedings of the National Academy of Sciences",
    year=2017, volume="114", issue="1", first_page="78", last_page="83",
)
PREPRINT = WorkRecord(
    id=15, doi="10.21203/rs.3.rs-1234/v1", type="posted-content",
    title="Understanding laser cooling in carbon nanotubes under confinement", authors=("Weber",), year=2001,
)


def test_a_page_range_says_where_the_work_starts_not_an_issue_number():
    ref = ReferenceQuery(unstructured="Mbeki, T. et al. 2014. Antigen presentation by dendritic cells. "
                         "J. Exp. Immunol. 38, 1 (2014), 1765–1776.")
    parsed = parse_string(ref.unstructured)
    assert parsed.explicit_starts == {"1765"}
    # The volume opener is at (38, 1), but the string's range starts at 1765 and names another title.
    assert match(ref, candidates=[VOLUME_OPENER]).outcome == "unmatched"


def test_another_title_at_the_same_journal_volume_page_is_not_linked():
    ref = ReferenceQuery(unstructured="Mbeki, T., Sato, K. (2014). Antigen presentation by dendritic cells in "
                         "lymph nodes. Journal of Experimental Immunology, 38(4), 1765–1776.")
    assert match(ref, candidates=[CELLS]).outcome == "unmatched"
    cited = ReferenceQuery(unstructured="Okafor, C., Lindqvist, M. (2014). Metabolic control of T cell activation "
                           "in chronic infection. Journal of Experimental Immunology, 38(4), 1765–1776.")
    assert match(cited, candidates=[CELLS]).work == CELLS


def test_title_less_string_naming_other_authors_is_not_linked():
    ours = ReferenceQuery(unstructured="C. Okafor and M. Lindqvist, J. Exp. Immunol. 38, 1765 (2014).")
    assert match(ours, candidates=[CELLS]).work == CELLS
    theirs = ReferenceQuery(unstructured="P. Brandt and W. Kowalczyk, J. Exp. Immunol. 38, 1765 (2014).")
    assert match(theirs, candidates=[CELLS]).outcome == "unmatched"


def test_a_written_issue_of_the_same_volume_contradicts():
    ref = ReferenceQuery(unstructured="Okafor C, Lindqvist M. Metabolic control of T cell activation in chronic "
                         "infection. J Exp Immunol. 2014;38(2):1765-76.")
    parsed = parse_string(ref.unstructured)
    assert ("38", "2") in parsed.volume_issues
    assert match(ref, candidates=[CELLS]).details["fields"]["issue"] == -1.0


def test_part_two_of_a_series_is_not_its_first_part():
    ref = ReferenceQuery(unstructured="Varga I, Osei K (2020) Decentralized frequency control in islanded "
                         "microgrids. Part II. Int J Power Syst 4:1254–1270")
    assert parse_string(ref.unstructured).parts == {"2"}
    assert match(ref, candidates=[GRIDS]).outcome == "unmatched"
    first = ReferenceQuery(unstructured="Varga I, Osei K (2019) Decentralized frequency control in islanded "
                           "microgrids. Int J Power Syst 4:258–271")
    assert match(first, candidates=[GRIDS]).work == GRIDS


def test_a_one_digit_page_typo_is_no_contradiction():
    assert near_page("1785", "1765") and near_page("1675", "1765")
    assert not near_page("1", "7") and not near_page("2254", "258")
    ref = ReferenceQuery(unstructured="Varga, I. and Osei, K. (2019) 'Decentralized frequency control in islanded "
                         "microgrids', International Journal of Power Systems, 4(2), pp. 278-290.")
    assert match(ref, candidates=[GRIDS]).work == GRIDS


def test_journal_abbreviations_are_read_by_their_letters():
    assert is_abbreviation("j cereb blood flow metab", "journal of cerebral blood flow and metabolism")
    assert is_abbreviation("proc natl acad sci usa",
                           "proceedings of the national academy of sciences of the united states of america")
    assert is_abbreviation("ann opt c", "annals of optics section c")
    assert not is_abbreviation("phys rev d", "physical review b")
    assert abbreviation_in("knight mehta int j power syst 4 258".split(), "international journal of power systems")
    assert not abbreviation_in("nature 4 258".split(), "international journal of power systems")


def test_doi_with_a_longer_abbreviation_of_its_journal_is_not_contradicted():
    ref = ReferenceQuery(doi="10.1073/pnas.1609811114", author="Knight", journal_title="Proc Natl Acad Sci USA",
                         article_title=PNAS.title, volume="114", first_page="78", year="2017")
    assert match(ref, candidates=[PNAS]).outcome == "matched"


def test_structured_reference_naming_a_preprint_server_may_match_the_preprint():
    ref = ReferenceQuery(author="Weber E", article_title="Understanding Laser Cooling in Carbon Nanotubes under "
                         "Confinement", journal_title="Research Square", year="2001")
    assert match(ref, candidates=[PREPRINT]).work == PREPRINT
