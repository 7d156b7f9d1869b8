"""PLACEHOLDER matcher for these tests only, until the real `citations.matching` lands.

`citations.matching.candidate_query`, `index_text` and `match` are being written on another
branch. `tests/citations/conftest.py` puts these crude stand-ins in their place only while the
package lacks them, so the same tests run against the real matcher once it is merged (delete
this file then). Nothing here is meant to be a good matcher.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from citations.matching.records import CandidateQuery, MatchResult, ReferenceQuery, WorkRecord
from citations.search.terms import terms

# Just the ISO 4 words the tests use.
_ABBREVIATIONS = {"journal": "j", "chemical": "chem", "physics": "phys", "physical": "phys", "review": "rev", "letters": "lett"}
_DOI = re.compile(r"10\.\d{4,9}/\S+[^\s.,;)]")
_VOLUME_PAGE = re.compile(r"\b(\d{1,4})\s*(?:\(\d+\))?\s*[,:]\s*(?:pp?\.\s*)?([a-z]?\d{1,6})\b", re.I)


def index_text(work: WorkRecord) -> str:
    abbreviation = " ".join(_ABBREVIATIONS.get(w, w) for w in terms(work.container_title) if w not in ("of", "the"))
    return " ".join([*terms(work.title), *terms(" ".join(work.authors)), *terms(work.container_title), abbreviation])


def candidate_query(ref: ReferenceQuery) -> CandidateQuery:
    fields = (ref.unstructured, ref.article_title, ref.author, ref.journal_title, ref.volume_title, ref.series_title)
    text = " ".join(f for f in fields if f)
    pairs = {(ref.volume, ref.first_page)} if ref.volume and ref.first_page else set()
    pairs.update(_VOLUME_PAGE.findall(ref.unstructured))
    dois = {ref.doi} if ref.doi else set()
    dois.update(_DOI.findall(ref.unstructured))
    return CandidateQuery(text=text, volume_pages=tuple(sorted(pairs)), dois=tuple(sorted(dois)))


def match(ref: ReferenceQuery, *, candidates: Sequence[WorkRecord]) -> MatchResult:
    method = "publisher-doi" if ref.doi else ("unstructured" if ref.unstructured else "structured")
    if ref.doi:
        for work in candidates:
            if work.doi == ref.doi.lower():
                title_words = set(terms(ref.article_title))
                if title_words and not title_words & set(terms(work.title)):
                    return MatchResult("contradicted", method, work=work, score=0.0, reason="title disagrees")
                return MatchResult("matched", method, work=work, score=1.0, agreed=("doi",))
    words = set(terms(candidate_query(ref).text))
    scored = sorted(((_score(words, ref, work), work) for work in candidates), key=lambda s: (-s[0], s[1].id))
    if not scored:
        return MatchResult("unmatched", method, reason="no-candidates")
    best, work = scored[0]
    if best < 0.5:
        return MatchResult("unmatched", method, score=best, reason="below-threshold")
    return MatchResult("matched", method, work=work, score=best, runner_up=scored[1][0] if len(scored) > 1 else 0.0)


def _score(words: set[str], ref: ReferenceQuery, work: WorkRecord) -> float:
    title = set(terms(work.title))
    overlap = len(words & title) / len(title) if title else 0.0
    pages = 0.5 if work.first_page and work.first_page in (ref.first_page, *terms(ref.unstructured)) else 0.0
    return round(min(1.0, overlap + pages), 4)
