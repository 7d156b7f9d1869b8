"""Bibliographic search of the registry: the works a free-text reference may mean, scored, best first.

The same path as matching (`candidate_query` -> the index -> the matcher's scoring), so a
client that validates the top hits itself sees the candidates and scores the matcher sees.
Read-only: a selector, used by `GET /works` (citations.api).
"""
from __future__ import annotations

from dataclasses import dataclass

from citations import matching
from citations.matching.ranking import rank_candidates
from citations.matching.records import ReferenceQuery
from citations.search import WorkIndex, work_index
from deposits.models import Work

# The matcher looks at this many text hits per reference; a search never looks at fewer.
MATCHER_CANDIDATES = 20


@dataclass(frozen=True)
class BibliographicQuery:
    """Crossref's query parameters: `bibliographic` (also plain `query`) and the field queries."""

    bibliographic: str = ""
    title: str = ""
    author: str = ""
    container_title: str = ""

    def __bool__(self) -> bool:
        return any(v.strip() for v in (self.bibliographic, self.title, self.author, self.container_title))

    def reference(self) -> ReferenceQuery:
        return ReferenceQuery(
            unstructured=self.bibliographic.strip(),
            article_title=self.title.strip(),
            author=self.author.strip(),
            journal_title=self.container_title.strip(),
        )


@dataclass(frozen=True)
class ScoredWork:
    work: Work
    score: float  # the matcher's 0..1 score


@dataclass(frozen=True)
class SearchPage:
    total: int  # candidates found (a search looks at offset + rows of them, at least MATCHER_CANDIDATES)
    works: list[ScoredWork]


def search_works(query: BibliographicQuery, *, rows: int, offset: int = 0, index: WorkIndex | None = None) -> SearchPage:
    """Works for a bibliographic query, scored by the matcher, best first; `rows` of them from `offset`."""
    index = index or work_index()
    found = index.search(matching.candidate_query(query.reference()), limit=max(MATCHER_CANDIDATES, offset + rows))
    ranked = rank_candidates(query.reference(), candidates=found)
    page = ranked[offset : offset + rows]
    works = Work.objects.select_related("owner").in_bulk([c.work.id for c in page])
    return SearchPage(
        total=len(ranked),
        works=[ScoredWork(work=works[c.work.id], score=c.score) for c in page if c.work.id in works],
    )


def newest_works(*, rows: int, offset: int = 0) -> SearchPage:
    """Without a query: the registry's works, newest registered first (no relevance: score 0)."""
    works = Work.objects.select_related("owner").order_by("-created", "-pk")[offset : offset + rows]
    return SearchPage(total=Work.objects.count(), works=[ScoredWork(work=w, score=0.0) for w in works])
