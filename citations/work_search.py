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
from citations.selectors import WorkFilters, filtered_works, listed_works, sort_key
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
    key: tuple = ()  # (sort value, id): where a cursor after this work resumes


@dataclass(frozen=True)
class SearchPage:
    total: int  # candidates found (a search looks at offset + rows of them, at least MATCHER_CANDIDATES)
    works: list[ScoredWork]


def search_works(
    query: BibliographicQuery, *, rows: int, offset: int = 0, filters: WorkFilters = WorkFilters(),
    sort: str = "score", descending: bool = True, after: tuple | None = None, depth: int | None = None,
    index: WorkIndex | None = None,
) -> SearchPage:
    """Works for a bibliographic query, scored by the matcher, best first (or by `sort`, a Work
    field); `rows` of them from `offset`, or after the work whose key is `after`.

    The candidates are the `depth` best text hits (by default offset + rows, at least what the
    matcher looks at), restricted to `filters`; a cursor pages through one such pool.
    """
    index = index or work_index()
    depth = depth or max(MATCHER_CANDIDATES, offset + rows)
    found = index.search(matching.candidate_query(query.reference()), limit=depth)
    ranked = rank_candidates(query.reference(), candidates=found)
    works = filtered_works(filters).in_bulk([c.work.id for c in ranked])
    pool = [
        ScoredWork(work=works[c.work.id], score=c.score, key=(c.score, c.work.id) if sort == "score" else sort_key(works[c.work.id], sort))
        for c in ranked if c.work.id in works
    ]
    pool.sort(key=lambda found: _comparable(found.key), reverse=descending)
    if after is not None:
        pool = [found for found in pool if (_comparable(found.key) < _comparable(after) if descending else _comparable(found.key) > _comparable(after))]
    return SearchPage(total=len(works), works=pool[offset : offset + rows])


def list_works(
    *, rows: int, offset: int = 0, filters: WorkFilters = WorkFilters(), sort: str = "created",
    descending: bool = True, after: tuple | None = None,
) -> SearchPage:
    """Without a query: the registry's works meeting `filters`, by a Work field (no relevance: score 0)."""
    total, works = listed_works(filters=filters, field=sort, descending=descending, rows=rows, offset=offset, after=after)
    return SearchPage(total=total, works=[ScoredWork(work=w, score=0.0, key=sort_key(w, sort)) for w in works])


def _comparable(key) -> tuple:
    """A key that orders a missing value first, as the database does ascending (nulls first)."""
    value, pk = key
    return (value is not None, value if value is not None else 0, pk)
