"""rank_candidates: every candidate scored as the matcher scores it, best first (no database)."""
from citations.matching import ReferenceQuery, match
from citations.matching.ranking import rank_candidates
from tests.citations.matching.test_matcher import DIABETES, DIABETES_SIBLING, NEIGHBOUR, SAME_PAGE_OTHER_JOURNAL, SMITH

SMITH_STRING = "Smith J, Jones K. Electron transport in disordered thin metallic films. Phys Rev B 2001;12(3):345-351."


def test_the_cited_work_ranks_first_whatever_the_index_order():
    ranked = rank_candidates(ReferenceQuery(unstructured=SMITH_STRING), candidates=[NEIGHBOUR, SAME_PAGE_OTHER_JOURNAL, SMITH])
    assert [c.work for c in ranked][0] == SMITH
    assert [c.raw for c in ranked] == sorted((c.raw for c in ranked), reverse=True)
    assert ranked[0].score > ranked[1].score


def test_the_best_score_is_the_one_match_gives():
    ref = ReferenceQuery(unstructured=SMITH_STRING)
    candidates = [NEIGHBOUR, SMITH, SAME_PAGE_OTHER_JOURNAL]
    assert rank_candidates(ref, candidates=candidates)[0].score == match(ref, candidates=candidates).score


def test_scores_stay_within_0_and_1_and_a_work_is_listed_once():
    ranked = rank_candidates(ReferenceQuery(unstructured=SMITH_STRING), candidates=[SMITH, DIABETES, SMITH, DIABETES_SIBLING])
    assert [c.work.id for c in ranked].count(SMITH.id) == 1
    assert all(0.0 <= c.score <= 1.0 for c in ranked)


def test_the_work_of_a_doi_the_reference_gives_scores_1():
    ref = ReferenceQuery(unstructured=f"See doi:{DIABETES.doi}")
    ranked = rank_candidates(ref, candidates=[DIABETES_SIBLING, DIABETES])
    assert (ranked[0].work, ranked[0].score) == (DIABETES, 1.0)


def test_no_candidates_rank_nothing():
    assert rank_candidates(ReferenceQuery(unstructured=SMITH_STRING), candidates=[]) == []
